/**
 * `parseRbac` (SPEC 4.9): Kubernetes RBAC objects (Role, ClusterRole,
 * RoleBinding, ClusterRoleBinding of `rbac.authorization.k8s.io/v1`) from
 * manifests or a cluster dump, merged with Kubernetes' default roles and
 * bindings, aggregated as the aggregation controller does, checked, frozen
 * and indexed by subject and namespace.
 *
 * @module
 */
import {
  entryValue,
  isNothing,
  loadDocuments,
  nodeFromValue,
  pairOf,
  scalarText,
} from '../../sources/read.js';
import type { LoadedDocument } from '../../sources/read.js';
import { deref } from '../../mapping/yaml.js';
import type { YamlNode } from '../../mapping/yaml.js';
import { nearest } from '../../mapping/edit-distance.js';
import { AwsAuthError, RbacError } from '../../errors.js';
import { deepFreeze } from '../../util/deep-freeze.js';
import { aggregateClusterRoles } from './aggregate.js';
import { DEFAULT_RBAC_KUBERNETES_VERSION, bootstrapPolicy } from './bootstrap.js';
import { RBAC_API_VERSION, RBAC_KINDS, decodeBinding, decodeRole } from './decode.js';
import type { DecodeContext } from './decode.js';
import { rbacIndex, roleLookup } from './lookup.js';
import type {
  RbacBinding,
  RbacBootstrapInfo,
  RbacDiagnostic,
  RbacRole,
  RbacSource,
  Rbac,
} from './types.js';

/** Default of `maxInputLength`: 1 MiB, the size limit of one object in etcd. */
export const MAX_RBAC_INPUT_LENGTH: number = 1024 * 1024;

/**
 * One RBAC input: YAML or JSON text (one object, several documents joined
 * with `---`, a YAML list, or a `kind: List` as `kubectl get … -o yaml`
 * prints it), or the same as objects (from a Kubernetes client).
 */
export type RbacInput = string | { readonly [key: string]: unknown } | readonly unknown[];

/** Options of `parseRbac`. */
export interface ParseRbacOptions {
  /**
   * Include Kubernetes' default roles and bindings (`cluster-admin`,
   * `admin`, `edit`, `view`, `system:basic-user`, … and their bindings), as
   * kube-apiserver creates them. Turn off for a live dump, which has them
   * already. EKS's own `eks:*` roles are not public: only a dump has them.
   *
   * @defaultValue `true`
   */
  readonly bootstrap?: boolean;
  /**
   * The Kubernetes minor version whose default roles and bindings are
   * included (one of `RBAC_KUBERNETES_VERSIONS`).
   *
   * @defaultValue the newest minor version Amazon EKS supports, `DEFAULT_RBAC_KUBERNETES_VERSION`
   */
  readonly kubernetesVersion?: string;
  /**
   * Longest accepted text input, in characters (each text input on its own).
   *
   * @defaultValue `1048576` ({@link MAX_RBAC_INPUT_LENGTH})
   */
  readonly maxInputLength?: number;
  /**
   * The namespace of a Role or RoleBinding written without one (kubectl puts
   * it in its current namespace).
   *
   * @defaultValue `'default'`
   */
  readonly defaultNamespace?: string;
}

const NO_LINES: LoadedDocument = { root: undefined, text: '', lineOf: () => undefined };

interface Located {
  readonly node: YamlNode;
  readonly doc: LoadedDocument;
  readonly document: number | undefined;
}

/** The objects of one document: a YAML list, a `…List` kind with `items`, or one object. */
function objectsOf(
  doc: LoadedDocument,
  written: YamlNode,
  document: number | undefined,
): Located[] {
  const root = deref(written);
  if (root.kind === 'sequence') return root.items.map((node) => ({ node, doc, document }));
  if (root.kind === 'mapping') {
    const kind = scalarText(pairOf(root, 'kind', false)?.value);
    const itemsNode = pairOf(root, 'items', false)?.value;
    const items = itemsNode === undefined ? undefined : deref(itemsNode);
    if (kind?.endsWith('List') === true && items?.kind === 'sequence') {
      return items.items.map((node) => ({ node, doc, document }));
    }
  }
  return [{ node: root, doc, document }];
}

