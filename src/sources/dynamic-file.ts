/**
 * `parseDynamicFile` (SPEC 4.8): the Go authenticator's `DynamicFile`, a JSON
 * file it watches and reloads. Read as Go's `encoding/json` reads it (field
 * names case-insensitive, unknown fields ignored, a wrongly typed value an
 * error), with the Go loader's rule that one entry without its key, or one
 * type error, makes it refuse the whole file and keep what it had.
 *
 * @module
 */
import { maxInputLengthOf } from '../mapping/limits.js';
import type { InputLimitOptions } from '../mapping/limits.js';
import { parseJson } from '../util/json.js';
import { canonicalizeArn } from '../arn.js';
import { readAccountItem, readRoleEntry, readUserEntry, report } from '../mapping/entries.js';
import type { EntryContext } from '../mapping/entries.js';
import { itemIndicatorOffset } from '../mapping/locate.js';
import type {
  AwsAuthDiagnostic,
  AwsAuthKey,
  RoleMapping,
  SourceDiagnosticCode,
  UserMapping,
} from '../mapping/types.js';
import { deref } from '../mapping/yaml.js';
import type { YamlMapping, YamlNode, YamlPair } from '../mapping/yaml.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { quoteForMessage } from '../util/control-characters.js';
import {
  checkLength,
  entryValue,
  isNothing,
  jsonKind,
  loadDocument,
  nodeFromValue,
  pairOf,
  refuseInput,
  replacedScalar,
  scalarText,
  withField,
  withoutFields,
} from './read.js';
import type { LoadedDocument } from './read.js';
import type { DynamicFileMappings } from './types.js';

const WHAT = 'DynamicFile';

/** Options of {@link parseDynamicFile}. */
export interface ParseDynamicFileOptions extends InputLimitOptions {
  /**
   * Match entries by principal id (`userid`) instead of ARN: the Go server's
   * `server.dynamicfileUserIDStrict`. Every entry then needs `userid`.
   *
   * @defaultValue `false`
   */
  userIdStrict?: boolean;
}

/** The JSON type of each field Go decodes, by lower-cased name. */
type Shape = ReadonlyMap<string, 'string' | 'strings' | Shape>;
const SSO_SHAPE: Shape = new Map([
  ['permissionsetname', 'string'],
  ['accountid', 'string'],
  ['partition', 'string'],
]);
const ROLE_SHAPE: Shape = new Map<string, 'string' | 'strings' | Shape>([
  ['rolearn', 'string'],
  ['sso', SSO_SHAPE],
  ['username', 'string'],
  ['groups', 'strings'],
  ['userid', 'string'],
]);
const USER_SHAPE: Shape = new Map<string, 'string' | 'strings' | Shape>([
  ['userarn', 'string'],
  ['username', 'string'],
  ['groups', 'strings'],
  ['userid', 'string'],
]);

interface Reader {
  readonly doc: LoadedDocument;
  readonly diagnostics: AwsAuthDiagnostic[];
  readonly refusals: string[];
  readonly strict: boolean;
}

function refusal(
  r: Reader,
  code: SourceDiagnosticCode | 'entry-missing-arn' | 'yaml-syntax',
  key: string,
  node: YamlNode,
  message: string,
  index?: number,
): void {
  const line = r.doc.lineOf(node.start);
  r.diagnostics.push({
    severity: 'error',
    code,
    key,
    ...(index === undefined ? {} : { index }),
    ...(line === undefined ? {} : { line }),
    message,
  });
  r.refusals.push(`${key}${index === undefined ? '' : `[${index}]`}: ${message}`);
}

