/**
 * One `aws-auth` list entry at a time: the JSON value Go's YAML made of it
 * (`go-yaml.ts`) → typed mapping, by the rules of `encoding/json` and the Go
 * authenticator's `Validate`, plus every diagnostic the entry deserves.
 *
 * What EKS does, and where (kubernetes-sigs/aws-iam-authenticator):
 * - field names match case-insensitively, and of several spellings the one
 *   whose key sorts last wins (json.Marshal sorts a Go map's keys; encoding/json
 *   assigns in order) — pkg/mapper/configmap/configmap.go:129-133;
 * - a value of the wrong JSON type leaves its field as it was (empty), the
 *   rest of the entry and of the list is still decoded (encoding/json
 *   "completes the unmarshaling as best it can"), and an item of `groups`
 *   that is not a string becomes `""`;
 * - a role entry needs exactly one of a non-empty `rolearn` or an `sso` block
 *   (pkg/config/mapper.go:32-69); a user entry a non-empty `userarn`
 *   (mapper.go:111-121). Nothing else is checked: an entry without username
 *   is kept and maps to the empty user (pkg/server/server.go:507-526), a
 *   malformed ARN is kept and never matches.
 *
 * @module
 */
import { jsonQuoted, quoteForMessage } from '../util/control-characters.js';
import { isPartitionId } from '../partitions.js';
import { nearest } from './edit-distance.js';
import type { GoField, GoValue } from './go-yaml.js';
import { lintArn } from './lint-arn.js';
import { lintValue } from './lint-value.js';
import type {
  AwsAuthDiagnostic,
  AwsAuthDiagnosticCode,
  AwsAuthKey,
  RoleMapping,
  SourceDiagnosticCode,
  SsoRoleMapping,
  UserMapping,
} from './types.js';

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
  /**
   * Line and column (1-based) in the original text of an offset into the
   * entry's YAML, when they can be told: the `fieldLine` and `column` of a
   * diagnostic about one value.
   */
  readonly locate?: ((offset: number) => { line: number; column: number } | undefined) | undefined;
}

type Severity = AwsAuthDiagnostic['severity'];

/** What one diagnostic says. */
export interface Finding {
  /** Severity. */
  readonly severity: Severity;
  /** Code (a source's own problems have their own codes). */
  readonly code: AwsAuthDiagnosticCode | SourceDiagnosticCode;
  /** Message. */
  readonly message: string;
  /** The field concerned. */
  readonly field?: string | undefined;
  /** What to write instead. */
  readonly fix?: string | undefined;
  /** Offset (into the entry's YAML) of the value concerned: its line and column are reported. */
  readonly at?: number | undefined;
}

/** Append a diagnostic about the entry `ctx` describes. */
export function report(ctx: EntryContext, finding: Finding): void {
  // An empty value has no text of its own (offset -1): no location then.
  const where = finding.at === undefined || finding.at < 0 ? undefined : ctx.locate?.(finding.at);
  ctx.diagnostics.push({
    severity: finding.severity,
    code: finding.code,
    key: ctx.key,
    index: ctx.index,
    ...(finding.field === undefined ? {} : { field: finding.field }),
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
    ...(where === undefined ? {} : { fieldLine: where.line, column: where.column }),
    message: finding.message,
    ...(finding.fix === undefined ? {} : { fix: finding.fix }),
  });
}

/** The JSON names of each struct's fields (pkg/config/types.go:46-103). */
const ROLE_FIELDS = ['rolearn', 'sso', 'username', 'groups', 'userid'] as const;
const USER_FIELDS = ['userarn', 'username', 'groups', 'userid'] as const;
const SSO_FIELDS = ['permissionSetName', 'accountID', 'partition'] as const;
const ALL_FIELDS = ['rolearn', 'userarn', 'username', 'groups', 'userid', 'sso'];

/** encoding/json's case folding: ASCII case, plus the two Unicode letters that fold onto k and s. */
function fold(name: string): string {
  return name.toLowerCase().replaceAll('\u212a', 'k').replaceAll('\u017f', 's');
}

function typeName(value: GoValue): string {
  switch (value.kind) {
    case 'null':
      return 'nothing';
    case 'string':
      return 'a string';
    case 'bool':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'list':
      return 'a list';
    default:
      return 'a map';
  }
}

