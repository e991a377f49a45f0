/**
 * A request, as an object or as `kubectl auth can-i` arguments, read into
 * the attributes kube-apiserver's authorizers see (`authorizer.Attributes`,
 * built from the URL by `k8s.io/apiserver/pkg/endpoints/request/requestinfo.go`):
 * verb, API group, resource, subresource, name, namespace, or a
 * non-resource path.
 *
 * @module
 */
import { resourceAttributesOfPath } from './request-path.js';
import type { PathAttributes } from './request-path.js';
import { builtinResource, builtinResourceByName } from './resources.js';
import type { AuthzRequest, AuthzRequestObject, EvaluatedRequest } from './types.js';

/** kubectl's fallback namespace when the kubeconfig names none. */
const DEFAULT_NAMESPACE = 'default';

/** A version segment of `resource.version.group` (`v1`, `v2beta1`). */
const VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/;

function fail(message: string): never {
  throw new TypeError(`request: ${message}`);
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(`${field} must be a string`);
  return value;
}

/**
 * The resource and group a typed name stands for, as kubectl resolves it:
 * a built-in plural, singular or short name gets its group; `name.group`
 * (or `name.version.group`) is taken as written, the name resolved within
 * that group when it is a built-in one; anything else is kept, in the core
 * group, as kubectl does when discovery does not know it.
 */
function resolveResource(
  typed: string,
  apiGroup: string | undefined,
  notes: string[],
): { resource: string; group: string; namespaced: boolean | undefined } {
  const dot = typed.indexOf('.');
  if (dot !== -1 && apiGroup === undefined) {
    // kubectl lower-cases the argument before discovery resolves it (cani.go
    // resourceFor: `schema.ParseResourceArg(strings.ToLower(resourceArg))`),
    // and a resource discovery knows is lower-case.
    const lower = typed.toLowerCase();
    if (lower !== typed) notes.push(`"${typed}" is read as "${lower}", as kubectl reads it`);
    const name = lower.slice(0, dot);
    let group = lower.slice(dot + 1);
    const version = group.split('.', 1)[0] ?? '';
    if (VERSION.test(version) && group.length > version.length) {
      group = group.slice(version.length + 1);
    }
    const known = builtinResourceByName(name.toLowerCase());
    const resource = known?.group === group ? known.resource : name;
    return { resource, group, namespaced: builtinResource(resource, group)?.namespaced };
  }
  if (apiGroup !== undefined) {
    return {
      resource: typed,
      group: apiGroup,
      namespaced: builtinResource(typed, apiGroup)?.namespaced,
    };
  }
  // kubectl asks about `*` in the core group (cani.go resourceFor).
  if (typed === '*') return { resource: '*', group: '', namespaced: undefined };
  const known = builtinResourceByName(typed.toLowerCase());
  if (known === undefined) {
    notes.push(
      `"${typed}" is not a built-in resource: read in the core group, as kubectl does when discovery does not know it; write resource.group for a custom resource`,
    );
    return { resource: typed, group: '', namespaced: undefined };
  }
  if (known.resource !== typed || known.group !== '') {
    notes.push(
      `"${typed}" is ${known.group === '' ? known.resource : `${known.resource}.${known.group}`}`,
    );
  }
  return { resource: known.resource, group: known.group, namespaced: known.namespaced };
}

/**
 * The name the request carries. kube-apiserver takes it from the URL
 * (requestinfo.go `NewRequestInfo`): a `create` of an object POSTs to its
 * collection and a `deletecollection` DELETEs the collection, so neither
 * carries a name, and a rule with `resourceNames` never allows them; a
 * subresource of a named object (`create pods/exec NAME`, `pods/eviction`,
 * `serviceaccounts/token`) does carry one, and so may `list`/`watch`
 * (`fieldSelector=metadata.name=NAME`).
 */
function nameCarried(verb: string, subresource: string, name: string, notes: string[]): string {
  if (name === '') return name;
  if ((verb === 'create' && subresource === '') || verb === 'deletecollection') {
    notes.push(
      `a ${verb} request carries no object name (it is sent to the collection): "${name}" is left out, so no resourceNames rule applies`,
    );
    return '';
  }
  return name;
}

