/**
 * `parseAccessEntries` (SPEC 4.5): EKS access entries in the AWS API's JSON
 * shapes to typed entries plus diagnostics, with the rules of the EKS user
 * guide ("Create access entries", "Associate access policies with access
 * entries"). Bad entries are reported and dropped; good ones are kept.
 *
 * @module
 */
import { MAX_AWS_AUTH_INPUT_LENGTH, maxInputLengthOf, tooLongMessage } from '../mapping/limits.js';
import type { InputLimitOptions } from '../mapping/limits.js';
import { parseJson } from '../util/json.js';
import { AccessEntriesError } from '../errors.js';
import type { PartitionId } from '../partitions.js';
import {
  accessPolicyArn,
  AUTO_NODE_POLICY,
  isKnownAccessPolicy,
  parsePolicyArn,
} from './policies.js';
import { checkPrincipalArn, principalMatchKey } from './principal.js';
import type {
  AccessEntries,
  AccessEntriesDiagnostic,
  AccessEntriesInput,
  AccessEntry,
  AccessEntryRefusalCode,
  AccessEntryType,
  AccessPolicyAssociation,
  AuthenticationMode,
} from './types.js';
import {
  ACCESS_ENTRY_TYPES,
  checkCustomUsername,
  defaultUsername,
  NODE_TYPES,
} from './username.js';
import { quoteForMessage } from '../util/control-characters.js';
import { deepFreeze } from '../util/deep-freeze.js';

/**
 * The longest JSON text `parseAccessEntries` reads by default: 1 MiB (a
 * cluster's whole list of access entries is a few hundred KiB at most);
 * `maxInputLength` changes it.
 */
export const MAX_ACCESS_ENTRIES_INPUT_LENGTH: number = MAX_AWS_AUTH_INPUT_LENGTH;

/** Options of {@link parseAccessEntries}. */
export type ParseAccessEntriesOptions = InputLimitOptions;

const MODES: readonly AuthenticationMode[] = ['CONFIG_MAP', 'API', 'API_AND_CONFIG_MAP'];

// Fields the AWS API returns that say nothing about who gets what.
const IGNORED_FIELDS = new Set([
  'clusterName',
  'accessEntryArn',
  'createdAt',
  'modifiedAt',
  'tags',
]);
const ENTRY_FIELDS = new Set([
  'principalArn',
  'type',
  'username',
  'kubernetesGroups',
  'accessPolicies',
  'associatedAccessPolicies',
  'principalId',
]);

// A Kubernetes namespace name (DNS label), where the user guide also allows `*` wildcards (`dev-*`).
const NAMESPACE = /^[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?$/;
const PRINCIPAL_ID = /^[A-Z0-9]{16,128}$/;

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string, cause?: unknown): never {
  throw new AccessEntriesError(message, cause === undefined ? undefined : { cause });
}

function foundOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

/** The top level, read into a cluster name, a mode and the raw entries. */
interface TopLevel {
  clusterName?: string;
  mode?: unknown;
  items: readonly unknown[];
}

function topLevel(value: unknown): TopLevel {
  if (Array.isArray(value)) return { items: value };
  if (!isObject(value)) {
    fail(`expected access entries (an object or a list), found ${foundOf(value)}`);
  }
  if (Object.hasOwn(value, 'accessEntries')) {
    const list = value['accessEntries'];
    if (!Array.isArray(list)) fail(`"accessEntries" must be a list, found ${foundOf(list)}`);
    const clusterName = value['clusterName'];
    return {
      ...(typeof clusterName === 'string' ? { clusterName } : {}),
      ...(Object.hasOwn(value, 'authenticationMode') ? { mode: value['authenticationMode'] } : {}),
      items: list,
    };
  }
  if (Object.hasOwn(value, 'accessEntry') || Object.hasOwn(value, 'principalArn')) {
    return { items: [value] };
  }
  fail(
    'expected "aws eks describe-access-entry" output ({ "accessEntry": … }), a list of access entries, or { "accessEntries": [...] }',
  );
}