/** Why a value is not the string it looks like, and how to write it. */
function notAString(value: GoValue, what: string, field: string): Finding {
  if (value.kind === 'bool' || value.kind === 'number') {
    return {
      severity: 'error',
      code: 'yaml11-scalar',
      field,
      at: value.start,
      message: `${what} ${quoteForMessage(value.text)} is unquoted, and Go's YAML (YAML 1.1) reads it as ${typeName(value)}, not a string: EKS leaves it empty`,
      fix: `quote it: ${jsonQuoted(value.text)}`,
    };
  }
  const placeholder =
    value.kind === 'map' && value.fields.length === 1 ? value.fields[0] : undefined;
  const braces = placeholder !== undefined && placeholder.value.kind === 'null';
  return {
    severity: 'error',
    code: 'field-wrong-type',
    field,
    at: value.start,
    message: `${what} must be a string, found ${typeName(value)}${braces ? ` (an unquoted ${quoteForMessage(`{${placeholder.written}}`)} is a YAML map)` : ''}: EKS leaves it empty`,
    ...(braces ? { fix: `quote the value: ${jsonQuoted(`{${placeholder.written}}`)}` } : {}),
  };
}

/** Entry fields by JSON name, in the order encoding/json assigns them. */
class EntryFields {
  readonly #byName = new Map<string, GoField[]>();
  /** Where the value each string field ends up with was written. */
  readonly #starts = new Map<string, number>();
  /** Where each group `groups` ends up with was written. */
  groupStarts: number[] = [];

  constructor(
    fields: readonly GoField[],
    known: readonly string[],
    ctx: EntryContext,
    prefix = '',
  ) {
    const byFold = new Map(known.map((k) => [fold(k), k]));
    for (const field of fields) {
      const name = byFold.get(fold(field.name));
      if (name === undefined) {
        reportUnknown(field, known, ctx, prefix);
        continue;
      }
      const list = this.#byName.get(name) ?? [];
      list.push(field);
      this.#byName.set(name, list);
    }
    for (const [name, list] of this.#byName) {
      if (list.length > 1) {
        const used = list[list.length - 1] as GoField;
        report(ctx, {
          severity: 'warning',
          code: 'field-repeated',
          field: prefix + name,
          at: used.keyStart,
          message: `"${name}" is given ${list.length} times (${list.map((f) => f.written).join(', ')}); EKS decodes them in sorted order and keeps "${used.written}"`,
          fix: `keep only one "${name}"`,
        });
      }
    }
  }

  /** A string field, as encoding/json leaves it: the last string value, else empty. */
  string(name: string, ctx: EntryContext, prefix = ''): string | undefined {
    let result: string | undefined;
    for (const field of this.#byName.get(name) ?? []) {
      if (field.value.kind === 'string') {
        result = field.value.value;
        this.#starts.set(name, field.value.start);
      } else if (field.value.kind !== 'null') {
        report(ctx, notAString(field.value, `"${prefix}${name}"`, prefix + name));
      }
    }
    return result;
  }

  /** Where the value of a string field was written, if it has one. */
  startOf(name: string): number | undefined {
    return this.#starts.get(name);
  }

  /**
   * `groups` as encoding/json decodes each spelling in turn into one
   * `[]string` (decode.go `array`): a list overwrites the slice element by
   * element and sets its length, but a null or non-string element leaves
   * the element the earlier list put there (`Groups: [system:masters]` then
   * `groups: [~, view]` is `[system:masters, view]`); null empties it; any
   * other value is a type error that leaves it. `checked` marks the groups
   * whose problem is already reported.
   */
  groups(ctx: EntryContext): { groups: string[]; checked: boolean[] } {
    let groups: string[] = [];
    let checked: boolean[] = [];
    const spellings = this.#byName.get('groups') ?? [];
    for (const field of spellings) {
      const value = field.value;
      if (value.kind === 'null') {
        groups = [];
        checked = [];
        this.groupStarts = [];
      } else if (value.kind === 'list') {
        const earlier = groups;
        const earlierStarts = this.groupStarts;
        this.groupStarts = value.items.map((item, i) =>
          item.kind === 'string' || earlierStarts[i] === undefined ? item.start : earlierStarts[i],
        );
        groups = value.items.map((item, i) => {
          if (item.kind === 'string') return item.value;
          if (item.kind !== 'null') report(ctx, notAString(item, `group ${i + 1}`, 'groups'));
          else if (earlier[i] === undefined || earlier[i] === '') {
            report(ctx, {
              severity: 'warning',
              code: 'empty-group',
              field: 'groups',
              at: item.start,
              message: `group ${i + 1} is empty ("-" with nothing after it, or null): EKS makes it the group "", which grants nothing`,
              fix: 'remove the empty item',
            });
          }
          return earlier[i] ?? '';
        });
        checked = value.items.map((item, i) => item.kind !== 'string' && (earlier[i] ?? '') === '');
      } else {
        report(ctx, {
          severity: 'error',
          code: 'field-wrong-type',
          field: 'groups',
          at: value.start,
          message: `"groups" must be a list of strings, found ${typeName(value)}: EKS leaves it ${groups.length === 0 ? 'empty' : 'as the spelling before it set it'}`,
          ...(value.kind === 'string' ? { fix: `groups: [${value.value}]` } : {}),
        });
      }
    }
    if (spellings.length > 1 && groups.length > 0) {
      const last = spellings[spellings.length - 1]?.value;
      if (last?.kind === 'list' && last.items.some((item) => item.kind !== 'string')) {
        report(ctx, {
          severity: 'warning',
          code: 'field-repeated',
          field: 'groups',
          message: `an empty or non-string group in the last "groups" keeps the group an earlier spelling put at that position: EKS grants [${groups.map((g) => quoteForMessage(g.slice(0, 40))).join(', ')}]`,
          fix: 'keep only one "groups"',
        });
      }
    }
    return { groups, checked };
  }

