/**
 * One `aws-auth` list entry at a time: YAML node → typed mapping, with the
 * Go authenticator's rules (field names case-insensitive, as Go's JSON
 * decoding reads them; a wrongly typed field is left empty) and warnings for
 * entries that parse but will not do what their author meant.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import { isPartitionId } from '../sts/partitions.js';
import type { PartitionId } from '../sts/partitions.js';
import { PLACEHOLDER_NAMES, scanPlaceholders } from './template.js';
import type {
  AwsAuthDiagnostic,
  AwsAuthKey,
  RoleMapping,
  SsoRoleMapping,
  UserMapping,
} from './types.js';
import { describeNode } from './yaml.js';
import type { YamlMapping, YamlNode } from './yaml.js';

/** Where an entry sits, and where its diagnostics go. */
export interface EntryContext {
  /** The list the entry is in. */
  readonly key: AwsAuthKey;
  /** 0-based position in that list. */
  readonly index: number;
  /** 1-based line of the entry's `- ` in the original text, if known. */
  readonly line: number | undefined;
  /** Where diagnostics are appended. */
  readonly diagnostics: AwsAuthDiagnostic[];
}

type Severity = AwsAuthDiagnostic['severity'];

/** Append a diagnostic about the entry `ctx` describes. */
export function report(
  ctx: EntryContext,
  severity: Severity,
  message: string,
  field?: string,
): void {
  ctx.diagnostics.push({
    severity,
    key: ctx.key,
    index: ctx.index,
    ...(field === undefined ? {} : { field }),
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
    message,
  });
}

/** Canonical spellings of the fields each entry kind knows, by lower-cased name. */
const ROLE_FIELDS = new Map([
  ['rolearn', 'rolearn'],
  ['sso', 'sso'],
  ['username', 'username'],
  ['groups', 'groups'],
  ['userid', 'userid'],
]);
const USER_FIELDS = new Map([
  ['userarn', 'userarn'],
  ['username', 'username'],
  ['groups', 'groups'],
  ['userid', 'userid'],
]);
const SSO_FIELDS = new Map([
  ['permissionsetname', 'permissionSetName'],
  ['accountid', 'accountID'],
  ['partition', 'partition'],
]);

const HINTS: Readonly<Record<string, string>> = {
  userarn: ' (user ARNs belong in mapUsers)',
  rolearn: ' (role ARNs belong in mapRoles)',
  group: ' (did you mean "groups"?)',
  user: ' (did you mean "username"?)',
  name: ' (did you mean "username"?)',
  arn: ' (did you mean "rolearn" or "userarn"?)',
};

/**
 * The fields of a map entry by canonical name; unknown fields and repeats
 * (`rolearn` and `roleArn` in one entry) are warned about; the last wins,
 * as in Go's JSON decoding.
 */
function fieldsOf(
  node: YamlMapping,
  known: ReadonlyMap<string, string>,
  ctx: EntryContext,
  prefix = '',
): Map<string, YamlNode> {
  const fields = new Map<string, YamlNode>();
  for (const pair of node.pairs) {
    const name = known.get(pair.key.toLowerCase());
    if (name === undefined) {
      const hint = HINTS[pair.key.toLowerCase()] ?? '';
      report(ctx, 'warning', `unknown field "${pair.key}" is ignored${hint}`, prefix + pair.key);
      continue;
    }
    if (fields.has(name)) {
      report(
        ctx,
        'warning',
        `field "${name}" is given more than once; the last one is used`,
        prefix + name,
      );
    }
    fields.set(name, pair.value);
  }
  return fields;
}

/** A string field; `undefined` when absent, null, or wrongly typed (reported). */
function stringField(
  fields: Map<string, YamlNode>,
  name: string,
  ctx: EntryContext,
  prefix = '',
): string | undefined {
  const node = fields.get(name);
  if (node === undefined || (node.kind === 'scalar' && node.isNull)) return undefined;
  if (node.kind === 'scalar') return node.text;
  report(
    ctx,
    'error',
    `"${name}" must be a string, found ${describeNode(node)}; it is left empty`,
    prefix + name,
  );
  return undefined;
}