/** Collects diagnostics for one entry, and whether EKS would refuse to create it. */
class EntryReport {
  /** True once a rule is broken for which `CreateAccessEntry` fails: the entry cannot exist. */
  refused = false;

  constructor(
    private readonly out: AccessEntriesDiagnostic[],
    readonly index: number,
  ) {}

  add(severity: AccessEntriesDiagnostic['severity'], message: string, field?: string): void {
    this.out.push({
      severity,
      key: 'accessEntries',
      index: this.index,
      ...(field === undefined ? {} : { field }),
      message,
    });
  }

  /**
   * A value EKS refuses: `CreateAccessEntry` fails, so no such entry exists
   * on any cluster. The entry is dropped (never repaired with a default,
   * which would grant an identity EKS never gives).
   */
  refuse(code: AccessEntryRefusalCode, message: string, field: string): void {
    this.refused = true;
    this.out.push({
      severity: 'error',
      key: 'accessEntries',
      index: this.index,
      field,
      code,
      message: `EKS refuses to create this entry: ${message}; the entry is ignored`,
    });
  }
}

function readType(raw: unknown, report: EntryReport): AccessEntryType | undefined {
  if (raw === undefined || raw === null) return 'STANDARD';
  if (typeof raw === 'string' && (ACCESS_ENTRY_TYPES as readonly string[]).includes(raw)) {
    return raw as AccessEntryType;
  }
  report.add(
    'error',
    `type must be one of ${ACCESS_ENTRY_TYPES.join(', ')}, found ${typeof raw === 'string' ? quoteForMessage(raw) : foundOf(raw)}; the entry is ignored`,
    'type',
  );
  return undefined;
}

/**
 * The entry's groups. A value `CreateAccessEntry` refuses marks the whole
 * entry refused (see {@link EntryReport.refuse}); an empty group is left out
 * (it names no RBAC subject, so leaving it out changes nothing).
 */
function readGroups(raw: unknown, type: AccessEntryType, report: EntryReport): string[] {
  if (raw === undefined || raw === null)
    return type === 'STANDARD' ? [] : [...NODE_TYPES[type].groups];
  if (!Array.isArray(raw)) {
    report.refuse(
      'groups-not-a-list',
      `kubernetesGroups must be a list of strings, found ${foundOf(raw)}`,
      'kubernetesGroups',
    );
    return [];
  }
  const groups: string[] = [];
  const seen = new Set<string>();
  raw.forEach((group: unknown, i) => {
    const field = `kubernetesGroups[${i}]`;
    if (typeof group !== 'string') {
      report.refuse(
        'group-not-a-string',
        `a group must be a string, found ${foundOf(group)}`,
        field,
      );
      return;
    }
    if (group === '') {
      report.add('error', 'a group must be a non-empty string; ignored', field);
      return;
    }
    if (type !== 'STANDARD') {
      // describe-access-entry reports the node groups EKS grants; anything
      // else cannot be set on a node type ("You can't use the
      // --kubernetes-groups option when you specify a type other than STANDARD").
      if (!NODE_TYPES[type].groups.includes(group)) {
        report.refuse(
          'groups-on-node-type',
          `${type} entries take no kubernetesGroups (EKS grants ${NODE_TYPES[type].groups.join(', ')} itself), found ${quoteForMessage(group)}`,
          field,
        );
      }
      return;
    }
    if (group.startsWith('system:')) {
      // CreateAccessEntry answers InvalidParameterException "The kubernetes
      // group name … is invalid, it cannot start with system:"; node
      // permissions come from the node types.
      report.refuse(
        'group-reserved',
        `kubernetesGroups must not start with "system:" on STANDARD entries, found ${quoteForMessage(group)} (use an access policy, or a node type for node roles)`,
        field,
      );
      return;
    }
    if (seen.has(group)) {
      report.add('warning', `${quoteForMessage(group)} is listed twice`, field);
      return;
    }
    if (group.includes('{{')) {
      report.add(
        'warning',
        `AWS documents no templates in kubernetesGroups; ${quoteForMessage(group)} is read as unsupported (this library renders it as aws-auth does, EKS may keep it literal)`,
        field,
      );
    }
    groups.push(group);
    seen.add(group);
  });
  return type === 'STANDARD' ? groups : [...NODE_TYPES[type].groups];
}