  /**
   * An object field (`sso`) as encoding/json decodes each spelling in turn
   * into one struct pointer: a map's fields are decoded into the struct the
   * earlier spelling allocated (merged), null resets it, any other value
   * allocates it empty. `undefined` when the pointer stays nil.
   */
  object(name: string): { fields: GoField[]; wrong?: GoValue } | undefined {
    let result: { fields: GoField[]; wrong?: GoValue } | undefined;
    for (const field of this.#byName.get(name) ?? []) {
      const value = field.value;
      if (value.kind === 'null') result = undefined;
      else if (value.kind === 'map')
        result = { fields: [...(result?.fields ?? []), ...value.fields] };
      else result = { fields: result?.fields ?? [], wrong: value };
    }
    return result;
  }

  /** The last value of a field, when given at all. */
  last(name: string): GoValue | undefined {
    const list = this.#byName.get(name);
    return list?.[list.length - 1]?.value;
  }
}

const CROSS_LIST: Readonly<Record<string, string>> = {
  userarn: 'user ARNs belong in mapUsers',
  rolearn: 'role ARNs belong in mapRoles',
};

function reportUnknown(
  field: GoField,
  known: readonly string[],
  ctx: EntryContext,
  prefix: string,
): void {
  const lower = fold(field.name).replace(/[^a-z]/g, '');
  let hint = Object.hasOwn(CROSS_LIST, lower) ? CROSS_LIST[lower] : undefined;
  let fix: string | undefined;
  if (hint === undefined) {
    const meant =
      nearest(lower, known.map(fold), 2) ??
      (lower === 'arn' ? (ctx.key === 'mapUsers' ? 'userarn' : 'rolearn') : undefined) ??
      (lower === 'user' || lower === 'name' ? 'username' : undefined) ??
      (prefix === '' ? nearest(lower, ALL_FIELDS, 2) : undefined);
    if (meant !== undefined) {
      const spelled = known.find((k) => fold(k) === meant) ?? meant;
      hint = `did you mean "${spelled}"?`;
      fix = spelled;
    }
  }
  report(ctx, {
    severity: 'warning',
    code: 'unknown-field',
    field: prefix + field.written,
    at: field.keyStart,
    message: `unknown field ${quoteForMessage(field.written)} is ignored by EKS${hint === undefined ? '' : ` (${hint})`}`,
    ...(fix === undefined ? {} : { fix }),
  });
}

/** Username, groups and userid, shared by role and user entries, with their value checks. */
function commonFields(
  fields: EntryFields,
  ctx: EntryContext,
): {
  entry: { username: string; groups: string[]; userId?: string; index: number; line?: number };
  checked: boolean[];
  starts: ValueStarts;
} {
  const username = fields.string('username', ctx) ?? '';
  const { groups, checked } = fields.groups(ctx);
  const userId = fields.string('userid', ctx);
  return {
    checked,
    starts: { username: fields.startOf('username'), groups: fields.groupStarts },
    entry: {
      username,
      groups,
      ...(userId === undefined ? {} : { userId }),
      index: ctx.index,
      ...(ctx.line === undefined ? {} : { line: ctx.line }),
    },
  };
}

/** Where the username and each group were written (offsets into the entry's YAML). */
interface ValueStarts {
  readonly username: number | undefined;
  readonly groups: readonly (number | undefined)[];
}

