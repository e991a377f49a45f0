/**
 * One manifest object → a role or binding, read as the API server reads it:
 * the JSON value Go's YAML path makes of it (`mapping/go-yaml.ts`: YAML 1.1
 * scalars, merge keys, bounded aliases), decoded case-sensitively into the
 * `rbac.authorization.k8s.io/v1` types (a value of the wrong type refuses
 * the object; an unknown field is pruned), defaulted as
 * pkg/apis/rbac/v1/defaults.go does, then validated as
 * pkg/apis/rbac/validation/validation.go does (kubernetes/kubernetes
 * 7c30c06e and 1dc8b4f2). An object the API server refuses is reported and
 * dropped; every other object of the input stays.
 *
 * @module
 */
import type { GoField, GoValue } from '../../mapping/go-yaml.js';
import { nearest } from '../../mapping/edit-distance.js';
import {
  isDns1123Label,
  isDns1123Subdomain,
  labelKeyProblem,
  labelValueProblem,
} from './labels.js';
import type {
  RbacBinding,
  RbacDiagnostic,
  RbacDiagnosticCode,
  RbacLabelSelector,
  RbacLabelSelectorRequirement,
  RbacRole,
  RbacRule,
  RbacSource,
  RbacSubject,
} from './types.js';

/** `rbac.authorization.k8s.io`, the group of every RBAC kind and of User and Group subjects. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The only RBAC API version the API server still serves (v1beta1 and v1alpha1 went in 1.22). */
export const RBAC_API_VERSION: string = `${RBAC_GROUP}/v1`;
/** The four RBAC kinds. */
export const RBAC_KINDS: readonly string[] = [
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
];

const SUBJECT_KINDS = ['User', 'Group', 'ServiceAccount'];
const ROLE_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'rules']);
const CLUSTER_ROLE_FIELDS = new Set([...ROLE_FIELDS, 'aggregationRule']);
const BINDING_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'roleRef', 'subjects']);
const METADATA_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);
const RULE_FIELDS = new Set([
  'verbs',
  'apiGroups',
  'resources',
  'resourceNames',
  'nonResourceURLs',
]);
const ROLE_REF_FIELDS = new Set(['apiGroup', 'kind', 'name']);
const SUBJECT_FIELDS = new Set(['kind', 'apiGroup', 'name', 'namespace']);
const AGGREGATION_FIELDS = new Set(['clusterRoleSelectors']);
const SELECTOR_FIELDS = new Set(['matchLabels', 'matchExpressions']);
const REQUIREMENT_FIELDS = new Set(['key', 'operator', 'values']);
const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Where the object being read is, and where its diagnostics go. */
export interface DecodeContext {
  /** The object's kind as written. */
  readonly kind: string;
  /** Position of the input in a `parseRbac` array. */
  readonly input?: number;
  /** Position of the object in its input. */
  readonly index: number;
  /** Number of the YAML document holding it. */
  readonly document?: number;
  /** 1-based line of the object. */
  readonly line?: number;
  /** 1-based line of an offset in the object's text. */
  readonly lineOf: (offset: number) => number | undefined;
  /** 1-based line and column of an offset in the object's text, when it can be told. */
  readonly locate?: (offset: number) => { line: number; column: number } | undefined;
  /** The namespace a namespaced object without one is placed in. */
  readonly defaultNamespace: string;
  /** Where diagnostics go. */
  readonly diagnostics: RbacDiagnostic[];
}

/** Decodes one object, remembering whether the API server would refuse it. */
class Decoder {
  readonly #ctx: DecodeContext;
  #refused = false;
  #namespace: string | undefined;
  #name: string | undefined;

  constructor(ctx: DecodeContext) {
    this.#ctx = ctx;
  }

  get refused(): boolean {
    return this.#refused;
  }

  located(namespace: string | undefined, name: string | undefined): void {
    this.#namespace = namespace;
    this.#name = name;
  }

