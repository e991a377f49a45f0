/**
 * Every IAM principal the inputs name that the authentication mode lets in,
 * with the username and group templates it authenticates with (SPEC 4.9,
 * `whoCan`). Which entry a principal gets, and whether it gets in at all, is
 * asked of `resolve/` itself (the one door): each principal is resolved as a
 * session whose session name, access key and instance DNS name are marker
 * values, and the markers found in the rendered username and groups are
 * turned back into their placeholders. So shadowing (an access entry over
 * aws-auth, an earlier source over a later one, a later duplicate over an
 * earlier one), paths, principal ids and every template rule are EKS's, not
 * restated here.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { AccessEntries } from '../access-entries/types.js';
import type { AwsAuth } from '../mapping/types.js';
import { TemplateError } from '../errors.js';
import { prepareResolve, resolvePrepared } from '../resolve/resolve.js';
import type { PreparedResolve } from '../resolve/resolve.js';
import type { ResolvedIdentity, ResolveIdentityOptions } from '../resolve/types.js';
import { isMappingSourceList, resolveSources } from '../sources/ordered.js';
import type { VerifiedIdentity } from '../token/verify.js';
import type { SessionPlaceholder, TemplatePart } from './template-match.js';

/** A principal that gets in, and what it authenticates as. */
export interface Principal {
  /** The ARN as the entry that names it writes it; absent for a `mapAccounts` account. */
  readonly principalArn?: string;
  /** A `mapAccounts` account (any principal of it that no entry names). */
  readonly account?: string;
  /** The cluster's answer for a session of the principal (marker values in place of session values). */
  readonly resolved: ResolvedIdentity;
  /** The username, as a template. */
  readonly username: readonly TemplatePart[];
  /** The groups, as templates. */
  readonly groups: readonly (readonly TemplatePart[])[];
}

// Marker values: a session name with an "@" tells {{SessionName}} (which
// renders "@" as "-") from {{SessionNameRaw}}; an instance id is needed for
// {{EC2PrivateDNSName}}, whose session then stands for both.
const SESSION = 'eks0iam0auth@0session';
const INSTANCE_SESSION = 'i-0e1a2b3c4d5e6f708';
const NODE_NAME_MARKER = 'eks0iam0auth.node.marker';
const MARKER_OPTIONS = {
  accessKeyId: 'AKIAEKS0IAM0AUTH0MARKER',
  resolveEC2PrivateDNSName: (): string => NODE_NAME_MARKER,
};
const MARKERS: readonly [string, SessionPlaceholder][] = [
  [SESSION.replace('@', '-'), 'SessionName'],
  [SESSION, 'SessionNameRaw'],
  [INSTANCE_SESSION, 'SessionName'],
  [MARKER_OPTIONS.accessKeyId, 'AccessKeyID'],
  [NODE_NAME_MARKER, 'EC2PrivateDNSName'],
];
// A role name no entry names, to ask how a mapAccounts account maps the rest of its principals.
const ANY_ROLE = 'eks0iam0auth0any0role';

/** `text` with the markers turned back into placeholders. */
function toTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let at = 0;
  outer: while (at < text.length) {
    for (const [marker, placeholder] of MARKERS) {
      if (text.startsWith(marker, at)) {
        if (literal !== '') parts.push(literal);
        literal = '';
        parts.push({ placeholder });
        at += marker.length;
        continue outer;
      }
    }
    literal += text[at];
    at += 1;
  }
  if (literal !== '' || parts.length === 0) parts.push(literal);
  return parts;
}

/** One principal named by an entry: its ARN as written, and its principal id when the entry binds one. */
interface Candidate {
  readonly arn: string;
  readonly principalId?: string;
}

function entryCandidates(awsAuth: AwsAuth, out: Candidate[], accounts: string[]): void {
  for (const e of awsAuth.mapRoles) {
    if (e.roleArn !== undefined) {
      out.push({ arn: e.roleArn, ...(e.userId ? { principalId: e.userId } : {}) });
    }
  }
  for (const e of awsAuth.mapUsers) {
    out.push({ arn: e.userArn, ...(e.userId ? { principalId: e.userId } : {}) });
  }
  accounts.push(...awsAuth.mapAccounts);
}

/**
 * The parsed tables behind `awsAuth`, in source order: one `aws-auth`, the
 * sources of a `mappingSources` bundle, or the items of an ordered array.
 */
function sourceTables(awsAuth: unknown): AwsAuth[] {
  if (awsAuth === undefined || awsAuth === null) return [];
  if (!isMappingSourceList(awsAuth)) return [awsAuth as AwsAuth];
  return resolveSources(awsAuth).map((source) => source.mappings);
}