function readScope(
  raw: unknown,
  field: string,
  report: EntryReport,
): AccessPolicyAssociation['accessScope'] | undefined {
  if (!isObject(raw)) {
    report.add(
      'error',
      `accessScope must be { type, namespaces? }, found ${foundOf(raw)}; the policy is ignored`,
      field,
    );
    return undefined;
  }
  const { type, namespaces } = raw;
  if (type !== 'cluster' && type !== 'namespace') {
    report.add(
      'error',
      `accessScope.type must be "cluster" or "namespace", found ${typeof type === 'string' ? quoteForMessage(type) : foundOf(type)}; the policy is ignored`,
      field,
    );
    return undefined;
  }
  const list = namespaces === undefined || namespaces === null ? [] : namespaces;
  if (!Array.isArray(list) || list.some((n) => typeof n !== 'string')) {
    report.add(
      'error',
      `accessScope.namespaces must be a list of strings; the policy is ignored`,
      field,
    );
    return undefined;
  }
  const names = list as string[];
  if (type === 'cluster') {
    if (names.length > 0) {
      report.add(
        'warning',
        'a cluster scope applies to every namespace; its namespaces are ignored',
        field,
      );
    }
    return { type, namespaces: [] };
  }
  if (names.length === 0) {
    report.add(
      'error',
      'a namespace scope needs at least one namespace; the policy is ignored',
      field,
    );
    return undefined;
  }
  const bad = names.find((n) => !NAMESPACE.test(n));
  if (bad !== undefined) {
    report.add(
      'error',
      `${quoteForMessage(bad)} is not a namespace name (lower-case letters, digits, "-", and "*" wildcards such as "dev-*"); the policy is ignored`,
      field,
    );
    return undefined;
  }
  return { type, namespaces: [...new Set(names)] };
}

function readPolicies(
  entry: Readonly<Record<string, unknown>>,
  type: AccessEntryType,
  partition: PartitionId,
  report: EntryReport,
): AccessPolicyAssociation[] {
  const name = Object.hasOwn(entry, 'accessPolicies')
    ? 'accessPolicies'
    : 'associatedAccessPolicies';
  const raw = entry[name];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    report.add('error', `${name} must be a list, found ${foundOf(raw)}; ignored`, name);
    return [];
  }
  const policies: AccessPolicyAssociation[] = [];
  // The policies kept so far, by ARN: one probe per item, not a scan of the list.
  const associated = new Set<string>();
  raw.forEach((item: unknown, i) => {
    const field = `${name}[${i}]`;
    if (!isObject(item) || typeof item['policyArn'] !== 'string') {
      report.add('error', 'an access policy needs a "policyArn" string; ignored', field);
      return;
    }
    const policyArn = item['policyArn'];
    const parts = parsePolicyArn(policyArn);
    if (parts === undefined) {
      report.add(
        'error',
        `${quoteForMessage(policyArn)} is not an access policy ARN (arn:<partition>:eks::aws:cluster-access-policy/<Name>); ignored`,
        `${field}.policyArn`,
      );
      return;
    }
    if (parts.partition !== partition) {
      report.add(
        'error',
        `the policy is in partition ${parts.partition} but the principal is in ${partition}; write ${accessPolicyArn(partition, parts.name)}`,
        `${field}.policyArn`,
      );
      return;
    }
    // Node types get their permissions from EKS; only Auto Mode node roles
    // (type EC2) take a policy, AmazonEKSAutoNodePolicy ("Create node class access entry").
    if (type !== 'STANDARD' && !(type === 'EC2' && parts.name === AUTO_NODE_POLICY)) {
      report.add(
        'error',
        `${type} entries take no access policies${type === 'EC2' ? ` other than ${AUTO_NODE_POLICY}` : ''}; ${parts.name} is ignored`,
        field,
      );
      return;
    }
    if (associated.has(policyArn)) {
      report.add(
        'error',
        `${parts.name} is associated twice; EKS allows each policy once per entry, the later one is ignored`,
        field,
      );
      return;
    }
    if (!isKnownAccessPolicy(parts.name)) {
      report.add(
        'warning',
        `${parts.name} is not an access policy AWS lists (see ACCESS_POLICIES); check its name`,
        `${field}.policyArn`,
      );
    }
    const scope = readScope(item['accessScope'], `${field}.accessScope`, report);
    if (scope !== undefined) {
      associated.add(policyArn);
      policies.push({ policyArn, accessScope: scope });
    }
  });
  return policies;
}

