/**
 * `resolveIdentity` (SPEC 4.6): the one door. It reads the caller once, and
 * asks the sources in the order of the EKS authentication mode: access
 * entries, then the `aws-auth` ConfigMap (or the Go authenticator's ordered
 * sources in its place). `mapIdentity` and `explainIdentity` ask through
 * here too.
 *
 * EKS runs the Go authenticator with its mappers in order (access entries as
 * a DynamicFile mapper in user-id-strict mode, then the aws-auth ConfigMap):
 * the first mapper that maps the identity answers, and an error rendering its
 * templates is the answer too (pkg/server/server.go:476-505).
 *
 * @module
 */
import { resolveAccessEntries } from '../access-entries/lookup.js';
import type { AccessEntryMatch } from '../access-entries/source.js';
import type {
  AccessEntries,
  AccessEntriesInput,
  AuthenticationMode,
} from '../access-entries/types.js';
import { readCaller } from '../mapping/caller.js';
import type { Caller } from '../mapping/caller.js';
import type { AwsAuth, AwsAuthInput } from '../mapping/types.js';
import type { MappingSourceList } from '../sources/types.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { readQuestion } from './question.js';
import type { Question } from './question.js';
import { configMapSourcesOf, entrySourceOf } from './sources.js';
import type { ConfigMapSources } from './sources.js';
import type { MapIdentityOptions, ResolvedIdentity, ResolveIdentityOptions } from './types.js';
import { firstAnswer } from './union.js';
import type { Answer, AskedSource } from './union.js';

/** The authentication modes, in the order EKS introduced them. */
export const AUTHENTICATION_MODES: readonly AuthenticationMode[] = Object.freeze([
  'CONFIG_MAP',
  'API_AND_CONFIG_MAP',
  'API',
]);

/** Options checked and sources parsed, once per call. */
export interface PreparedResolve {
  /** The public function asked, for messages. */
  readonly api: string;
  /** The mode applied. */
  readonly mode: AuthenticationMode;
  /** Parsed access entries, when given. */
  readonly accessEntries: AccessEntries | undefined;
  /**
   * The parsed aws-auth (or the Go authenticator's source result, or a
   * `mappingSources` bundle) as given; `undefined` for an array of sources
   * or when no aws-auth was given.
   */
  readonly awsAuth: AwsAuth | undefined;
  /** The access entries as a source, when given. */
  readonly entrySource: AskedSource<AccessEntryMatch> | undefined;
  /** aws-auth, or the ordered sources in its place, when given. */
  readonly configMapSources: readonly AskedSource[] | undefined;
  /** The sources the mode reads, in the order it reads them. */
  readonly sources: readonly AskedSource[];
  /** How entries match and templates render. */
  readonly question: Question;
}

/**
 * Check the options, parse the sources and pick the mode.
 *
 * @param api - the public function asked, for messages.
 * @throws `TypeError` for bad options or a mode whose source is missing; the
 *   parsers' errors for unusable sources.
 */
export function prepare(
  api: string,
  authenticationMode: AuthenticationMode | undefined,
  accessEntries: AccessEntriesInput | AccessEntries | undefined,
  awsAuth: AwsAuthInput | AwsAuth | MappingSourceList | undefined,
  options: MapIdentityOptions,
): PreparedResolve {
  if (authenticationMode !== undefined && !AUTHENTICATION_MODES.includes(authenticationMode)) {
    throw new TypeError(
      `${api}: options.authenticationMode must be one of ${AUTHENTICATION_MODES.join(', ')}`,
    );
  }
  // What answers "what the cluster does" renders as EKS: <<Name>> stays literal.
  const question = readQuestion(options, api, false);
  const entries = accessEntries === undefined ? undefined : resolveAccessEntries(accessEntries);
  const configMap = awsAuth === undefined ? undefined : configMapSourcesOf(awsAuth);
  const mode: AuthenticationMode =
    authenticationMode ??
    entries?.authenticationMode ??
    (entries !== undefined && configMap !== undefined
      ? 'API_AND_CONFIG_MAP'
      : entries !== undefined
        ? 'API'
        : 'CONFIG_MAP');
  if (mode !== 'CONFIG_MAP' && entries === undefined) {
    throw new TypeError(`${api}: authentication mode ${mode} needs options.accessEntries`);
  }
  if (mode !== 'API' && configMap === undefined) {
    throw new TypeError(`${api}: authentication mode ${mode} needs options.awsAuth`);
  }
  const entrySource = entries === undefined ? undefined : entrySourceOf(entries);
  // EKS asks access entries first; aws-auth only when the mode reads it.
  const sources: readonly AskedSource[] =
    mode === 'CONFIG_MAP'
      ? (configMap as ConfigMapSources).sources
      : mode === 'API'
        ? [entrySource as AskedSource]
        : [entrySource as AskedSource, ...(configMap as ConfigMapSources).sources];
  return {
    api,
    mode,
    accessEntries: entries,
    awsAuth: configMap?.table,
    entrySource,
    configMapSources: configMap?.sources,
    sources,
    question,
  };
}

