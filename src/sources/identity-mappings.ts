/**
 * `parseIdentityMappings` (SPEC 4.8): `IAMIdentityMapping` objects, the Go
 * authenticator's `CRD` backend, read as its controller and the Kubernetes
 * API server treat them: the CRD schema requires `spec.arn` and
 * `spec.username` (strings, exact field names, unknown fields pruned), and
 * the controller indexes each object by its ARN, lower-cased and
 * canonicalized. Objects are independent: a bad one is dropped, never the rest.
 *
 * @module
 */
import { maxInputLengthOf } from '../mapping/limits.js';
import type { InputLimitOptions } from '../mapping/limits.js';
import { canonicalizeArn } from '../arn.js';
import { readRoleEntry, readUserEntry } from '../mapping/entries.js';
import type { EntryContext } from '../mapping/entries.js';
import type {
  AwsAuthDiagnostic,
  RoleMapping,
  SourceDiagnosticCode,
  UserMapping,
} from '../mapping/types.js';
import { deref, describeNode } from '../mapping/yaml.js';
import type { YamlMapping, YamlNode, YamlPair } from '../mapping/yaml.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { quoteForMessage } from '../util/control-characters.js';
import {
  builtPair,
  checkLength,
  entryValue,
  isNothing,
  loadDocuments,
  nodeFromValue,
  pairOf,
  replacedScalar,
  scalarText,
} from './read.js';
import type { LoadedDocument } from './read.js';
import type { IdentityMappings } from './types.js';

const WHAT = 'IAMIdentityMapping input';
const API_VERSION = 'iamauthenticator.k8s.aws/v1alpha1';
const KIND = 'IAMIdentityMapping';
const SPEC_FIELDS = ['arn', 'username', 'groups'];

/**
 * What `parseIdentityMappings` accepts: YAML or JSON text (one object, a
 * list, a `kind: List`, or several documents joined with `---`), or the same
 * as objects (for example from a Kubernetes client).
 */
export type IdentityMappingsInput = string | object | readonly object[];

interface Located {
  readonly node: YamlNode;
  readonly doc: LoadedDocument;
}

const NO_LINES: LoadedDocument = { root: undefined, text: '', lineOf: () => undefined };

/** The objects of one document: a list, a `List` kind, or one object. */
function objectsOf(doc: LoadedDocument, written: YamlNode): Located[] {
  const root = deref(written);
  if (root.kind === 'sequence') return root.items.map((node) => ({ node, doc }));
  if (root.kind === 'mapping') {
    const kind = scalarText(pairOf(root, 'kind', false)?.value);
    const itemsNode = pairOf(root, 'items', false)?.value;
    const items = itemsNode === undefined ? undefined : deref(itemsNode);
    if (kind?.endsWith('List') === true && items?.kind === 'sequence') {
      return items.items.map((node) => ({ node, doc }));
    }
  }
  return [{ node: root, doc }];
}

function collect(input: IdentityMappingsInput, limit: number): Located[] {
  if (typeof input === 'string') {
    checkLength(WHAT, input, limit);
    return loadDocuments(WHAT, input).flatMap((doc) =>
      doc.root === undefined || isNothing(doc.root) ? [] : objectsOf(doc, doc.root),
    );
  }
  if (typeof input !== 'object' || input === null) {
    throw new TypeError(
      `parseIdentityMappings: expected a string, an object or a list, got ${input === null ? 'null' : typeof input}`,
    );
  }
  return objectsOf(NO_LINES, nodeFromValue(input));
}

class ObjectReader {
  readonly #diagnostics: AwsAuthDiagnostic[];
  readonly #locate: LoadedDocument['locate'];
  readonly index: number;
  readonly line: number | undefined;

  constructor(
    diagnostics: AwsAuthDiagnostic[],
    index: number,
    line: number | undefined,
    locate: LoadedDocument['locate'],
  ) {
    this.#diagnostics = diagnostics;
    this.#locate = locate;
    this.index = index;
    this.line = line;
  }