/** The `groups` list; empty when absent, null, or wrongly typed (reported). */
function groupsField(fields: Map<string, YamlNode>, ctx: EntryContext): string[] {
  const node = fields.get('groups');
  if (node === undefined || (node.kind === 'scalar' && node.isNull)) return [];
  if (node.kind === 'sequence') {
    const groups: string[] = [];
    for (const item of node.items) {
      if (item.kind !== 'scalar' || item.isNull) {
        report(
          ctx,
          'error',
          `"groups" must be a list of strings, found ${describeNode(item)} in it; it is left empty`,
          'groups',
        );
        return [];
      }
      groups.push(item.text);
    }
    return groups;
  }
  report(
    ctx,
    'error',
    `"groups" must be a list of strings, found ${describeNode(node)}; it is left empty`,
    'groups',
  );
  return [];
}

const SESSION_PLACEHOLDERS = new Set(['SessionName', 'SessionNameRaw', 'EC2PrivateDNSName']);
const KNOWN_BY_LOWER = new Map(PLACEHOLDER_NAMES.map((n) => [n.toLowerCase(), n]));
/** `{Name}` with single braces: a common slip (`system:node:{EC2PrivateDNSName}`). */
const SINGLE_BRACE = /(?<!\{)\{\s*(\w+)\s*\}(?!\})/g;

/** Warnings for placeholders EKS will not substitute as the author expects. */
function checkTemplate(template: string, field: string, ctx: EntryContext): void {
  for (const use of scanPlaceholders(template)) {
    if (!use.known) {
      const near = KNOWN_BY_LOWER.get(use.name.trim().toLowerCase());
      const hint = near === undefined ? '' : ` (did you mean {{${near}}}?)`;
      report(ctx, 'warning', `unknown placeholder ${use.raw} stays literal${hint}`, field);
    } else if (use.spelling === 'angles') {
      report(
        ctx,
        'warning',
        `${use.raw} is substituted by this library, but EKS reads only {{${use.name}}}`,
        field,
      );
    }
    if (use.known && ctx.key === 'mapUsers' && SESSION_PLACEHOLDERS.has(use.name)) {
      report(
        ctx,
        'warning',
        `${use.raw} needs a role session; IAM users have none, so it renders empty or fails`,
        field,
      );
    }
  }
  for (const m of template.matchAll(SINGLE_BRACE)) {
    const near = KNOWN_BY_LOWER.get((m[1] as string).toLowerCase());
    if (near !== undefined) {
      report(
        ctx,
        'warning',
        `"${m[0]}" stays literal; placeholders take double braces: {{${near}}}`,
        field,
      );
    }
  }
}

/** Username, groups and userid, shared by role and user entries. */
function commonFields(
  fields: Map<string, YamlNode>,
  ctx: EntryContext,
): { username: string; groups: string[]; userId?: string; index: number; line?: number } {
  const username = stringField(fields, 'username', ctx) ?? '';
  const groups = groupsField(fields, ctx);
  const userId = stringField(fields, 'userid', ctx);
  if (username.trim() === '') {
    report(
      ctx,
      'warning',
      'the entry has no username: mapping anyone with it fails (ERR_TEMPLATE)',
      'username',
    );
  }
  checkTemplate(username, 'username', ctx);
  for (const group of groups) checkTemplate(group, 'groups', ctx);
  return {
    username,
    groups,
    ...(userId === undefined ? {} : { userId }),
    index: ctx.index,
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
  };
}

/** Parse an ARN for an entry, reporting why it can never match if it cannot. */
function entryArn(arn: string, field: string, ctx: EntryContext): CanonicalArn | undefined {
  try {
    return canonicalizeArn(arn);
  } catch (error) {
    const why = error instanceof Error ? error.message : 'invalid ARN';
    report(ctx, 'error', `"${field}" is not a valid IAM ARN (${why}); the entry is dropped`, field);
    return undefined;
  }
}

function asMapping(node: YamlNode, ctx: EntryContext): YamlMapping | undefined {
  if (node.kind === 'mapping') return node;
  report(
    ctx,
    'error',
    `expected a map with ${ctx.key === 'mapRoles' ? 'rolearn' : 'userarn'}, username and groups, found ${describeNode(node)}; the entry is dropped`,
  );
  return undefined;
}

const ACCOUNT_ID = /^\d{12}$/;
// https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