/** `list secrets in namespace prod`, for a note. */
function describeAttributes(a: PathAttributes): string {
  const resource = `${a.resource}${a.subresource === '' ? '' : `/${a.subresource}`}${a.apiGroup === '' ? '' : `.${a.apiGroup}`}`;
  const name = a.name === '' ? '' : ` "${a.name}"`;
  const where = a.namespace === '' ? '' : ` in namespace ${a.namespace}`;
  return `${a.verb} ${resource}${name}${where}`;
}

/** The object form, checked and resolved. */
function fromObject(
  input: AuthzRequestObject,
  defaultNamespace: string | undefined,
): EvaluatedRequest {
  if (typeof input !== 'object' || input === null) fail('must be a string or an object');
  const verb = optionalString(input.verb, 'verb');
  if (verb === undefined || verb === '') fail('verb is required');
  const nonResourceURL = optionalString(input.nonResourceURL, 'nonResourceURL');
  const typedResource = optionalString(input.resource, 'resource');
  let subresource = optionalString(input.subresource, 'subresource') ?? '';
  const apiGroup = optionalString(input.apiGroup, 'apiGroup');
  let namespace = optionalString(input.namespace, 'namespace');
  const name = optionalString(input.name, 'name') ?? '';
  const notes: string[] = [];
  if (nonResourceURL !== undefined) {
    if (typedResource !== undefined || input.subresource !== undefined || name !== '') {
      fail('a non-resource URL takes no resource, subresource or name');
    }
    if (!nonResourceURL.startsWith('/')) fail('nonResourceURL must start with "/"');
    const attributes = resourceAttributesOfPath(verb, nonResourceURL);
    if (attributes !== undefined) {
      notes.push(
        `${nonResourceURL} is a resource path: kube-apiserver reads it as ${describeAttributes(attributes)}, and non-resource rules never apply to it`,
      );
      return { ...attributes, notes };
    }
    return {
      verb,
      apiGroup: '',
      resource: '',
      subresource: '',
      name: '',
      namespace: '',
      nonResourceURL,
      notes,
    };
  }
  if (typedResource === undefined || typedResource === '') {
    fail('resource (or nonResourceURL) is required');
  }
  let typed = typedResource;
  const slash = typed.indexOf('/');
  if (slash !== -1) {
    if (subresource !== '') fail('give the subresource once: in resource or in subresource');
    subresource = typed.slice(slash + 1);
    typed = typed.slice(0, slash);
    if (typed === '' || subresource === '' || subresource.includes('/')) {
      fail(`resource "${typedResource}" is not RESOURCE or RESOURCE/SUBRESOURCE`);
    }
  }
  const resolved = resolveResource(typed, apiGroup, notes);
  if (resolved.namespaced === false) {
    if (namespace !== undefined && namespace !== '') {
      notes.push(`${resolved.resource} are cluster-scoped: namespace "${namespace}" is ignored`);
    }
    namespace = '';
  }
  namespace ??= defaultNamespace ?? '';
  const carried = nameCarried(verb, subresource, name, notes);
  // kube-apiserver's request info gives a request on a namespace object that
  // namespace as its own (requestinfo.go: "namespaces" with a name).
  if (resolved.group === '' && resolved.resource === 'namespaces' && carried !== '') {
    namespace = carried;
  }
  return {
    verb,
    apiGroup: resolved.group,
    resource: resolved.resource,
    subresource,
    name: carried,
    namespace,
    notes,
  };
}