/** Go's json.Unmarshal fails on any value of the wrong JSON type (null is always fine). */
function checkTypes(r: Reader, written: YamlNode, shape: Shape, key: string, index: number): void {
  const node = deref(written);
  if (node.kind !== 'mapping') return;
  for (const pair of node.pairs) {
    const want = shape.get(pair.key.toLowerCase());
    if (want === undefined || isNothing(pair.value)) continue;
    const got = jsonKind(pair.value);
    const bad =
      want === 'string'
        ? got !== 'string'
        : want === 'strings'
          ? got !== 'array' ||
            listItems(pair.value).some((i) => !['string', 'null'].includes(jsonKind(i)))
          : got !== 'object';
    if (bad) {
      const what =
        want === 'string' ? 'a string' : want === 'strings' ? 'a list of strings' : 'an object';
      refusal(
        r,
        'json-wrong-type',
        key,
        pair.value,
        `${quoteForMessage(pair.key.slice(0, 64))} must be ${what}, found ${got}: Go's JSON decoding fails`,
        index,
      );
    } else if (typeof want !== 'string') {
      checkTypes(r, pair.value, want, key, index);
    }
  }
}

/** The items of a list node (through an alias), none for anything else. */
function listItems(node: YamlNode | undefined): readonly YamlNode[] {
  const n = node === undefined ? undefined : deref(node);
  return n?.kind === 'sequence' ? n.items : [];
}

/** A field's string (types already checked), `''` when absent or null. */
function text(node: YamlMapping, name: string): string {
  return scalarText(pairOf(node, name, true)?.value) ?? '';
}

/** A strict-mode entry without an ARN: it matches by principal id alone. */
function idOnlyEntry(
  node: YamlMapping,
  ctx: EntryContext,
): { roleArn: string; userArn: string } & Omit<RoleMapping, 'roleArn'> {
  const groups = listItems(pairOf(node, 'groups', true)?.value).map((g) => scalarText(g) ?? '');
  return {
    roleArn: '',
    userArn: '',
    username: text(node, 'username'),
    groups,
    userId: text(node, 'userid'),
    index: ctx.index,
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
  };
}

function readEntry(
  r: Reader,
  key: 'mapRoles' | 'mapUsers',
  item: YamlNode,
  ctx: EntryContext,
): RoleMapping | UserMapping | undefined {
  const arnField = key === 'mapRoles' ? 'rolearn' : 'userarn';
  const map = deref(item);
  if (map.kind !== 'mapping' && !isNothing(map)) {
    refusal(
      r,
      'json-wrong-type',
      key,
      item,
      "an entry must be an object: Go's JSON decoding fails",
      ctx.index,
    );
    return undefined;
  }
  const node: YamlMapping =
    map.kind === 'mapping' ? map : { kind: 'mapping', start: item.start, pairs: [] };
  checkTypes(r, node, key === 'mapRoles' ? ROLE_SHAPE : USER_SHAPE, key, ctx.index);
  const matchKey = r.strict ? text(node, 'userid') : text(node, arnField);
  if (matchKey === '') {
    refusal(
      r,
      r.strict ? 'entry-missing-userid' : 'entry-missing-arn',
      key,
      item,
      r.strict
        ? 'the entry has no userid, which user-id-strict mode matches by: the Go authenticator refuses the file'
        : `the entry has no ${arnField}: the Go authenticator refuses the file`,
      ctx.index,
    );
    return undefined;
  }
  let entryNode = node;
  // The DynamicFile loader never reads sso: an entry matches by its ARN or id only.
  const sso = pairOf(node, 'sso', true);
  if (sso !== undefined) {
    report(ctx, {
      severity: 'warning',
      code: 'sso-ignored',
      field: 'sso',
      message: 'sso is ignored in a DynamicFile: entries match by ARN (or userid)',
      fix: 'remove "sso"',
    });
    entryNode = withoutFields(
      node,
      node.pairs.filter((p: YamlPair) => p.key.toLowerCase() === 'sso'),
    );
  }
  const arnPair = pairOf(entryNode, arnField, true);
  if (arnPair === undefined || text(entryNode, arnField) === '') {
    // Only in strict mode (checked above): matched by principal id alone.
    const entry = idOnlyEntry(entryNode, ctx);
    if (key === 'mapRoles') {
      const { userArn: _u, ...role } = entry;
      return role;
    }
    const { roleArn: _r, ...user } = entry;
    return user;
  }
  if (!r.strict) {
    // Keyed as the Go loader keys it: the lower-cased ARN, canonicalized.
    try {
      const canonical = canonicalizeArn((scalarText(arnPair.value) ?? '').toLowerCase());
      entryNode = withField(
        entryNode,
        arnPair,
        replacedScalar(arnPair.value, canonical.canonicalArn),
      );
    } catch (error) {
      // dynamicfile.go:79 keys such an entry by "", where nothing ever matches: dropped.
      const why = error instanceof Error ? error.message : 'invalid ARN';
      report(ctx, {
        severity: 'error',
        code: 'arn-invalid',
        field: arnField,
        message: `not an IAM principal ARN (${why.slice(0, 200)}): the Go authenticator files the entry under "", so it never matches`,
      });
      return undefined;
    }
  }
  // Types are checked above, so Go's YAML 1.1 reading of JSON scalars changes nothing here.
  const read = entryValue(entryNode, 'yaml11');
  if ('error' in read) {
    refusal(r, 'yaml-syntax', key, item, read.error.message.slice(0, 200), ctx.index);
    return undefined;
  }
  return key === 'mapRoles'
    ? (readRoleEntry(read.value, ctx) as RoleMapping | undefined)
    : readUserEntry(read.value, ctx);
}