/**
 * The entry's effective username: the default EKS fills in, or the custom
 * one. A custom username EKS refuses marks the whole entry refused: it is
 * never replaced by the default, since EKS would not have created the entry
 * at all.
 */
function readUsername(
  raw: unknown,
  type: AccessEntryType,
  fallback: string,
  report: EntryReport,
): { username: string; defaultUsername: boolean } {
  if (raw === undefined || raw === null || raw === '')
    return { username: fallback, defaultUsername: true };
  if (typeof raw !== 'string') {
    report.refuse(
      'username-not-a-string',
      `username must be a string, found ${foundOf(raw)}`,
      'username',
    );
    return { username: fallback, defaultUsername: true };
  }
  // describe-access-entry reports the username EKS filled in: that is the default, not a custom one.
  if (raw === fallback) return { username: raw, defaultUsername: true };
  if (type !== 'STANDARD') {
    // "If the type of the access entry is STANDARD, you can specify a username."
    report.refuse(
      'username-on-node-type',
      `${type} entries take EKS's username (${quoteForMessage(fallback)}), found ${quoteForMessage(raw)}`,
      'username',
    );
    return { username: fallback, defaultUsername: true };
  }
  for (const p of checkCustomUsername(raw)) {
    if (p.severity === 'error' && p.code !== 'unsupported-template') {
      report.refuse(p.code, p.message, 'username');
    } else report.add(p.severity, p.message, 'username');
  }
  return { username: raw, defaultUsername: false };
}

const POLICY_FIELDS = ['accessPolicies', 'associatedAccessPolicies'] as const;

/**
 * The entry of a `describe-access-entry` answer (`{ accessEntry }`), with
 * what stands beside it: the policies of `list-associated-access-policies`
 * for the same principal, as `jq -s add` merges the two answers
 * (`{ accessEntry, clusterName, principalArn, associatedAccessPolicies }`),
 * become the entry's own. Anything else beside it is reported, never
 * silently dropped.
 */
function besideAccessEntry(
  wrapper: Readonly<Record<string, unknown>>,
  report: EntryReport,
): unknown {
  const entry = wrapper['accessEntry'];
  if (!isObject(entry)) return entry;
  let merged: Record<string, unknown> | undefined;
  for (const key of Object.keys(wrapper)) {
    if (key === 'accessEntry' || key === 'principalArn' || IGNORED_FIELDS.has(key)) continue;
    const policies = POLICY_FIELDS.find((name) => name === key);
    if (policies === undefined) {
      report.add(
        'warning',
        `unknown field ${quoteForMessage(key)} beside accessEntry is ignored`,
        key,
      );
      continue;
    }
    const owner = wrapper['principalArn'];
    if (owner !== undefined && owner !== entry['principalArn']) {
      report.add(
        'error',
        `${key} beside accessEntry belong to ${typeof owner === 'string' ? quoteForMessage(owner) : foundOf(owner)}, not to this entry's principal; ignored`,
        key,
      );
    } else if (POLICY_FIELDS.some((name) => Object.hasOwn(entry, name))) {
      report.add(
        'error',
        `${key} given both inside and beside accessEntry; the outer one is ignored`,
        key,
      );
    } else {
      merged = { ...entry, [key]: wrapper[key] };
    }
  }
  return merged ?? entry;
}