/** Every principal the inputs name, access entries first, then each aws-auth source in order. */
function candidates(
  accessEntries: AccessEntries | undefined,
  tables: readonly AwsAuth[],
): { principals: Candidate[]; accounts: string[] } {
  const principals: Candidate[] = [];
  const accounts: string[] = [];
  for (const e of accessEntries?.entries ?? []) {
    principals.push({
      arn: e.principalArn,
      ...(e.principalId ? { principalId: e.principalId } : {}),
    });
  }
  for (const table of tables) entryCandidates(table, principals, accounts);
  return { principals, accounts: [...new Set(accounts)] };
}

/** A session of the principal, as `resolve/` reads a caller. */
function sessionOf(
  arn: string,
  sessionName: string,
  principalId: string | undefined,
): string | VerifiedIdentity | undefined {
  let canonical;
  try {
    canonical = canonicalizeArn(arn);
  } catch {
    return undefined; // an entry EKS keeps but that can never match
  }
  const isRole = canonical.principalType === 'role';
  const roleName = canonical.canonicalArn.slice(canonical.canonicalArn.lastIndexOf('/') + 1);
  const sessionArn = isRole
    ? `arn:${canonical.partition}:sts::${canonical.accountId}:assumed-role/${roleName}/${sessionName}`
    : canonical.canonicalArn;
  if (principalId === undefined) return sessionArn;
  const identity: Partial<VerifiedIdentity> = {
    arn: sessionArn,
    canonicalArn: canonical.canonicalArn,
    principalType: canonical.principalType,
    accountId: canonical.accountId,
    partition: canonical.partition,
    userId: principalId,
    accessKeyId: MARKER_OPTIONS.accessKeyId,
    ...(isRole ? { sessionName } : {}),
  };
  return identity as VerifiedIdentity;
}

/**
 * Resolve one session (with marker values). A template of
 * `{{EC2PrivateDNSName}}` needs the session to be an instance id, so it is
 * asked again with one.
 */
async function resolveWithMarkers(
  marked: PreparedResolve,
  arn: string,
  principalId: string | undefined,
): Promise<ResolvedIdentity | null> {
  const first = sessionOf(arn, SESSION, principalId);
  if (first === undefined) return null;
  try {
    return await resolvePrepared(marked, first);
  } catch (error) {
    if (!(error instanceof TemplateError) || error.placeholder !== 'EC2PrivateDNSName') throw error;
  }
  const instance = sessionOf(arn, INSTANCE_SESSION, principalId);
  return instance === undefined ? null : resolvePrepared(marked, instance);
}

/** The options prepared with the marker values in place of the session's (the one door, asked as is). */
export function prepareWithMarkers(options: ResolveIdentityOptions): PreparedResolve {
  return prepareResolve({ ...options, ...MARKER_OPTIONS }, 'whoCan');
}

function principalFrom(
  resolved: ResolvedIdentity,
  named: { principalArn: string } | { account: string },
): Principal {
  return {
    ...named,
    resolved,
    username: toTemplate(resolved.username),
    groups: resolved.groups.map(toTemplate),
  };
}

/**
 * The principals the inputs name that the mode lets in, in input order
 * (access entries, then aws-auth or each ordered source), one per principal
 * (the entry EKS uses for it), then one per `mapAccounts` account.
 *
 * @throws what `resolve/` throws for a template it cannot render (other
 *   than the session values, which are markers here).
 */
export async function principalsLetIn(
  options: ResolveIdentityOptions,
  marked: PreparedResolve,
): Promise<Principal[]> {
  const { principals, accounts } = candidates(
    marked.accessEntries,
    sourceTables(marked.awsAuth ?? options.awsAuth),
  );
  const seen = new Set<string>();
  const out: Principal[] = [];
  for (const candidate of principals) {
    const resolved = await resolveWithMarkers(marked, candidate.arn, candidate.principalId);
    if (resolved === null || resolved.matchedBy === 'mapAccounts') continue;
    const key = `${resolved.canonicalArn.toLowerCase()}\u0000${candidate.principalId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(principalFrom(resolved, { principalArn: candidate.arn }));
  }
  for (const account of accounts) {
    if (!/^\d{12}$/.test(account)) continue;
    const resolved = await resolveWithMarkers(
      marked,
      `arn:aws:iam::${account}:role/${ANY_ROLE}`,
      undefined,
    );
    if (resolved?.matchedBy === 'mapAccounts') out.push(principalFrom(resolved, { account }));
  }
  return out;
}

/**
 * How an IAM ARN that an RBAC subject names gets in, when it is a principal
 * of a `mapAccounts` account that no entry names (it authenticates as its
 * canonical ARN): its resolution, or `null` when another entry (or nothing)
 * maps it.
 */
export async function resolveAccountPrincipal(
  marked: PreparedResolve,
  arn: string,
): Promise<ResolvedIdentity | null> {
  const resolved = await resolveWithMarkers(marked, arn, undefined);
  return resolved?.matchedBy === 'mapAccounts' ? resolved : null;
}