/** Input errors of the shared YAML reader become this parser's error. */
function asRbacError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof AwsAuthError) {
      throw new RbacError(error.message, { cause: error });
    }
    throw error;
  }
}

function collect(input: unknown, maxInputLength: number): Located[] {
  if (typeof input === 'string') {
    if (input.length > maxInputLength) {
      throw new RbacError(
        `RBAC input is longer than ${maxInputLength} characters (maxInputLength)`,
      );
    }
    return asRbacError(() => loadDocuments('RBAC input', input)).flatMap((doc, document) =>
      doc.root === undefined || isNothing(doc.root) ? [] : objectsOf(doc, doc.root, document),
    );
  }
  if (typeof input !== 'object' || input === null) {
    throw new TypeError(
      `parseRbac: expected YAML or JSON text, an object or a list, got ${input === null ? 'null' : typeof input}`,
    );
  }
  return objectsOf(
    NO_LINES,
    asRbacError(() => nodeFromValue(input)),
    undefined,
  );
}

function checkOptions(options: ParseRbacOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('parseRbac: options must be an object');
  }
  const { bootstrap, kubernetesVersion, maxInputLength, defaultNamespace } = options;
  if (bootstrap !== undefined && typeof bootstrap !== 'boolean') {
    throw new TypeError('parseRbac: bootstrap must be a boolean');
  }
  if (kubernetesVersion !== undefined && typeof kubernetesVersion !== 'string') {
    throw new TypeError('parseRbac: kubernetesVersion must be a string such as "1.36"');
  }
  if (
    maxInputLength !== undefined &&
    (!Number.isSafeInteger(maxInputLength) || maxInputLength < 0)
  ) {
    throw new TypeError('parseRbac: maxInputLength must be a non-negative integer');
  }
  if (
    defaultNamespace !== undefined &&
    (typeof defaultNamespace !== 'string' || defaultNamespace === '')
  ) {
    throw new TypeError('parseRbac: defaultNamespace must be a non-empty string');
  }
}

type RbacObject = RbacRole | RbacBinding;