/**
 * Check `resolveIdentity`'s options, parse the sources and pick the mode.
 *
 * @throws as {@link prepare}.
 */
export function prepareResolve(
  options: ResolveIdentityOptions,
  api = 'resolveIdentity',
): PreparedResolve {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${api}: options must be an object`);
  }
  return prepare(api, options.authenticationMode, options.accessEntries, options.awsAuth, options);
}

/** Read the caller of a prepared question. */
export function callerOf(prepared: PreparedResolve, identity: string | VerifiedIdentity): Caller {
  return readCaller(identity, prepared.question.accessKeyId, prepared.api);
}

/** An answer as `resolveIdentity` returns it. */
export function resolvedIdentity(answer: Answer, caller: Caller): ResolvedIdentity {
  const { asked, match, username, groups } = answer;
  if (asked.kind === 'accessEntry') {
    const entry = (match as AccessEntryMatch).entry;
    return {
      username,
      groups,
      source: 'accessEntry',
      matchedBy: 'accessEntry',
      entryIndex: entry.index,
      canonicalArn: caller.canonicalArn,
      type: entry.type,
      accessPolicies: entry.accessPolicies.map((p) => ({
        policyArn: p.policyArn,
        accessScope: { type: p.accessScope.type, namespaces: [...p.accessScope.namespaces] },
      })),
    };
  }
  // Built field by field, in the order JSON output has always shown them.
  const resolved = {
    username,
    groups,
    source: 'aws-auth',
    matchedBy: match.matchedBy,
  } as ResolvedIdentity;
  if (match.entryIndex !== undefined) resolved.entryIndex = match.entryIndex;
  resolved.canonicalArn = caller.canonicalArn;
  if (asked.backend !== undefined) resolved.backend = asked.backend;
  if (asked.sourceIndex !== undefined) resolved.sourceIndex = asked.sourceIndex;
  resolved.accessPolicies = [];
  return resolved;
}

/**
 * `resolveIdentity` on a caller already read: synchronous unless a template
 * needs an EC2 call (the caller's `async` function makes it a promise).
 *
 * @throws (or rejects with) what {@link resolveIdentity} rejects with.
 */
export function resolveCaller(
  prepared: PreparedResolve,
  caller: Caller,
): ResolvedIdentity | null | Promise<ResolvedIdentity> {
  const answer = firstAnswer(prepared.sources, caller, prepared.question);
  if (answer === null) return null;
  return answer instanceof Promise
    ? answer.then((a) => resolvedIdentity(a, caller))
    : resolvedIdentity(answer, caller);
}

/** `resolveIdentity` on prepared options. */
export async function resolvePrepared(
  prepared: PreparedResolve,
  identity: string | VerifiedIdentity,
): Promise<ResolvedIdentity | null> {
  return resolveCaller(prepared, callerOf(prepared, identity));
}

/**
 * What the cluster answers for an identity under an authentication mode:
 * `CONFIG_MAP` is `mapIdentity` on `awsAuth` (one `aws-auth`, or an ordered
 * array of sources, SPEC 4.8: the first that maps the caller wins, and
 * `backend` / `sourceIndex` name it); `API` reads only `accessEntries`;
 * `API_AND_CONFIG_MAP` takes the caller's access entry if there is one, else
 * aws-auth.
 *
 * An access entry matches the caller whose canonical ARN equals its
 * `principalArn` with any role path removed, ignoring case (STS reports roles
 * without their path). When the entry carries a `principalId` and the
 * identity is a `VerifiedIdentity`, the ids must be equal too.
 *
 * Templates render as EKS renders them: `<<Name>>` spellings stay literal
 * unless `angleBracketTemplates: true` (where `mapIdentity` substitutes them).
 *
 * @param identity - an IAM/STS ARN string, or the `VerifiedIdentity` of `verifyToken`.
 * @example
 * ```ts
 * const who = await resolveIdentity('arn:aws:sts::111122223333:assumed-role/Admin/alice', {
 *   accessEntries: parseAccessEntries(json),
 *   awsAuth: parseAwsAuth(yaml),
 *   authenticationMode: 'API_AND_CONFIG_MAP',
 * });
 * // { username, groups, source: 'accessEntry', accessPolicies: [...], … } or null
 * ```
 * @throws (rejects with) `TypeError` for bad options or a mode whose source is
 * missing, `ArnError`, `TemplateError`, `AwsAuthError`, `AccessEntriesError`
 * as the parsers and `mapIdentity` do. Never throws synchronously.
 */
export async function resolveIdentity(
  identity: string | VerifiedIdentity,
  options: ResolveIdentityOptions,
): Promise<ResolvedIdentity | null> {
  const prepared = prepareResolve(options);
  return resolveCaller(prepared, callerOf(prepared, identity));
}
