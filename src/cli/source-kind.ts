/**
 * Which mapping source a file holds, told apart by content (`map --source`,
 * `lint`): the Go authenticator's server config file, `IAMIdentityMapping`
 * objects, a `DynamicFile`, or an `aws-auth` ConfigMap. Only the shape is
 * looked at (top-level keys, `kind`, `apiVersion`); the parser of the kind
 * found then reads the file as hostile input.
 *
 * @module
 */
import { parseAuthenticatorConfig } from '../sources/authenticator-config.js';
import { parseDynamicFile } from '../sources/dynamic-file.js';
import { parseIdentityMappings } from '../sources/identity-mappings.js';
import { parseAwsAuth } from '../aws-auth/parse.js';
import type { AwsAuth } from '../mapping/types.js';
import type { SourceResult } from '../sources/types.js';

/** The kinds of mapping source a file can hold. */
export type SourceKind = 'authenticator-config' | 'identity-mappings' | 'dynamic-file' | 'aws-auth';

/** How each kind is named in messages: the Go backend mode it stands for. */
export const SOURCE_KIND_NAMES: Readonly<Record<SourceKind, string>> = Object.freeze({
  'authenticator-config': 'authenticator config file (MountedFile)',
  'identity-mappings': 'IAMIdentityMapping objects (CRD)',
  'dynamic-file': 'DynamicFile',
  'aws-auth': 'aws-auth ConfigMap (EKSConfigMap)',
});

const CRD_API = /^["']?iamauthenticator\.k8s\.aws\//i;
const CRD_KIND = /^["']?IAMIdentityMapping["']?$/;
const LIST_KIND = /^["']?(?:List|IAMIdentityMappingList)["']?$/;
// An item of a List: `- kind: IAMIdentityMapping` or `  kind: IAMIdentityMapping`, indented.
const CRD_ITEM =
  /^[ \t]+(?:-[ \t]+)?["']?(?:kind|apiVersion)["']?[ \t]*:[ \t]*["']?(?:IAMIdentityMapping["']?[ \t]*$|iamauthenticator\.k8s\.aws\/)/m;
const MAP_KEYS = ['maproles', 'mapusers', 'mapaccounts'];
const DYNAMIC_HEADER = ['lastupdateddatetime', 'version'];

/** The top-level `key: value` pairs of YAML text (column 0, every document), keys lower-cased. */
function topLevelKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    // One blank after the colon, the rest taken whole: each part can end one way only.
    const match = /^["']?([A-Za-z_][\w.-]*)["']?[ \t]*:(?:[ \t]([\s\S]*))?$/.exec(line);
    if (match?.[1] === undefined) continue;
    const key = match[1].toLowerCase();
    const value = match[2] ?? '';
    const comment = value.search(/[ \t]#/);
    if (!keys.has(key)) keys.set(key, (comment === -1 ? value : value.slice(0, comment)).trim());
  }
  return keys;
}

function isCrdObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return (
    (typeof o['kind'] === 'string' && CRD_KIND.test(o['kind'])) ||
    (typeof o['apiVersion'] === 'string' && CRD_API.test(o['apiVersion']))
  );
}

function jsonKind(value: unknown): SourceKind | undefined {
  if (Array.isArray(value)) return value.some(isCrdObject) ? 'identity-mappings' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (isCrdObject(o)) return 'identity-mappings';
  if (typeof o['kind'] === 'string' && LIST_KIND.test(o['kind'])) {
    return Array.isArray(o['items']) && o['items'].some(isCrdObject)
      ? 'identity-mappings'
      : undefined;
  }
  const lower = new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
  if (lower.has('server') || lower.has('clusterid')) return 'authenticator-config';
  if (lower.has('kind') || lower.has('data') || lower.has('apiversion')) return 'aws-auth';
  // Go decodes a DynamicFile's lists as JSON arrays; aws-auth holds YAML text in strings.
  const lists = MAP_KEYS.filter((k) => lower.has(k)).map((k) => lower.get(k));
  if (DYNAMIC_HEADER.some((k) => lower.has(k))) return 'dynamic-file';
  if (lists.length === 0) return undefined;
  return lists.every((v) => Array.isArray(v) || v === null) ? 'dynamic-file' : 'aws-auth';
}

/**
 * The source kind `text` holds, or `undefined` when it is none of the
 * authenticator sources and not clearly an `aws-auth` ConfigMap (callers
 * then read it the way they did before: `lint` tries access entries, then
 * `aws-auth`).
 *
 * - JSON: an `IAMIdentityMapping` object, a list of them or a `List` holding
 *   them; an object with `server` or `clusterID` (config file); one with
 *   `LastUpdatedDateTime`/`Version`, or `mapRoles`/`mapUsers`/`mapAccounts`
 *   as arrays (DynamicFile); one with `kind`, `apiVersion` or `data`, or
 *   those keys holding YAML text (aws-auth).
 * - YAML: top-level `kind: IAMIdentityMapping`, an `apiVersion` of
 *   `iamauthenticator.k8s.aws/…`, or `kind: List` with such items; a
 *   top-level `server:` or `clusterID:` (config file); a top-level `kind`,
 *   `data:` or `mapRoles:`/`mapUsers:`/`mapAccounts:` (aws-auth).
 */
export function sourceKindOf(text: string): SourceKind | undefined {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    try {
      return jsonKind(JSON.parse(text));
    } catch {
      // Not JSON: flow-style YAML, read by its top-level keys below.
    }
  }
  const keys = topLevelKeys(text);
  const kind = keys.get('kind');
  const api = keys.get('apiversion');
  if ((kind !== undefined && CRD_KIND.test(kind)) || (api !== undefined && CRD_API.test(api))) {
    return 'identity-mappings';
  }
  if (kind !== undefined && LIST_KIND.test(kind)) {
    return CRD_ITEM.test(text) ? 'identity-mappings' : undefined;
  }
  if (keys.has('server') || keys.has('clusterid')) return 'authenticator-config';
  if (kind !== undefined || keys.has('data') || MAP_KEYS.some((k) => keys.has(k))) {
    return 'aws-auth';
  }
  return undefined;
}

/** Options of {@link parseSource}. */
export interface ParseSourceOptions {
  /**
   * For a `DynamicFile`: match by principal id (the Go server's
   * `dynamicfileUserIDStrict`).
   *
   * @defaultValue `false`
   */
  userIdStrict?: boolean;
}

/**
 * Parse `text` as the source `kind` with the library parser of that kind.
 *
 * @throws what the parser throws (`AwsAuthError` for text that is not that
 *   source at all).
 */
export function parseSource(
  kind: SourceKind,
  text: string,
  options: ParseSourceOptions = {},
): AwsAuth | SourceResult {
  switch (kind) {
    case 'authenticator-config':
      return parseAuthenticatorConfig(text);
    case 'identity-mappings':
      return parseIdentityMappings(text);
    case 'dynamic-file':
      return parseDynamicFile(text, { userIdStrict: options.userIdStrict === true });
    case 'aws-auth':
      return parseAwsAuth(text);
  }
}