function objectKey(o: RbacObject): string {
  return `${o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;
}

function sourceOf(ctx: DecodeContext): RbacSource {
  return {
    ...(ctx.input === undefined ? {} : { input: ctx.input }),
    index: ctx.index,
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
  };
}

/** One located object → a role or binding, or `undefined` (reported) when it is none. */
function readObject(located: Located, ctx: Omit<DecodeContext, 'kind'>): RbacObject | undefined {
  const node = deref(located.node);
  const base = {
    ...(ctx.input === undefined ? {} : { input: ctx.input }),
    index: ctx.index,
    ...(ctx.document === undefined ? {} : { document: ctx.document }),
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
  };
  if (node.kind !== 'mapping') {
    ctx.diagnostics.push({
      ...base,
      severity: 'error',
      code: 'object-invalid',
      key: 'rbac',
      message: `expected a Kubernetes object, found ${node.kind === 'sequence' ? 'a list' : 'a scalar'}; skipped`,
    });
    return undefined;
  }
  const kind = scalarText(pairOf(node, 'kind', false)?.value) ?? '';
  const apiVersion = scalarText(pairOf(node, 'apiVersion', false)?.value) ?? '';
  const shownKind = kind.slice(0, 64);
  if (!RBAC_KINDS.includes(kind)) {
    const meant =
      RBAC_KINDS.find((k) => k.toLowerCase() === kind.toLowerCase()) ??
      nearest(kind, RBAC_KINDS, 2);
    ctx.diagnostics.push({
      ...base,
      ...(meant === undefined
        ? {
            severity: 'info',
            code: 'object-skipped',
            message: `${kind === '' ? 'an object without a kind' : `a ${shownKind}`} is not an RBAC object; skipped`,
          }
        : {
            severity: 'warning',
            code: 'kind-near-miss',
            fix: meant,
            message: `kind "${shownKind}" is not an RBAC kind (did you mean "${meant}"? kinds are case-sensitive); skipped`,
          }),
      key: kind === '' ? 'rbac' : shownKind,
      field: 'kind',
    });
    return undefined;
  }
  if (apiVersion !== RBAC_API_VERSION) {
    ctx.diagnostics.push({
      ...base,
      severity: 'error',
      code: 'object-invalid',
      key: kind,
      field: 'apiVersion',
      fix: RBAC_API_VERSION,
      message: `apiVersion ${apiVersion === '' ? 'is missing' : `"${apiVersion.slice(0, 64)}" is not served`}: RBAC objects are ${RBAC_API_VERSION} (v1beta1 and v1alpha1 were removed in Kubernetes 1.22); the API server refuses the ${kind}`,
    });
    return undefined;
  }
  const read = entryValue(node, 'yaml11');
  if ('error' in read || read.value.kind !== 'map') {
    ctx.diagnostics.push({
      ...base,
      severity: 'error',
      code: 'object-invalid',
      key: kind,
      message: `the ${kind} cannot be read as JSON (${'error' in read ? read.error.message : 'not an object'}); the API server refuses it`,
    });
    return undefined;
  }
  const full: DecodeContext = { ...ctx, kind };
  const source = sourceOf(full);
  return kind === 'Role' || kind === 'ClusterRole'
    ? decodeRole(read.value, full, source)
    : decodeBinding(read.value, full, source);
}

function describeObject(o: RbacObject): string {
  return `${o.kind} ${o.namespace === undefined ? '' : `${o.namespace}/`}${o.name}`;
}

/**
 * Parse Kubernetes RBAC objects into a frozen, indexed snapshot.
 *
 * `input` is one input or an array of inputs, merged in order: a later
 * object with the same kind, namespace and name replaces an earlier one
 * (with an `info` diagnostic). Each input is YAML or JSON text (one object,
 * several `---` documents, a list, or the `kind: List` that `kubectl get
 * roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml` prints) or
 * the same as objects. Text is read as the API server reads manifests: Go's
 * YAML 1.1 scalars, case-sensitive field names, unknown fields dropped.
 *
 * Objects the API server would refuse (a subject kind other than User,
 * Group or ServiceAccount, a rule without verbs, a wrongly typed field, a
 * removed `v1beta1` apiVersion, …) are reported with their location and
 * dropped; the other objects stay. Objects of other kinds are skipped with
 * a note. A missing `apiGroup` is filled in as the API server does. A
 * binding to a role the snapshot lacks is an `error` diagnostic, and
 * evaluating it an error, never a grant. Aggregated ClusterRoles get the
 * rules the aggregation controller computes.
 *
 * Kubernetes' default roles and bindings for `kubernetesVersion` are
 * included first unless `bootstrap: false`.
 *
 * @example
 * ```ts
 * const rbac = parseRbac(
 *   execSync('kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml', { encoding: 'utf8' }),
 *   { bootstrap: false, maxInputLength: 64 * 1024 * 1024 },
 * );
 * ```
 * @throws {@link RbacError} (`ERR_RBAC_INVALID`) when a text input is not
 * YAML or JSON, is longer than `maxInputLength`, or aggregation would copy
 * more than `MAX_AGGREGATED_RULES` rules or take more than 4,000,000 steps
 * (roles examined by selectors, rules read on each pass).
 * @throws `TypeError` for bad options, or an input that is neither text nor an object.
 */
export function parseRbac(
  input: RbacInput | readonly RbacInput[],
  options: ParseRbacOptions = {},
): Rbac {
  checkOptions(options);
  const maxInputLength = options.maxInputLength ?? MAX_RBAC_INPUT_LENGTH;
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const inputs: { input: unknown; position: number | undefined }[] = Array.isArray(input)
    ? input.map((one: unknown, position) => ({ input: one, position }))
    : [{ input, position: undefined }];
  const diagnostics: RbacDiagnostic[] = [];
  const objects = new Map<string, RbacObject>();

  let bootstrap: RbacBootstrapInfo | undefined;
  if (options.bootstrap !== false) {
    const policy = bootstrapPolicy(options.kubernetesVersion ?? DEFAULT_RBAC_KUBERNETES_VERSION);
    bootstrap = policy.info;
    if (policy.info.provisional) {
      const files = Object.entries(policy.info.files)
        .map(([file, commit]) => `${file} at ${commit.slice(0, 12)}`)
        .join(', ');
      diagnostics.push({
        severity: 'info',
        code: 'bootstrap-provisional',
        key: 'rbac',
        message: `Kubernetes' default roles and bindings for ${policy.info.kubernetesVersion} are provisional: read from ${policy.info.source} (${files}), not at the v${policy.info.kubernetesVersion} release tag, so they may differ from that version's; a live dump with bootstrap: false is exact`,
      });
    }
    for (const o of [
      ...policy.clusterRoles,
      ...policy.roles,
      ...policy.clusterRoleBindings,
      ...policy.roleBindings,
    ]) {
      objects.set(objectKey(o), o);
    }
  }

  let replacedDefaults = 0;
  for (const { input: one, position } of inputs) {
    collect(one, maxInputLength).forEach((located, index) => {
      const line = located.doc.lineOf(located.node.start);
      const object = readObject(located, {
        ...(position === undefined ? {} : { input: position }),
        index,
        ...(located.document === undefined ? {} : { document: located.document }),
        ...(line === undefined ? {} : { line }),
        lineOf: located.doc.lineOf,
        ...(located.doc.locate === undefined ? {} : { locate: located.doc.locate }),
        defaultNamespace,
        diagnostics,
      });
      if (object === undefined) return;
      const key = objectKey(object);
      const earlier = objects.get(key);
      if (earlier !== undefined) {
        objects.delete(key);
        if (earlier.source.bootstrap === true) replacedDefaults += 1;
        else {
          diagnostics.push({
            severity: 'info',
            code: 'object-replaced',
            key: object.kind,
            ...(position === undefined ? {} : { input: position }),
            index,
            ...(located.document === undefined ? {} : { document: located.document }),
            ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
            name: object.name,
            ...(line === undefined ? {} : { line }),
            message: `replaces the earlier ${describeObject(earlier)} (${earlier.source.input === undefined ? '' : `input ${earlier.source.input}, `}object ${earlier.source.index ?? 0}${earlier.source.line === undefined ? '' : `, line ${earlier.source.line}`})`,
          });
        }
      }
      objects.set(key, object);
    });
  }
  if (replacedDefaults > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'bootstrap-replaced',
      key: 'rbac',
      message: `${replacedDefaults} object(s) of the input replace Kubernetes' default ones of the same name (a live dump already has the defaults: pass bootstrap: false)`,
    });
  }

  const clusterRoles: RbacRole[] = [];
  const roles: RbacRole[] = [];
  const clusterRoleBindings: RbacBinding[] = [];
  const roleBindings: RbacBinding[] = [];
  for (const o of objects.values()) {
    if (o.kind === 'ClusterRole') clusterRoles.push(o);
    else if (o.kind === 'Role') roles.push(o);
    else if (o.kind === 'ClusterRoleBinding') clusterRoleBindings.push(o);
    else if (o.kind === 'RoleBinding') roleBindings.push(o);
  }
  const rbac: Rbac = {
    clusterRoles: aggregateClusterRoles(clusterRoles, diagnostics),
    roles,
    clusterRoleBindings,
    roleBindings,
    ...(bootstrap === undefined ? {} : { bootstrap }),
    diagnostics,
  };
  reportMissingRoles(rbac, diagnostics);
  deepFreeze(rbac);
  rbacIndex(rbac);
  return rbac;
}

/** A binding whose role is not in the snapshot: an error diagnostic (evaluating it grants nothing). */
function reportMissingRoles(rbac: Rbac, diagnostics: RbacDiagnostic[]): void {
  const { resolve } = roleLookup(rbac);
  for (const binding of [...rbac.clusterRoleBindings, ...rbac.roleBindings]) {
    if (!('error' in resolve(binding))) continue;
    const ref = binding.roleRef;
    const s = binding.source;
    diagnostics.push({
      severity: 'error',
      code: 'role-missing',
      key: binding.kind,
      ...(s.input === undefined ? {} : { input: s.input }),
      ...(s.index === undefined ? {} : { index: s.index }),
      ...(binding.namespace === undefined ? {} : { namespace: binding.namespace }),
      name: binding.name,
      field: 'roleRef.name',
      ...(s.line === undefined ? {} : { line: s.line }),
      message: `${ref.kind} "${ref.name}"${ref.kind === 'Role' ? ` of namespace "${binding.namespace ?? ''}"` : ''} is not in the input: the binding grants nothing until it exists, and evaluating it is an error`,
    });
  }
}