/** Checks that apply once the entry is known to be kept. */
function lintKept(
  entry: { username: string; groups: readonly string[] },
  checked: readonly boolean[],
  arn: { value: string; field: string; at: number | undefined } | undefined,
  ctx: EntryContext,
  starts: ValueStarts,
): void {
  if (arn !== undefined) {
    for (const p of lintArn(arn.value, ctx.key, arn.field)) {
      report(ctx, { ...p, field: arn.field, at: arn.at });
    }
  }
  if (entry.username === '') {
    report(ctx, {
      severity: 'warning',
      code: 'missing-username',
      field: 'username',
      message:
        'the entry has no username: EKS authenticates the caller as the empty user "" with its groups; RBAC on groups works, but aggregated APIs (kubectl top, metrics) answer Unauthorized',
      fix:
        ctx.key === 'mapRoles'
          ? 'username: "{{SessionName}}" (or a fixed name)'
          : 'username: the IAM user name',
    });
  } else {
    for (const p of lintValue(entry.username, 'username', ctx.key)) {
      report(ctx, { ...p, field: 'username', at: starts.username });
    }
  }
  entry.groups.forEach((group, i) => {
    if (checked[i] === true) return;
    for (const p of lintValue(group, 'groups', ctx.key)) {
      report(ctx, { ...p, field: 'groups', at: starts.groups[i] });
    }
  });
}

function asMap(value: GoValue, ctx: EntryContext): readonly GoField[] | undefined {
  if (value.kind === 'map') return value.fields;
  // encoding/json leaves the struct empty; Validate then drops it (mapper.go:37, 116).
  const arnField = ctx.key === 'mapRoles' ? 'rolearn' : 'userarn';
  const looksLikeField =
    value.kind === 'string' && /^\s*(rolearn|userarn|username|groups)\s*:/i.test(value.value);
  report(ctx, {
    severity: 'error',
    code: 'entry-not-a-map',
    message: `expected a map with ${arnField}, username and groups, found ${typeName(value)}; EKS drops the entry`,
    ...(looksLikeField ? { fix: 'put a space after the ":" (rolearn: arn:aws:…)' } : {}),
  });
  return undefined;
}

const ACCOUNT_ID = /^\d{12}$/;
// https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html (mapper.go:50)
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

function readSso(
  value: { fields: GoField[]; wrong?: GoValue },
  ctx: EntryContext,
): SsoRoleMapping['sso'] | undefined {
  if (value.wrong !== undefined) {
    report(ctx, {
      severity: 'error',
      code: 'sso-invalid',
      field: 'sso',
      message: `"sso" must be a map with permissionSetName and accountID, found ${typeName(value.wrong)}; EKS drops the entry`,
    });
    return undefined;
  }
  const fields = new EntryFields(value.fields, SSO_FIELDS, ctx, 'sso.');
  const permissionSetName = fields.string('permissionSetName', ctx, 'sso.') ?? '';
  const accountId = fields.string('accountID', ctx, 'sso.') ?? '';
  const partition = fields.string('partition', ctx, 'sso.') ?? '';
  let valid = true;
  if (!ACCOUNT_ID.test(accountId)) {
    report(ctx, {
      severity: 'error',
      code: 'sso-invalid',
      field: 'sso.accountID',
      at: fields.startOf('accountID'),
      message: 'sso.accountID must be a 12-digit account id (quoted); EKS drops the entry',
    });
    valid = false;
  }
  if (!PERMISSION_SET_NAME.test(permissionSetName)) {
    report(ctx, {
      severity: 'error',
      code: 'sso-invalid',
      field: 'sso.permissionSetName',
      at: fields.startOf('permissionSetName'),
      message:
        'sso.permissionSetName must be 1-32 characters of [A-Za-z0-9_+=,.@-]; EKS drops the entry',
    });
    valid = false;
  }
  // pkg/config/mapper.go:55 checks the same list (pkg/endpoints/partitions.go:23-32).
  if (partition !== '' && !isPartitionId(partition)) {
    report(ctx, {
      severity: 'error',
      code: 'sso-invalid',
      field: 'sso.partition',
      at: fields.startOf('partition'),
      message: `sso.partition ${quoteForMessage(partition.slice(0, 32))} is not a known AWS partition; EKS drops the entry`,
    });
    valid = false;
  }
  if (!valid) return undefined;
  if (partition !== '') {
    // mapper.go:23-28 sets the pattern's partition only when none is given.
    report(ctx, {
      severity: 'error',
      code: 'sso-partition-never-matches',
      field: 'sso.partition',
      at: fields.startOf('partition'),
      message:
        'an sso entry that names its partition never matches: the Go authenticator then builds its ARN pattern with an empty partition',
      fix: 'remove "partition" (the aws partition is assumed)',
    });
  }
  return {
    permissionSetName,
    accountId,
    partition: (partition === '' ? 'aws' : partition) as SsoRoleMapping['sso']['partition'],
    ...(partition === '' ? {} : { partitionWritten: true }),
  };
}