/** The `kubectl auth can-i` form: `VERB RESOURCE[/SUB] [NAME] [-n NS | -A] [--subresource SUB]`. */
function fromArguments(text: string): EvaluatedRequest {
  const words = text.trim().split(/\s+/);
  const positional: string[] = [];
  let namespace: string | undefined;
  let allNamespaces = false;
  let subresource: string | undefined;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    const value = (flag: string): string => {
      const next = words[i + 1];
      if (next === undefined || next.startsWith('-')) fail(`${flag} needs a value`);
      i += 1;
      return next;
    };
    if (word === '-n' || word === '--namespace') namespace = value(word);
    else if (word.startsWith('--namespace=')) namespace = word.slice('--namespace='.length);
    else if (word.startsWith('-n') && word.length > 2 && !word.startsWith('--')) {
      namespace = word.slice(2);
    } else if (word === '-A' || word === '--all-namespaces') allNamespaces = true;
    else if (word === '--subresource') subresource = value(word);
    else if (word.startsWith('--subresource=')) subresource = word.slice('--subresource='.length);
    else if (word.startsWith('-') && word.length > 1) fail(`unknown flag "${word}"`);
    else positional.push(word);
  }
  const [verb, target, name, ...rest] = positional;
  if (rest.length > 0) fail(`unexpected "${rest.join(' ')}" after the name`);
  return kubectlRequest({
    verb: verb ?? '',
    target,
    name,
    namespace,
    allNamespaces,
    subresource,
  });
}

/** The arguments of `kubectl auth can-i`, already split into their parts. */
export interface KubectlArguments {
  /** VERB. */
  readonly verb: string;
  /** RESOURCE, RESOURCE/SUBRESOURCE, or /PATH. */
  readonly target: string | undefined;
  /** NAME. */
  readonly name: string | undefined;
  /** `-n`. */
  readonly namespace: string | undefined;
  /** `-A`. */
  readonly allNamespaces: boolean;
  /** `--subresource`. */
  readonly subresource: string | undefined;
}

/**
 * The request `kubectl auth can-i` arguments ask about: without `-n` or
 * `-A`, a namespaced resource in `default` (kubectl's namespace when the
 * kubeconfig names none).
 *
 * @throws `TypeError` for arguments that contradict each other.
 */
export function kubectlRequest(args: KubectlArguments): EvaluatedRequest {
  const { verb, target, name, namespace, allNamespaces, subresource } = args;
  if (namespace === '') fail('-n needs a namespace');
  if (allNamespaces && namespace !== undefined) fail('give -n or -A, not both');
  if (verb === '') fail('a verb is required, e.g. "get pods -n dev"');
  if (target === undefined || target === '') fail(`"${verb}" needs a resource or a /path after it`);
  if (target.startsWith('/')) {
    // kubectl refuses a name or a subresource with a URL (cani.go Validate)
    // and leaves its namespace out of a non-resource review.
    if (name !== undefined || subresource !== undefined) {
      fail('a non-resource URL takes no name or subresource');
    }
    const request = fromObject({ verb, nonResourceURL: target }, undefined);
    if (namespace === undefined) return request;
    const why =
      request.nonResourceURL === undefined
        ? 'the path names the namespace'
        : 'a non-resource URL has none';
    return { ...request, notes: [...request.notes, `-n ${namespace} is ignored: ${why}`] };
  }
  return fromObject(
    {
      verb,
      resource: target,
      ...(subresource === undefined ? {} : { subresource }),
      ...(name === undefined ? {} : { name }),
      ...(namespace === undefined ? {} : { namespace }),
    },
    allNamespaces ? '' : DEFAULT_NAMESPACE,
  );
}

/**
 * Read a request into kube-apiserver's authorizer attributes.
 *
 * @throws `TypeError` for a request that is neither form, or contradicts itself.
 */
export function evaluatedRequest(request: AuthzRequest): EvaluatedRequest {
  if (typeof request === 'string') return fromArguments(request);
  return isEvaluated(request) ? request : fromObject(request as AuthzRequestObject, undefined);
}

/** A request this module already read (passing one again changes nothing). */
function isEvaluated(request: AuthzRequest): request is EvaluatedRequest {
  const r = request as Partial<Record<keyof EvaluatedRequest, unknown>>;
  return (
    Array.isArray(r.notes) &&
    typeof r.verb === 'string' &&
    typeof r.apiGroup === 'string' &&
    typeof r.resource === 'string' &&
    typeof r.subresource === 'string' &&
    typeof r.name === 'string' &&
    typeof r.namespace === 'string' &&
    (r.nonResourceURL === undefined || typeof r.nonResourceURL === 'string')
  );
}