function readList(
  r: Reader,
  key: AwsAuthKey,
  written: YamlNode,
): (RoleMapping | UserMapping | string)[] {
  if (isNothing(written)) return [];
  const node = deref(written);
  if (node.kind !== 'sequence') {
    refusal(
      r,
      'json-wrong-type',
      key,
      node,
      `must be a list, found ${jsonKind(node)}: Go's JSON decoding fails`,
    );
    return [];
  }
  const out: (RoleMapping | UserMapping | string)[] = [];
  const seen = new Map<string, number>();
  node.items.forEach((item, index) => {
    const line = r.doc.lineOf(itemIndicatorOffset(r.doc.text, item.start));
    const ctx: EntryContext = {
      key,
      index,
      line,
      diagnostics: r.diagnostics,
      locate: r.doc.locate,
    };
    let entry: RoleMapping | UserMapping | string | undefined;
    let matchKey: string | undefined;
    if (key === 'mapAccounts') {
      if (!['string', 'null'].includes(jsonKind(item))) {
        refusal(
          r,
          'json-wrong-type',
          key,
          item,
          `an account must be a string, found ${jsonKind(item)}: Go's JSON decoding fails`,
          index,
        );
        return;
      }
      entry = isNothing(item) ? '' : readAccountItem(scalarText(item), ctx);
      matchKey = entry;
    } else {
      entry = readEntry(r, key, item, ctx);
      if (entry !== undefined) {
        const arn = 'roleArn' in entry ? entry.roleArn : entry.userArn;
        matchKey = r.strict ? entry.userId : arn.toLowerCase();
      }
    }
    if (entry === undefined || matchKey === undefined) return;
    const first = seen.get(matchKey);
    if (first !== undefined) {
      report(ctx, {
        severity: 'warning',
        code: 'duplicate-entry',
        message: `duplicate of entry ${first} (same ${r.strict && key !== 'mapAccounts' ? 'userid' : 'key'}); the later entry wins`,
      });
    }
    seen.set(matchKey, index);
    out.push(entry);
  });
  return out;
}

function rootOf(json: string | object, limit: number): LoadedDocument {
  if (typeof json !== 'string') {
    if (typeof json !== 'object' || json === null) {
      throw new TypeError(
        `parseDynamicFile: expected JSON text or an object, got ${json === null ? 'null' : typeof json}`,
      );
    }
    return { root: nodeFromValue(json), text: '', lineOf: () => undefined };
  }
  checkLength(WHAT, json, limit);
  // Said by position only: the engine's message quotes the input.
  const parsed = parseJson(json);
  if ('problem' in parsed) return refuseInput(WHAT, parsed.problem);
  const value = parsed.value;
  try {
    // JSON is YAML: read again for line numbers.
    return loadDocument(WHAT, json);
  } catch {
    return { root: nodeFromValue(value), text: '', lineOf: () => undefined };
  }
}