function readEntry(
  item: unknown,
  report: EntryReport,
  seen: Map<string, number>,
): AccessEntry | undefined {
  let entry = item;
  if (typeof entry === 'string') {
    // list-access-entries answers with bare ARNs: no type, username or groups.
    report.add(
      'warning',
      'a bare principal ARN (list-access-entries output) says nothing of type, username or groups; read as a STANDARD entry with defaults (use describe-access-entry output)',
    );
    entry = { principalArn: entry };
  }
  if (isObject(entry) && Object.hasOwn(entry, 'accessEntry')) {
    entry = besideAccessEntry(entry, report);
  }
  if (!isObject(entry)) {
    report.add('error', `an access entry must be an object, found ${foundOf(entry)}; ignored`);
    return undefined;
  }
  for (const key of Object.keys(entry)) {
    if (!ENTRY_FIELDS.has(key) && !IGNORED_FIELDS.has(key)) {
      report.add(
        'warning',
        `unknown field ${quoteForMessage(key)} is ignored (field names are case-sensitive)`,
        key,
      );
    }
  }
  const arn = entry['principalArn'];
  if (typeof arn !== 'string' || arn === '') {
    report.add('error', 'principalArn is required; the entry is ignored', 'principalArn');
    return undefined;
  }
  const check = checkPrincipalArn(arn);
  if (!check.ok) {
    report.add(
      'error',
      `${quoteForMessage(arn)}: ${check.reason}; the entry is ignored`,
      'principalArn',
    );
    return undefined;
  }
  const { principal } = check;
  const type = readType(entry['type'], report);
  if (type === undefined) return undefined;
  if (type !== 'STANDARD' && principal.principalType !== 'role') {
    report.add(
      'error',
      `${type} entries need an IAM role, not a ${principal.principalType}; the entry is ignored`,
      'principalArn',
    );
    return undefined;
  }
  const key = principalMatchKey(arn);
  const first = seen.get(key);
  if (first !== undefined) {
    report.add(
      'error',
      `entry ${first} already names this principal; EKS allows one entry per principal, this one is ignored`,
      'principalArn',
    );
    return undefined;
  }
  if (type !== 'STANDARD' && !NODE_TYPES[type].documented) {
    report.add(
      'warning',
      `AWS documents no username for ${type}; ${NODE_TYPES[type].username} is assumed (the conservative reading)`,
      'type',
    );
  }
  const fallback = defaultUsername(type, principal);
  const username = readUsername(entry['username'], type, fallback, report);
  const kubernetesGroups = readGroups(entry['kubernetesGroups'], type, report);
  // Policies are associated by a call of their own (AssociateAccessPolicy):
  // a refused one is left out, the entry stays. Read them even for a refused
  // entry, so that every problem of the entry is reported at once.
  const accessPolicies = readPolicies(entry, type, principal.partition, report);
  let principalId: string | undefined;
  const rawId = entry['principalId'];
  if (typeof rawId === 'string' && PRINCIPAL_ID.test(rawId)) principalId = rawId;
  else if (rawId !== undefined && rawId !== null) {
    report.add(
      'error',
      'principalId must be an IAM unique id (AROA…, AIDA…); ignored',
      'principalId',
    );
  }
  // A refused entry does not exist, so it does not hold the principal either.
  if (report.refused) return undefined;
  seen.set(key, report.index);
  return {
    principalArn: arn,
    type,
    ...username,
    kubernetesGroups,
    accessPolicies,
    ...(principalId === undefined ? {} : { principalId }),
    index: report.index,
  };
}