/** A `mapRoles` entry as EKS keeps it, or `undefined` (reported) when EKS drops it. */
export function readRoleEntry(
  value: GoValue,
  ctx: EntryContext,
): RoleMapping | SsoRoleMapping | undefined {
  const map = asMap(value, ctx);
  if (map === undefined) return undefined;
  const fields = new EntryFields(map, ROLE_FIELDS, ctx);
  const roleArn = fields.string('rolearn', ctx) ?? '';
  // encoding/json allocates the pointer for any non-null value (mapper.go:37-41 then sees it).
  const ssoValue = fields.object('sso');
  const hasSso = ssoValue !== undefined;
  const { entry: common, checked, starts } = commonFields(fields, ctx);

  if (roleArn !== '' && hasSso) {
    report(ctx, {
      severity: 'error',
      code: 'entry-arn-and-sso',
      message: 'an entry takes one of "rolearn" or "sso", not both; EKS drops the entry',
    });
    return undefined;
  }
  if (hasSso) {
    const sso = readSso(ssoValue as { fields: GoField[]; wrong?: GoValue }, ctx);
    if (sso === undefined) return undefined;
    const entry: SsoRoleMapping = { sso, ...common };
    lintKept(entry, checked, undefined, ctx, starts);
    return entry;
  }
  if (roleArn === '') {
    report(ctx, {
      severity: 'error',
      code: 'entry-missing-arn',
      field: 'rolearn',
      message: 'the entry needs "rolearn" (or "sso"); EKS drops the entry',
      fix: 'rolearn: arn:aws:iam::<account>:role/<name>',
    });
    return undefined;
  }
  const entry: RoleMapping = { roleArn, ...common };
  lintKept(
    entry,
    checked,
    { value: roleArn, field: 'rolearn', at: fields.startOf('rolearn') },
    ctx,
    starts,
  );
  return entry;
}

/** A `mapUsers` entry as EKS keeps it, or `undefined` (reported) when EKS drops it. */
export function readUserEntry(value: GoValue, ctx: EntryContext): UserMapping | undefined {
  const map = asMap(value, ctx);
  if (map === undefined) return undefined;
  const fields = new EntryFields(map, USER_FIELDS, ctx);
  const userArn = fields.string('userarn', ctx) ?? '';
  const { entry: common, checked, starts } = commonFields(fields, ctx);
  if (userArn === '') {
    report(ctx, {
      severity: 'error',
      code: 'entry-missing-arn',
      field: 'userarn',
      message: 'the entry needs "userarn"; EKS drops the entry',
      fix: 'userarn: arn:aws:iam::<account>:user/<name>',
    });
    return undefined;
  }
  const entry: UserMapping = { userArn, ...common };
  lintKept(
    entry,
    checked,
    { value: userArn, field: 'userarn', at: fields.startOf('userarn') },
    ctx,
    starts,
  );
  return entry;
}

/**
 * A `mapAccounts` item as go-yaml v2 decodes it into a string (as written),
 * or `undefined` (reported) when it is a list or map, which Go skips.
 * `at` is the item's offset in the entry's YAML, so a diagnostic points at
 * the value (its `fieldLine` and `column`), as every value diagnostic does.
 */
export function readAccountItem(
  value: string | undefined,
  ctx: EntryContext,
  at?: number,
): string | undefined {
  if (value === undefined) {
    report(ctx, {
      severity: 'error',
      code: 'account-not-a-string',
      message: 'expected an account id, found a list or map; EKS skips the item',
      at,
    });
    return undefined;
  }
  if (!ACCOUNT_ID.test(value)) {
    report(ctx, {
      severity: 'warning',
      code: 'account-invalid',
      at,
      message: `account ids are 12 digits, found ${quoteForMessage(value.slice(0, 40))}: this item never matches`,
      fix: ACCOUNT_ID.test(value.trim())
        ? value.trim()
        : 'the 12-digit account id, quoted ("012345678901")',
    });
  }
  return value;
}