  /** Report on the object; `at`, the offset of the value concerned, gives its fieldLine and column. */
  report(
    code: SourceDiagnosticCode | 'unknown-field' | 'arn-invalid',
    severity: AwsAuthDiagnostic['severity'],
    message: string,
    field?: string,
    at?: number,
  ): void {
    const where = at === undefined ? undefined : this.#locate?.(at);
    this.#diagnostics.push({
      severity,
      code,
      key: KIND,
      index: this.index,
      ...(field === undefined ? {} : { field }),
      ...(this.line === undefined ? {} : { line: this.line }),
      ...(where === undefined ? {} : { fieldLine: where.line, column: where.column }),
      message,
    });
  }

  /** A spec string field, exactly as the CRD schema types it; `undefined` (reported) otherwise. */
  string(spec: YamlMapping, name: string, required: boolean): YamlPair | undefined {
    const pair = pairOf(spec, name, false);
    if (pair === undefined || isNothing(pair.value)) {
      if (required) {
        this.report(
          'object-invalid',
          'error',
          `spec.${name} is required; the API server rejects the object`,
          `spec.${name}`,
        );
      }
      return undefined;
    }
    // The API server reads YAML as Go's YAML 1.1 does: an unquoted 123 or yes is no string.
    const read = entryValue(pair.value, 'yaml11');
    if ('error' in read || read.value.kind !== 'string') {
      const found =
        'error' in read
          ? describeNode(pair.value)
          : read.value.kind === 'bool' || read.value.kind === 'number'
            ? `a ${read.value.kind === 'bool' ? 'boolean' : 'number'} (${read.value.text.slice(0, 20)}; quote it)`
            : describeNode(pair.value);
      this.report(
        'object-invalid',
        'error',
        `spec.${name} must be a string, found ${found}; the API server rejects the object`,
        `spec.${name}`,
        pair.value.start,
      );
      return undefined;
    }
    return pair;
  }
}

function checkHeader(obj: YamlMapping, r: ObjectReader): boolean {
  const kindText = scalarText(pairOf(obj, 'kind', false)?.value);
  const apiVersion = scalarText(pairOf(obj, 'apiVersion', false)?.value);
  if (kindText !== KIND) {
    r.report(
      'object-skipped',
      'warning',
      `not an ${KIND} (kind ${kindText === undefined ? 'missing' : quoteForMessage(kindText.slice(0, 64))}); skipped`,
      'kind',
    );
    return false;
  }
  if (apiVersion !== API_VERSION) {
    r.report(
      'object-invalid',
      'error',
      `apiVersion must be ${API_VERSION}; the object is ignored`,
      'apiVersion',
    );
    return false;
  }
  return true;
}

function warnUnknownSpecFields(spec: YamlMapping, r: ObjectReader): void {
  for (const pair of spec.pairs) {
    if (SPEC_FIELDS.includes(pair.key)) continue;
    const meant = SPEC_FIELDS.find((f) => f === pair.key.toLowerCase());
    r.report(
      'unknown-field',
      'warning',
      `unknown field ${quoteForMessage(`spec.${pair.key.slice(0, 64)}`)} is pruned by the API server${meant === undefined ? '' : ` (field names are case-sensitive: write "${meant}")`}`,
      `spec.${pair.key}`,
      pair.keyStart,
    );
  }
}

/** One object → an entry, or `undefined` (reported) when the cluster would never index it. */
function readObject(
  located: Located,
  r: ObjectReader,
  diagnostics: AwsAuthDiagnostic[],
): RoleMapping | UserMapping | undefined {
  const node = deref(located.node);
  if (node.kind !== 'mapping') {
    r.report(
      'object-invalid',
      'error',
      `expected an ${KIND} object, found ${describeNode(node)}; skipped`,
    );
    return undefined;
  }
  if (!checkHeader(node, r)) return undefined;
  const specValue = pairOf(node, 'spec', false)?.value;
  const specNode = specValue === undefined ? undefined : deref(specValue);
  if (specNode === undefined || specNode.kind !== 'mapping') {
    r.report(
      'object-invalid',
      'error',
      'spec must be a map with arn and username; the object is ignored',
      'spec',
    );
    return undefined;
  }
  warnUnknownSpecFields(specNode, r);
  const arn = r.string(specNode, 'arn', true);
  const username = r.string(specNode, 'username', true);
  const groups = pairOf(specNode, 'groups', false);
  const groupList =
    groups === undefined || isNothing(groups.value)
      ? undefined
      : entryValue(groups.value, 'yaml11');
  if (
    groupList !== undefined &&
    !(
      'value' in groupList &&
      groupList.value.kind === 'list' &&
      groupList.value.items.every((g) => g.kind === 'string')
    )
  ) {
    r.report(
      'object-invalid',
      'error',
      'spec.groups must be a list of strings; the API server rejects the object',
      'spec.groups',
      groups?.value.start,
    );
    return undefined;
  }
  const arnText = arn === undefined ? undefined : scalarText(arn.value);
  if (arn === undefined || username === undefined || arnText === undefined) return undefined;

  // The controller canonicalizes the lower-cased ARN; an ARN it cannot read is never indexed.
  let canonical: ReturnType<typeof canonicalizeArn>;
  try {
    canonical = canonicalizeArn(arnText.toLowerCase());
  } catch (error) {
    const why = error instanceof Error ? error.message : 'invalid ARN';
    r.report(
      'arn-invalid',
      'error',
      `spec.arn is not an IAM principal ARN (${why}); the object never matches`,
      'spec.arn',
      arn.value.start,
    );
    return undefined;
  }
  const isRole = canonical.principalType === 'role' || canonical.principalType === 'assumed-role';
  const entryNode: YamlMapping = {
    kind: 'mapping',
    start: node.start,
    pairs: [
      builtPair(
        isRole ? 'rolearn' : 'userarn',
        arn.keyStart,
        replacedScalar(arn.value, canonical.canonicalArn),
      ),
      builtPair('username', username.keyStart, username.value),
      ...(groups === undefined ? [] : [builtPair('groups', groups.keyStart, groups.value)]),
    ],
  };
  // The aws-auth entry readers add the template and ARN warnings both sources share.
  const ctx: EntryContext = {
    key: isRole ? 'mapRoles' : 'mapUsers',
    index: r.index,
    line: r.line,
    diagnostics,
    // Where a value diagnostic points: fieldLine and column of the value in the manifest.
    locate: located.doc.locate,
  };
  // The API server reads the manifest with Go's YAML (sigs.k8s.io/yaml), as EKS reads aws-auth.
  const read = entryValue(entryNode, 'yaml11');
  if ('error' in read) {
    r.report('object-invalid', 'error', `the object cannot be decoded: ${read.error.message}`);
    return undefined;
  }
  const entry = isRole ? readRoleEntry(read.value, ctx) : readUserEntry(read.value, ctx);
  if (entry !== undefined && 'sso' in entry && entry.sso !== undefined) return undefined;
  return entry as RoleMapping | UserMapping | undefined;
}

