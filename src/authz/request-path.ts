/**
 * A URL path read as kube-apiserver reads it into authorizer attributes
 * (`NewRequestInfo`, staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 * `/api/v1/…` and `/apis/GROUP/VERSION/…` with a resource are **resource**
 * requests (`GET /api/v1/namespaces/prod/secrets` is `list secrets` in
 * `prod`), whatever a `nonResourceURLs` rule such as `/api/*` says; only
 * shorter paths (`/api`, `/apis/apps/v1`) and other prefixes (`/healthz`)
 * are non-resource requests.
 *
 * @module
 */
import type { RbacRequest } from './rbac/types.js';

/** The resource attributes of a path, as `NewRequestInfo` fills them in. */
export type PathAttributes = Omit<RbacRequest, 'nonResourceURL'>;

// kube-apiserver's RequestInfoFactory: APIPrefixes {api, apis}, GrouplessAPIPrefixes {api}.
const API_PREFIXES: ReadonlySet<string> = new Set(['api', 'apis']);
const GROUPLESS_PREFIX = 'api';
// specialVerbs and specialVerbsNoSubresources.
const SPECIAL_VERBS: ReadonlySet<string> = new Set(['proxy', 'watch']);
// namespaceSubresources: `/namespaces/NS/status` is the namespace's own subresource.
const NAMESPACE_SUBRESOURCES: ReadonlySet<string> = new Set(['status', 'finalize']);
// The kube verb of each HTTP method (requestinfo.go's switch on req.Method).
const METHOD_VERBS: ReadonlyMap<string, string> = new Map([
  ['post', 'create'],
  ['get', 'get'],
  ['head', 'get'],
  ['put', 'update'],
  ['patch', 'patch'],
  ['delete', 'delete'],
]);

/** `strings.Trim(path, "/")` then split on `/` (`splitPath`). */
function splitPath(path: string): string[] {
  let start = 0;
  let end = path.length;
  while (start < end && path[start] === '/') start += 1;
  while (end > start && path[end - 1] === '/') end -= 1;
  return start === end ? [] : path.slice(start, end).split('/');
}

/** `path.IsValidPathSegmentName`: a name a field selector may give a request. */
function isValidPathSegmentName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** The value `fieldSelector` requires of `metadata.name` (`RequiresExactMatch`), if any. */
function exactName(fieldSelector: string | null): string | undefined {
  if (fieldSelector === null || fieldSelector.includes('\\')) return undefined;
  for (const term of fieldSelector.split(',')) {
    for (const op of ['==', '=']) {
      const at = term.indexOf(op);
      if (at === -1) continue;
      if (term.slice(0, at).trim() !== 'metadata.name') break;
      return term.slice(at + op.length).trim();
    }
  }
  return undefined;
}

/**
 * The resource attributes of `url` requested with `verb` (an HTTP method
 * in lower case, as `kubectl auth can-i get /PATH` takes it, or a kube verb,
 * which is kept), or `undefined` when kube-apiserver reads the path as a
 * non-resource request.
 *
 * @throws `TypeError` for a special-verb path without a resource (`/api/v1/watch`),
 *   which kube-apiserver refuses.
 */
export function resourceAttributesOfPath(verb: string, url: string): PathAttributes | undefined {
  const query = url.indexOf('?');
  let parts = splitPath(query === -1 ? url : url.slice(0, query));
  if (parts.length < 3 || !API_PREFIXES.has(parts[0] as string)) return undefined;
  const prefix = parts[0] as string;
  parts = parts.slice(1);
  let apiGroup = '';
  if (prefix !== GROUPLESS_PREFIX) {
    if (parts.length < 3) return undefined;
    apiGroup = parts[0] as string;
    parts = parts.slice(1);
  }
  parts = parts.slice(1); // the version
  let kubeVerb = METHOD_VERBS.get(verb) ?? verb;
  if (SPECIAL_VERBS.has(parts[0] as string)) {
    if (parts.length < 2) {
      throw new TypeError(`request: "${url}" names no resource after /${parts[0] as string}`);
    }
    kubeVerb = parts[0] as string;
    parts = parts.slice(1);
  }
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] as string;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] as string)) parts = parts.slice(2);
  }
  const subresource = parts.length >= 3 && kubeVerb !== 'proxy' ? (parts[2] as string) : '';
  let name = parts.length >= 2 ? (parts[1] as string) : '';
  const resource = parts[0] as string;
  if (name === '' && kubeVerb === 'get') {
    const params = new URLSearchParams(query === -1 ? '' : url.slice(query + 1));
    const watch = params.get('watch');
    kubeVerb =
      watch === null || watch.toLowerCase() === 'false' || watch === '0' ? 'list' : 'watch';
    const selected = exactName(params.get('fieldSelector'));
    if (selected !== undefined && isValidPathSegmentName(selected)) name = selected;
  }
  if (name === '' && kubeVerb === 'delete') kubeVerb = 'deletecollection';
  return { verb: kubeVerb, apiGroup, resource, subresource, name, namespace };
}