/**
 * Parse the Go authenticator's `DynamicFile` (`server.dynamicfilepath`):
 * `{ LastUpdatedDateTime, Version, mapRoles, mapUsers, mapAccounts }`, entries
 * as in `aws-auth` plus `userid` (the principal id, `AROA…`/`AIDA…`).
 *
 * Read as Go's JSON decoding reads it: field names case-insensitive, unknown
 * fields ignored. Entries match by ARN; with `userIdStrict` (the server's
 * `dynamicfileUserIDStrict`) by `userid` instead, and an entry that also
 * names an ARN then matches only that ARN (see `mapIdentity`). `sso` is
 * ignored, as the Go loader ignores it.
 *
 * The Go authenticator refuses the whole file (and keeps its previous
 * mappings) when a value has the wrong JSON type or an entry lacks its key
 * (`rolearn`/`userarn`, or `userid` when strict): the result then maps
 * nothing and `refusedBecause` says why. An entry whose ARN cannot be read is
 * dropped (Go keeps it where nothing matches it). Deeply frozen.
 *
 * @example
 * ```ts
 * const dynamic = parseDynamicFile(await readFile(path, 'utf8'), { userIdStrict: true });
 * if (dynamic.refusedBecause) keepPreviousMappings(dynamic.refusedBecause);
 * ```
 * @throws {@link AwsAuthError} (`ERR_AWS_AUTH_INVALID`) when the text is not
 * JSON, not a JSON object, or longer than `options.maxInputLength` (default
 * 1 MiB). No message quotes the input.
 * @throws `TypeError` for bad arguments.
 */
export function parseDynamicFile(
  json: string | object,
  options?: ParseDynamicFileOptions,
): DynamicFileMappings {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('parseDynamicFile: options must be an object');
  }
  const strict = options?.userIdStrict ?? false;
  if (typeof strict !== 'boolean') {
    throw new TypeError('parseDynamicFile: options.userIdStrict must be a boolean');
  }
  const doc = rootOf(json, maxInputLengthOf(options, 'parseDynamicFile'));
  const root = doc.root === undefined ? undefined : deref(doc.root);
  if (root === undefined || root.kind !== 'mapping') {
    refuseInput(WHAT, 'expected a JSON object with mapRoles, mapUsers and mapAccounts');
  }
  const r: Reader = { doc, diagnostics: [], refusals: [], strict };
  const header: Record<string, string> = {};
  for (const name of ['LastUpdatedDateTime', 'Version']) {
    const pair = pairOf(root, name, true);
    if (pair === undefined || isNothing(pair.value)) continue;
    const value = scalarText(pair.value);
    if (jsonKind(pair.value) === 'string' && value !== undefined) header[name] = value;
    else
      refusal(
        r,
        'json-wrong-type',
        name,
        pair.value,
        `must be a string, found ${jsonKind(pair.value)}: Go's JSON decoding fails`,
      );
  }
  const lists: Record<AwsAuthKey, (RoleMapping | UserMapping | string)[]> = {
    mapRoles: [],
    mapUsers: [],
    mapAccounts: [],
  };
  for (const key of ['mapRoles', 'mapUsers', 'mapAccounts'] as const) {
    const pair = pairOf(root, key, true);
    if (pair !== undefined) lists[key] = readList(r, key, pair.value);
  }
  const refused = r.refusals.length > 0;
  if (refused) {
    r.diagnostics.push({
      severity: 'error',
      code: 'source-refused',
      key: WHAT,
      message: `the Go authenticator refuses this file (${r.refusals.length} problem${r.refusals.length === 1 ? '' : 's'}) and keeps its previous mappings; nothing is mapped from it`,
    });
  }
  return deepFreeze({
    mode: 'DynamicFile',
    userIdStrict: strict,
    ...(header['LastUpdatedDateTime'] === undefined
      ? {}
      : { lastUpdatedDateTime: header['LastUpdatedDateTime'] }),
    ...(header['Version'] === undefined ? {} : { version: header['Version'] }),
    mapRoles: refused ? [] : (lists.mapRoles as RoleMapping[]),
    mapUsers: refused ? [] : (lists.mapUsers as UserMapping[]),
    mapAccounts: refused ? [] : (lists.mapAccounts as string[]).filter((a) => a !== ''),
    diagnostics: r.diagnostics,
    ...(refused ? { refusedBecause: r.refusals.join('; ') } : {}),
  });
}