  report(
    severity: RbacDiagnostic['severity'],
    code: RbacDiagnosticCode,
    message: string,
    field?: string,
    at?: number,
    fix?: string,
  ): void {
    const ctx = this.#ctx;
    const where = at === undefined ? undefined : ctx.locate?.(at);
    const fieldLine = where?.line ?? (at === undefined ? undefined : ctx.lineOf(at));
    ctx.diagnostics.push({
      severity,
      code,
      key: ctx.kind,
      ...(ctx.input === undefined ? {} : { input: ctx.input }),
      index: ctx.index,
      ...(ctx.document === undefined ? {} : { document: ctx.document }),
      ...(this.#namespace === undefined ? {} : { namespace: this.#namespace }),
      ...(this.#name === undefined ? {} : { name: this.#name }),
      ...(field === undefined ? {} : { field }),
      ...(ctx.line === undefined ? {} : { line: ctx.line }),
      ...(fieldLine === undefined ? {} : { fieldLine }),
      ...(where === undefined ? {} : { column: where.column }),
      ...(fix === undefined ? {} : { fix }),
      message,
    });
  }

  /** The API server refuses the whole object. */
  refuse(
    message: string,
    field?: string,
    at?: number,
    fix?: string,
    code: RbacDiagnosticCode = 'object-invalid',
  ): void {
    this.#refused = true;
    this.report(
      'error',
      code,
      `${message}; the API server refuses the ${this.#ctx.kind}`,
      field,
      at,
      fix,
    );
  }

  /**
   * Warn about fields the API server does not know. kubectl asks for strict
   * field validation (the request fails); other clients get the API server's
   * default, which stores the object without them. The object is kept, as
   * those clients leave it.
   */
  unknownFields(map: GoValue & { kind: 'map' }, known: ReadonlySet<string>, path: string): void {
    for (const f of map.fields) {
      if (known.has(f.name)) continue;
      const candidates = [...known];
      const meant =
        candidates.find((k) => k.toLowerCase() === f.name.toLowerCase()) ??
        // Edit distance is at least the length difference: only near lengths can be meant.
        nearest(
          f.name,
          candidates.filter((k) => Math.abs(k.length - f.name.length) <= 2),
          2,
        );
      const where = `${path}${f.written.slice(0, 64)}`;
      this.report(
        'warning',
        'unknown-field',
        `unknown field ${where}${meant === undefined ? '' : ` (did you mean "${meant}"? field names are case-sensitive)`}: kubectl apply refuses the object (strict field validation, its default); clients that do not ask for it get the object stored without the field, as read here`,
        where,
        f.keyStart,
        meant,
      );
    }
  }

  /** A string field: `undefined` when absent or null; the object is refused for any other type. */
  string(field: GoField | undefined, path: string): string | undefined {
    const v = field?.value;
    if (v === undefined || v.kind === 'null') return undefined;
    if (v.kind === 'string') return v.value;
    this.refuse(`${path} must be a string, found ${describe(v)}`, path, v.start);
    return undefined;
  }

  /** A list of strings (`[]string`): a null item is `""`, as Go's decoding leaves it. */
  strings(field: GoField | undefined, path: string): string[] {
    const v = field?.value;
    if (v === undefined || v.kind === 'null') return [];
    if (v.kind !== 'list') {
      this.refuse(`${path} must be a list of strings, found ${describe(v)}`, path, v.start);
      return [];
    }
    const out: string[] = [];
    v.items.forEach((item, i) => {
      if (item.kind === 'string') out.push(item.value);
      else if (item.kind === 'null') out.push('');
      else
        this.refuse(
          `${path}[${i}] must be a string, found ${describe(item)}`,
          `${path}[${i}]`,
          item.start,
        );
    });
    return out;
  }

  /** A `map[string]string` (labels, matchLabels), with each key and value validated as a label. */
  labels(field: GoField | undefined, path: string): Record<string, string> {
    const v = field?.value;
    const out: Record<string, string> = {};
    if (v === undefined || v.kind === 'null') return out;
    if (v.kind !== 'map') {
      this.refuse(`${path} must be a map of strings, found ${describe(v)}`, path, v.start);
      return out;
    }
    for (const f of v.fields) {
      const where = `${path}.${f.written.slice(0, 64)}`;
      const value =
        f.value.kind === 'null' ? '' : f.value.kind === 'string' ? f.value.value : undefined;
      if (value === undefined) {
        this.refuse(
          `${where} must be a string, found ${describe(f.value)}${f.value.kind === 'bool' || f.value.kind === 'number' ? ' (quote it)' : ''}`,
          where,
          f.value.start,
          f.value.kind === 'bool' || f.value.kind === 'number' ? `"${f.value.text}"` : undefined,
        );
        continue;
      }
      const keyProblem = labelKeyProblem(f.name);
      if (keyProblem !== undefined)
        this.refuse(`${where}: invalid label key (${keyProblem})`, where, f.keyStart);
      const valueProblem = labelValueProblem(value);
      if (valueProblem !== undefined) {
        this.refuse(`${where}: invalid label value (${valueProblem})`, where, f.value.start);
      }
      Object.defineProperty(out, f.name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  /** A nested object: `undefined` when absent or null; refused for any other type. */
  map(field: GoField | undefined, path: string): (GoValue & { kind: 'map' }) | undefined {
    const v = field?.value;
    if (v === undefined || v.kind === 'null') return undefined;
    if (v.kind === 'map') return v;
    this.refuse(`${path} must be an object, found ${describe(v)}`, path, v.start);
    return undefined;
  }

  /** A list of objects: `[]` when absent or null; refused for any other type. */
  maps(
    field: GoField | undefined,
    path: string,
  ): { value: GoValue & { kind: 'map' }; path: string }[] {
    const v = field?.value;
    if (v === undefined || v.kind === 'null') return [];
    if (v.kind !== 'list') {
      this.refuse(`${path} must be a list, found ${describe(v)}`, path, v.start);
      return [];
    }
    const out: { value: GoValue & { kind: 'map' }; path: string }[] = [];
    v.items.forEach((item, i) => {
      const where = `${path}[${i}]`;
      if (item.kind === 'map') out.push({ value: item, path: where });
      else if (item.kind !== 'null')
        this.refuse(`${where} must be an object, found ${describe(item)}`, where, item.start);
    });
    return out;
  }
}

function describe(v: GoValue): string {
  switch (v.kind) {
    case 'bool':
      return `a boolean (${v.text.slice(0, 10)})`;
    case 'number':
      return `a number (${v.text.slice(0, 20)})`;
    case 'list':
      return 'a list';
    case 'map':
      return 'an object';
    case 'null':
      return 'nothing';
    default:
      return 'a string';
  }
}

/** The field named exactly `name` (Kubernetes decodes case-sensitively). */
function fieldOf(map: GoValue & { kind: 'map' }, name: string): GoField | undefined {
  for (const f of map.fields) if (f.name === name) return f;
  return undefined;
}

/** `path.IsValidPathSegmentName`: the name rule for roles and bindings. */
function pathSegmentProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be "${name}"`;
  if (name.includes('/')) return 'may not contain "/"';
  if (name.includes('%')) return 'may not contain "%"';
  return undefined;
}

interface Meta {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Record<string, string>;
}

function readMeta(
  d: Decoder,
  obj: GoValue & { kind: 'map' },
  namespaced: boolean,
  ctx: DecodeContext,
): Meta {
  const metaField = fieldOf(obj, 'metadata');
  const meta = d.map(metaField, 'metadata');
  const name = meta === undefined ? undefined : d.string(fieldOf(meta, 'name'), 'metadata.name');
  const nsField = meta === undefined ? undefined : fieldOf(meta, 'namespace');
  const written = meta === undefined ? undefined : d.string(nsField, 'metadata.namespace');
  let namespace: string | undefined;
  if (namespaced) {
    namespace = written === undefined || written === '' ? ctx.defaultNamespace : written;
  }
  d.located(namespace, name);
  if (meta !== undefined) d.unknownFields(meta, METADATA_FIELDS, 'metadata.');
  if (name === undefined || name === '') {
    d.refuse('metadata.name is required', 'metadata.name', metaField?.keyStart);
  } else {
    const problem = pathSegmentProblem(name);
    if (problem !== undefined) {
      d.refuse(
        `metadata.name ${problem}`,
        'metadata.name',
        fieldOf(meta as GoValue & { kind: 'map' }, 'name')?.value.start,
      );
    }
  }
  if (namespaced && (written === undefined || written === '')) {
    d.report(
      'info',
      'namespace-defaulted',
      `no metadata.namespace: kubectl creates a ${ctx.kind} in its current namespace, taken here as "${ctx.defaultNamespace}"`,
      'metadata.namespace',
      metaField?.keyStart,
    );
  } else if (namespaced && !isDns1123Label(written as string)) {
    d.refuse(
      'metadata.namespace must be a DNS label (lower-case, at most 63 characters)',
      'metadata.namespace',
      nsField?.value.start,
    );
  } else if (!namespaced && written !== undefined && written !== '') {
    d.report(
      'info',
      'namespace-ignored',
      `metadata.namespace is ignored: a ${ctx.kind} is cluster-scoped`,
      'metadata.namespace',
      nsField?.keyStart,
    );
  }
  const labels = meta === undefined ? {} : d.labels(fieldOf(meta, 'labels'), 'metadata.labels');
  return { name: name ?? '', namespace, labels };
}

/** validation.go `ValidatePolicyRule`. */
function readRule(
  d: Decoder,
  item: { value: GoValue & { kind: 'map' }; path: string },
  namespaced: boolean,
): RbacRule {
  const r = item.value;
  d.unknownFields(r, RULE_FIELDS, `${item.path}.`);
  const rule: RbacRule = {
    verbs: d.strings(fieldOf(r, 'verbs'), `${item.path}.verbs`),
    apiGroups: d.strings(fieldOf(r, 'apiGroups'), `${item.path}.apiGroups`),
    resources: d.strings(fieldOf(r, 'resources'), `${item.path}.resources`),
    resourceNames: d.strings(fieldOf(r, 'resourceNames'), `${item.path}.resourceNames`),
    nonResourceURLs: d.strings(fieldOf(r, 'nonResourceURLs'), `${item.path}.nonResourceURLs`),
  };
  const at = r.start;
  if (rule.verbs.length === 0)
    d.refuse(`${item.path}.verbs must contain at least one value`, `${item.path}.verbs`, at);
  if (rule.nonResourceURLs.length > 0) {
    if (namespaced) {
      d.refuse(
        `${item.path}: namespaced rules cannot apply to non-resource URLs`,
        `${item.path}.nonResourceURLs`,
        at,
      );
    }
    if (rule.apiGroups.length > 0 || rule.resources.length > 0 || rule.resourceNames.length > 0) {
      d.refuse(
        `${item.path}: rules cannot apply to both regular resources and non-resource URLs`,
        `${item.path}.nonResourceURLs`,
        at,
      );
    }
    return rule;
  }
  if (rule.apiGroups.length === 0) {
    d.refuse(
      `${item.path}: resource rules must supply at least one api group`,
      `${item.path}.apiGroups`,
      at,
      `apiGroups: [""]`,
    );
  }
  if (rule.resources.length === 0) {
    d.refuse(
      `${item.path}: resource rules must supply at least one resource`,
      `${item.path}.resources`,
      at,
    );
  }
  // No rule against resourceNames with several resources: it was proposed
  // (kubernetes/kubernetes#44659) and closed unmerged; the API server stores
  // such a rule and RBAC allows each named object of each resource.
  return rule;
}

/** An `aggregationRule` with its selectors validated as `ValidateLabelSelector` and `LabelSelectorAsSelector` do. */
function readAggregation(d: Decoder, field: GoField | undefined): RbacRole['aggregationRule'] {
  const agg = d.map(field, 'aggregationRule');
  if (agg === undefined) return undefined;
  d.unknownFields(agg, AGGREGATION_FIELDS, 'aggregationRule.');
  const items = d.maps(
    fieldOf(agg, 'clusterRoleSelectors'),
    'aggregationRule.clusterRoleSelectors',
  );
  if (items.length === 0) {
    d.refuse(
      'aggregationRule.clusterRoleSelectors: at least one clusterRoleSelector is required if aggregationRule is set',
      'aggregationRule.clusterRoleSelectors',
      field?.keyStart,
    );
  }
  const selectors: RbacLabelSelector[] = items.map((item) => {
    d.unknownFields(item.value, SELECTOR_FIELDS, `${item.path}.`);
    const matchLabels = d.labels(fieldOf(item.value, 'matchLabels'), `${item.path}.matchLabels`);
    const matchExpressions: RbacLabelSelectorRequirement[] = [];
    for (const e of d.maps(
      fieldOf(item.value, 'matchExpressions'),
      `${item.path}.matchExpressions`,
    )) {
      d.unknownFields(e.value, REQUIREMENT_FIELDS, `${e.path}.`);
      const key = d.string(fieldOf(e.value, 'key'), `${e.path}.key`) ?? '';
      const operator = d.string(fieldOf(e.value, 'operator'), `${e.path}.operator`) ?? '';
      const values = d.strings(fieldOf(e.value, 'values'), `${e.path}.values`);
      const keyProblem = labelKeyProblem(key);
      if (keyProblem !== undefined)
        d.refuse(
          `${e.path}.key: invalid label key (${keyProblem})`,
          `${e.path}.key`,
          e.value.start,
        );
      if (!OPERATORS.has(operator)) {
        const meant =
          nearest(operator, [...OPERATORS], 2) ??
          [...OPERATORS].find((o) => o.toLowerCase() === operator.toLowerCase());
        d.refuse(
          `${e.path}.operator "${operator.slice(0, 32)}" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`,
          `${e.path}.operator`,
          e.value.start,
          meant,
        );
        continue;
      }
      const op = operator as RbacLabelSelectorRequirement['operator'];
      if ((op === 'In' || op === 'NotIn') && values.length === 0) {
        d.refuse(`${e.path}.values must be non-empty for ${op}`, `${e.path}.values`, e.value.start);
      }
      if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
        d.refuse(`${e.path}.values must be empty for ${op}`, `${e.path}.values`, e.value.start);
      }
      values.forEach((v, i) => {
        const problem = labelValueProblem(v);
        if (problem !== undefined)
          d.refuse(
            `${e.path}.values[${i}]: invalid label value (${problem})`,
            `${e.path}.values[${i}]`,
            e.value.start,
          );
      });
      matchExpressions.push({ key, operator: op, values });
    }
    return { matchLabels, matchExpressions };
  });
  return { clusterRoleSelectors: selectors };
}

/** A Role or ClusterRole, or `undefined` (reported) when the API server refuses it. */
export function decodeRole(
  obj: GoValue & { kind: 'map' },
  ctx: DecodeContext,
  source: RbacSource,
): RbacRole | undefined {
  const d = new Decoder(ctx);
  const cluster = ctx.kind === 'ClusterRole';
  const meta = readMeta(d, obj, !cluster, ctx);
  d.unknownFields(obj, cluster ? CLUSTER_ROLE_FIELDS : ROLE_FIELDS, '');
  const rules = d.maps(fieldOf(obj, 'rules'), 'rules').map((item) => readRule(d, item, !cluster));
  const aggregationRule = cluster ? readAggregation(d, fieldOf(obj, 'aggregationRule')) : undefined;
  if (d.refused) return undefined;
  return {
    kind: cluster ? 'ClusterRole' : 'Role',
    ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
    name: meta.name,
    labels: meta.labels,
    rules,
    ...(aggregationRule === undefined ? {} : { aggregationRule }),
    source,
  };
}

function subjectKindFix(kind: string): string | undefined {
  return (
    SUBJECT_KINDS.find((k) => k.toLowerCase() === kind.toLowerCase()) ??
    nearest(kind, SUBJECT_KINDS, 3)
  );
}

/** `validateRoleBindingSubject`, after `SetDefaults_Subject`. */
function readSubject(
  d: Decoder,
  item: { value: GoValue & { kind: 'map' }; path: string },
  binding: { namespaced: boolean; namespace: string | undefined },
): RbacSubject | undefined {
  const s = item.value;
  d.unknownFields(s, SUBJECT_FIELDS, `${item.path}.`);
  const kindField = fieldOf(s, 'kind');
  const kind = d.string(kindField, `${item.path}.kind`) ?? '';
  const name = d.string(fieldOf(s, 'name'), `${item.path}.name`) ?? '';
  const namespace = d.string(fieldOf(s, 'namespace'), `${item.path}.namespace`);
  const groupField = fieldOf(s, 'apiGroup');
  let apiGroup = d.string(groupField, `${item.path}.apiGroup`) ?? '';
  if (name === '') d.refuse(`${item.path}.name is required`, `${item.path}.name`, s.start);
  if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') {
    const fix = subjectKindFix(kind);
    d.refuse(
      `${item.path}.kind ${kind === '' ? 'is missing' : `"${kind.slice(0, 32)}" is not supported`}: it must be User, Group or ServiceAccount${fix === undefined ? '' : ` (did you mean "${fix}"? kinds are case-sensitive)`}`,
      `${item.path}.kind`,
      kindField?.value.start ?? s.start,
      fix,
      'subject-kind-invalid',
    );
    return undefined;
  }
  if (apiGroup === '' && kind !== 'ServiceAccount') {
    apiGroup = RBAC_GROUP;
    d.report(
      'info',
      'api-group-defaulted',
      `${item.path}.apiGroup is missing: the API server sets ${RBAC_GROUP} for a ${kind}`,
      `${item.path}.apiGroup`,
      s.start,
    );
  }
  if (kind === 'ServiceAccount') {
    if (name !== '' && !isDns1123Subdomain(name)) {
      d.refuse(
        `${item.path}.name "${name.slice(0, 64)}" is not a valid service account name (a lower-case DNS subdomain)`,
        `${item.path}.name`,
        s.start,
      );
    }
    if (apiGroup !== '') {
      d.refuse(
        `${item.path}.apiGroup must be "" for a ServiceAccount`,
        `${item.path}.apiGroup`,
        groupField?.value.start,
        '""',
      );
    }
    if (!binding.namespaced && (namespace === undefined || namespace === '')) {
      d.refuse(
        `${item.path}.namespace is required for a ServiceAccount in a ClusterRoleBinding`,
        `${item.path}.namespace`,
        s.start,
      );
    }
  } else if (apiGroup !== RBAC_GROUP) {
    d.refuse(
      `${item.path}.apiGroup must be ${RBAC_GROUP} for a ${kind}`,
      `${item.path}.apiGroup`,
      groupField?.value.start,
      RBAC_GROUP,
    );
  }
  const saNamespace =
    kind === 'ServiceAccount'
      ? namespace !== undefined && namespace !== ''
        ? namespace
        : binding.namespace
      : undefined;
  return {
    kind,
    name,
    ...(saNamespace === undefined ? {} : { namespace: saNamespace }),
    apiGroup,
  };
}

/** A RoleBinding or ClusterRoleBinding, or `undefined` (reported) when the API server refuses it. */
export function decodeBinding(
  obj: GoValue & { kind: 'map' },
  ctx: DecodeContext,
  source: RbacSource,
): RbacBinding | undefined {
  const d = new Decoder(ctx);
  const cluster = ctx.kind === 'ClusterRoleBinding';
  const meta = readMeta(d, obj, !cluster, ctx);
  d.unknownFields(obj, BINDING_FIELDS, '');
  const refField = fieldOf(obj, 'roleRef');
  const ref = d.map(refField, 'roleRef');
  if (ref !== undefined) d.unknownFields(ref, ROLE_REF_FIELDS, 'roleRef.');
  const refKindField = ref === undefined ? undefined : fieldOf(ref, 'kind');
  const refKind = ref === undefined ? '' : (d.string(refKindField, 'roleRef.kind') ?? '');
  const refName = ref === undefined ? '' : (d.string(fieldOf(ref, 'name'), 'roleRef.name') ?? '');
  const refGroupField = ref === undefined ? undefined : fieldOf(ref, 'apiGroup');
  let refGroup = ref === undefined ? '' : (d.string(refGroupField, 'roleRef.apiGroup') ?? '');
  if (refGroup === '') {
    refGroup = RBAC_GROUP;
    if (ref !== undefined) {
      d.report(
        'info',
        'api-group-defaulted',
        `roleRef.apiGroup is missing: the API server sets ${RBAC_GROUP}`,
        'roleRef.apiGroup',
        refField?.keyStart,
      );
    }
  } else if (refGroup !== RBAC_GROUP) {
    d.refuse(
      `roleRef.apiGroup must be ${RBAC_GROUP}`,
      'roleRef.apiGroup',
      refGroupField?.value.start,
      RBAC_GROUP,
    );
  }
  const kinds = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(refKind)) {
    const fix =
      kinds.find((k) => k.toLowerCase() === refKind.toLowerCase()) ?? nearest(refKind, kinds, 2);
    d.refuse(
      `roleRef.kind ${refKind === '' ? 'is missing' : `"${refKind.slice(0, 32)}" is not supported`}: it must be ${kinds.join(' or ')}`,
      'roleRef.kind',
      refKindField?.value.start ?? refField?.keyStart,
      fix,
    );
  }
  if (refName === '') d.refuse('roleRef.name is required', 'roleRef.name', refField?.keyStart);
  else {
    const problem = pathSegmentProblem(refName);
    if (problem !== undefined)
      d.refuse(`roleRef.name ${problem}`, 'roleRef.name', refField?.keyStart);
  }
  const subjects: RbacSubject[] = [];
  for (const item of d.maps(fieldOf(obj, 'subjects'), 'subjects')) {
    const subject = readSubject(d, item, { namespaced: !cluster, namespace: meta.namespace });
    if (subject !== undefined) subjects.push(subject);
  }
  if (d.refused) return undefined;
  return {
    kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
    ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
    name: meta.name,
    roleRef: { kind: refKind as 'Role' | 'ClusterRole', name: refName, apiGroup: refGroup },
    subjects,
    source,
  };
}