/**
 * Parse `IAMIdentityMapping` objects (`iamauthenticator.k8s.aws/v1alpha1`,
 * the Go authenticator's `CRD` backend) into the `AwsAuth` shape.
 *
 * Input: YAML or JSON text of one object, a list of objects, a `kind: List`
 * (`kubectl get iamidentitymappings -o yaml`), or several documents joined
 * with `---`; or the same as objects. Each object needs `spec.arn` and
 * `spec.username` (strings) and may have `spec.groups`; field names are
 * case-sensitive, as Kubernetes reads them. Objects of other kinds are
 * skipped with a warning.
 *
 * A role ARN (or an assumed-role ARN, which the controller canonicalizes to
 * its role) becomes a `mapRoles` entry, any other principal a `mapUsers`
 * entry; ARNs are stored lower-cased and canonicalized, as the controller
 * indexes them. The CRD backend has no account mappings and no SSO entries.
 * Bad objects are reported and dropped, good ones kept; the result is
 * deeply frozen.
 *
 * @example
 * ```ts
 * const crd = parseIdentityMappings(execSync('kubectl get iamidentitymappings -o yaml', { encoding: 'utf8' }));
 * const mapping = await mapIdentity([crd, parseAwsAuth(configMap)], identity);
 * ```
 * @throws {@link AwsAuthError} (`ERR_AWS_AUTH_INVALID`) when text input is
 * not YAML or is longer than `options.maxInputLength` (default 1 MiB).
 * @throws `TypeError` when `input` is neither a string nor an object.
 */
export function parseIdentityMappings(
  input: IdentityMappingsInput,
  options?: InputLimitOptions,
): IdentityMappings {
  const objects = collect(input, maxInputLengthOf(options, 'parseIdentityMappings'));
  const diagnostics: AwsAuthDiagnostic[] = [];
  const mapRoles: RoleMapping[] = [];
  const mapUsers: UserMapping[] = [];
  const byArn = new Map<string, number>();
  objects.forEach((located, index) => {
    const line = located.doc.lineOf(located.node.start);
    const r = new ObjectReader(diagnostics, index, line, located.doc.locate);
    const entry = readObject(located, r, diagnostics);
    if (entry === undefined) return;
    const arn = 'roleArn' in entry ? entry.roleArn : entry.userArn;
    const first = byArn.get(arn);
    if (first !== undefined) {
      r.report(
        'object-same-arn',
        'warning',
        `object ${first} maps the same ARN; the Go authenticator uses either one, unpredictably (here the later one)`,
        'spec.arn',
      );
    }
    byArn.set(arn, index);
    if ('roleArn' in entry) mapRoles.push(entry);
    else mapUsers.push(entry);
  });
  return deepFreeze({ mode: 'CRD', mapRoles, mapUsers, mapAccounts: [], diagnostics });
}