/**
 * Parse EKS access entries as the AWS API returns them, so the AWS CLI can be
 * piped straight in: one `aws eks describe-access-entry` answer, a list of
 * entries, or a bundle `{ clusterName?, authenticationMode?, accessEntries }`
 * whose entries carry their `accessPolicies` (as `aws eks
 * list-associated-access-policies` returns them; `associatedAccessPolicies`
 * accepted too) and optionally `principalId`. The two answers for one
 * principal merged into one object (`jq -s add`: `{ accessEntry,
 * associatedAccessPolicies, … }`) give the entry those policies.
 *
 * Every entry gets its effective `username` (the default EKS sets when none
 * is given) and `kubernetesGroups` (the node groups for node types). Entries
 * that break a rule of the EKS user guide are reported in `diagnostics` and
 * dropped: an entry EKS refuses to create (a reserved username prefix,
 * `{{SessionName}}` without a `:` before it, a `system:` group, a username
 * or groups on a node type, a wrongly typed value) is never repaired with
 * defaults, since it cannot exist on a cluster; its diagnostics carry the
 * refusal's `code`. An access policy that cannot be associated is reported
 * and left out; good entries are kept. The result is deeply frozen.
 *
 * @example
 * ```ts
 * const parsed = parseAccessEntries(await readFile('entries.json', 'utf8'));
 * for (const d of parsed.diagnostics) console.warn(d.severity, d.index, d.field, d.message);
 * ```
 * @throws {@link AccessEntriesError} (`ERR_ACCESS_ENTRIES_INVALID`) only when
 * the input is not access entries at all: not JSON, no known shape, too large.
 * @throws `TypeError` when `input` is neither a string, an object nor a list.
 */
export function parseAccessEntries(
  input: AccessEntriesInput,
  options?: ParseAccessEntriesOptions,
): AccessEntries {
  const limit = maxInputLengthOf(options, 'parseAccessEntries');
  let value: unknown = input;
  if (typeof input === 'string') {
    if (input.length > limit) fail(tooLongMessage('the input', input.length, limit));
    // Said by position only (and the engine's error not kept): its message quotes the input.
    const parsed = parseJson(input);
    if ('problem' in parsed) fail(`input is ${parsed.problem}`);
    value = parsed.value;
  } else if (typeof input !== 'object' || input === null) {
    throw new TypeError(
      `parseAccessEntries: expected a string, an object or a list, got ${input === null ? 'null' : typeof input}`,
    );
  }
  const top = topLevel(value);
  const diagnostics: AccessEntriesDiagnostic[] = [];
  let authenticationMode: AuthenticationMode | undefined;
  if (top.mode !== undefined && top.mode !== null) {
    if (typeof top.mode === 'string' && (MODES as readonly string[]).includes(top.mode)) {
      authenticationMode = top.mode as AuthenticationMode;
    } else {
      diagnostics.push({
        severity: 'error',
        key: 'accessEntries',
        field: 'authenticationMode',
        message: `authenticationMode must be one of ${MODES.join(', ')}; ignored`,
      });
    }
  }
  const seen = new Map<string, number>();
  const entries: AccessEntry[] = [];
  top.items.forEach((item, index) => {
    const entry = readEntry(item, new EntryReport(diagnostics, index), seen);
    if (entry !== undefined) entries.push(entry);
  });
  return deepFreeze({
    ...(top.clusterName === undefined ? {} : { clusterName: top.clusterName }),
    ...(authenticationMode === undefined ? {} : { authenticationMode }),
    entries,
    diagnostics,
  });
}

/** True if `value` looks like the result of `parseAccessEntries` rather than an input to it. */
export function isParsedAccessEntries(value: unknown): value is AccessEntries {
  return (
    isObject(value) &&
    Array.isArray(value['entries']) &&
    Array.isArray(value['diagnostics']) &&
    !Object.hasOwn(value, 'accessEntries')
  );
}