function readSso(node: YamlNode, ctx: EntryContext): SsoRoleMapping['sso'] | undefined {
  if (node.kind !== 'mapping') {
    report(
      ctx,
      'error',
      `"sso" must be a map with permissionSetName and accountID, found ${describeNode(node)}; it is left empty`,
      'sso',
    );
    return undefined;
  }
  const fields = fieldsOf(node, SSO_FIELDS, ctx, 'sso.');
  const permissionSetName = stringField(fields, 'permissionSetName', ctx, 'sso.') ?? '';
  const accountId = stringField(fields, 'accountID', ctx, 'sso.') ?? '';
  const partition = stringField(fields, 'partition', ctx, 'sso.') ?? 'aws';
  let valid = true;
  if (!PERMISSION_SET_NAME.test(permissionSetName)) {
    report(
      ctx,
      'error',
      'sso.permissionSetName must be 1-32 characters of [A-Za-z0-9_+=,.@-]; the entry is dropped',
      'sso.permissionSetName',
    );
    valid = false;
  }
  if (!ACCOUNT_ID.test(accountId)) {
    report(
      ctx,
      'error',
      'sso.accountID must be a 12-digit account id; the entry is dropped',
      'sso.accountID',
    );
    valid = false;
  }
  if (!isPartitionId(partition)) {
    report(
      ctx,
      'error',
      `sso.partition "${partition.slice(0, 32)}" is not a known AWS partition; the entry is dropped`,
      'sso.partition',
    );
    valid = false;
  }
  return valid ? { permissionSetName, accountId, partition: partition as PartitionId } : undefined;
}

/** A `mapRoles` entry, or `undefined` (reported) when it is invalid. */
export function readRoleEntry(
  node: YamlNode,
  ctx: EntryContext,
): RoleMapping | SsoRoleMapping | undefined {
  const map = asMapping(node, ctx);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, ROLE_FIELDS, ctx);
  const roleArn = stringField(fields, 'rolearn', ctx);
  const ssoNode = fields.get('sso');
  const hasSso = ssoNode !== undefined && !(ssoNode.kind === 'scalar' && ssoNode.isNull);
  const common = commonFields(fields, ctx);

  if (roleArn !== undefined && roleArn !== '' && hasSso) {
    report(
      ctx,
      'error',
      'an entry takes one of "rolearn" or "sso", not both; the entry is dropped',
    );
    return undefined;
  }
  if (hasSso) {
    const sso = readSso(ssoNode, ctx);
    return sso === undefined ? undefined : { sso, ...common };
  }
  if (roleArn === undefined || roleArn === '') {
    report(ctx, 'error', 'the entry needs "rolearn" (or "sso"); the entry is dropped', 'rolearn');
    return undefined;
  }
  const arn = entryArn(roleArn, 'rolearn', ctx);
  if (arn === undefined) return undefined;
  if (arn.principalType === 'assumed-role') {
    report(
      ctx,
      'warning',
      `an assumed-role ARN never matches: write the role ARN ${arn.canonicalArn}`,
      'rolearn',
    );
  } else if (arn.principalType === 'role' && arn.name?.includes('/')) {
    // STS reports assumed roles without their path, so EKS never matches this.
    report(
      ctx,
      'warning',
      'the role ARN has a path (role/<path>/<name>); EKS matches roles without their path, so this entry never matches there (stripRolePaths matches it here)',
      'rolearn',
    );
  } else if (arn.principalType === 'user') {
    report(
      ctx,
      'warning',
      'a user ARN in mapRoles: EKS matches it, but it belongs in mapUsers',
      'rolearn',
    );
  }
  return { roleArn, ...common };
}

/** A `mapUsers` entry, or `undefined` (reported) when it is invalid. */
export function readUserEntry(node: YamlNode, ctx: EntryContext): UserMapping | undefined {
  const map = asMapping(node, ctx);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, USER_FIELDS, ctx);
  const userArn = stringField(fields, 'userarn', ctx);
  const common = commonFields(fields, ctx);
  if (userArn === undefined || userArn === '') {
    report(ctx, 'error', 'the entry needs "userarn"; the entry is dropped', 'userarn');
    return undefined;
  }
  const arn = entryArn(userArn, 'userarn', ctx);
  if (arn === undefined) return undefined;
  if (arn.principalType === 'role' || arn.principalType === 'assumed-role') {
    report(ctx, 'warning', 'a role ARN in mapUsers belongs in mapRoles', 'userarn');
  }
  return { userArn, ...common };
}

/** A `mapAccounts` item, exactly as written, or `undefined` (reported) when it is not a string. */
export function readAccountItem(node: YamlNode, ctx: EntryContext): string | undefined {
  if (node.kind !== 'scalar' || node.isNull) {
    report(
      ctx,
      'error',
      `expected an account id string, found ${describeNode(node)}; the item is dropped`,
    );
    return undefined;
  }
  if (!ACCOUNT_ID.test(node.text)) {
    report(ctx, 'warning', 'account ids are 12 digits: this item never matches');
  }
  return node.text;
}
