/**
 * Regenerates `src/authz/rbac/bootstrap-data.ts`: Kubernetes' default roles
 * and bindings for each shipped minor version, read from kubernetes/kubernetes
 * `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/` (the YAML that
 * upstream's own test keeps equal to what kube-apiserver creates at start-up).
 *
 * From a kubernetes/kubernetes clone (every release read at its tag, the
 * tag's commit recorded):
 *
 *   npx tsx scripts/generate-rbac-bootstrap.ts --checkout ../kubernetes \
 *     --release 1.36=v1.36.0 --release 1.35=v1.35.0
 *
 * From copies of the four files (one folder per release, named by the minor
 * version, each with a `SOURCE` file: a first line `tag TAG COMMIT`, or
 * `tag none` when the files were not read at the release tag, then one line
 * `FILE COMMIT` per file, the kubernetes/kubernetes commit it was read at):
 *
 *   npx tsx scripts/generate-rbac-bootstrap.ts --files DIR --release 1.36=v1.36.0
 *
 * `--out FILE` writes elsewhere than src/authz/rbac/bootstrap-data.ts.
 *
 * Data not read at its tag is marked provisional: `parseRbac` then says so
 * in a diagnostic.
 *
 * The four files are checked strictly (every object an RBAC object of
 * `rbac.authorization.k8s.io/v1`, subjects defaulted as the API server
 * would, aggregation by `matchLabels` only), so an upstream change of shape
 * fails here rather than reaching the data.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type {
  CompactBinding,
  CompactRelease,
  CompactRole,
  CompactRule,
  CompactSubject,
} from '../src/authz/rbac/bootstrap-format.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'src', 'authz', 'rbac', 'bootstrap-data.ts');
const TESTDATA = 'plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata';
const FILES = {
  clusterRoles: 'cluster-roles.yaml',
  roles: 'namespace-roles.yaml',
  clusterRoleBindings: 'cluster-role-bindings.yaml',
  roleBindings: 'namespace-role-bindings.yaml',
} as const;
const GROUP = 'rbac.authorization.k8s.io';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function fail(message: string): never {
  throw new Error(`generate-rbac-bootstrap: ${message}`);
}

function obj(v: Json | undefined, what: string): { [key: string]: Json } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`${what} is not an object`);
  return v;
}

function list(v: Json | undefined, what: string): Json[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${what} is not a list`);
  return v;
}

function str(v: Json | undefined, what: string): string {
  if (typeof v !== 'string') fail(`${what} is not a string`);
  return v;
}

function strings(v: Json | undefined, what: string): string[] {
  return list(v, what).map((s, i) => str(s, `${what}[${i}]`));
}

function labels(v: Json | undefined, what: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(obj(v, what))) out[k] = str(value, `${what}.${k}`);
  return out;
}

function items(text: string, file: string, kind: string): { [key: string]: Json }[] {
  const doc = obj(load(text) as Json, file);
  if (doc.kind !== 'List') fail(`${file} is not a kind: List`);
  return list(doc.items, `${file} items`).map((item, i) => {
    const o = obj(item, `${file} items[${i}]`);
    if (o.apiVersion !== `${GROUP}/v1`) fail(`${file} items[${i}] is not ${GROUP}/v1`);
    if (o.kind !== kind) fail(`${file} items[${i}] is a ${String(o.kind)}, not a ${kind}`);
    return o;
  });
}

function rule(v: Json, what: string): CompactRule {
  const r = obj(v, what);
  for (const k of Object.keys(r)) {
    if (!['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'].includes(k)) {
      fail(`${what} has an unknown field ${k}`);
    }
  }
  const orNull = (xs: string[]): string[] | null => (xs.length === 0 ? null : xs);
  const out: (string[] | null)[] = [
    strings(r.verbs, `${what}.verbs`),
    orNull(strings(r.apiGroups, `${what}.apiGroups`)),
    orNull(strings(r.resources, `${what}.resources`)),
    orNull(strings(r.resourceNames, `${what}.resourceNames`)),
    orNull(strings(r.nonResourceURLs, `${what}.nonResourceURLs`)),
  ];
  while (out.length > 1 && out[out.length - 1] === null) out.pop();
  return out as unknown as CompactRule;
}

function role(o: { [key: string]: Json }, what: string, namespaced: boolean): CompactRole {
  const meta = obj(o.metadata, `${what}.metadata`);
  const name = str(meta.name, `${what}.metadata.name`);
  const namespace = namespaced ? str(meta.namespace, `${what}.metadata.namespace`) : undefined;
  const l = labels(meta.labels, `${what}.metadata.labels`);
  const rules = list(o.rules, `${what}.rules`).map((r, i) => rule(r, `${what}.rules[${i}]`));
  let aggregate: Record<string, string>[] | undefined;
  if (o.aggregationRule !== undefined && o.aggregationRule !== null) {
    const agg = obj(o.aggregationRule, `${what}.aggregationRule`);
    aggregate = list(agg.clusterRoleSelectors, `${what}.clusterRoleSelectors`).map((s, i) => {
      const sel = obj(s, `${what}.clusterRoleSelectors[${i}]`);
      if (Object.keys(sel).some((k) => k !== 'matchLabels')) {
        fail(`${what}.clusterRoleSelectors[${i}] uses more than matchLabels`);
      }
      return labels(sel.matchLabels, `${what}.clusterRoleSelectors[${i}].matchLabels`) ?? {};
    });
  }
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    ...(l === undefined ? {} : { labels: l }),
    ...(rules.length === 0 ? {} : { rules }),
    ...(aggregate === undefined ? {} : { aggregate }),
  };
}

function binding(o: { [key: string]: Json }, what: string, namespaced: boolean): CompactBinding {
  const meta = obj(o.metadata, `${what}.metadata`);
  const name = str(meta.name, `${what}.metadata.name`);
  const namespace = namespaced ? str(meta.namespace, `${what}.metadata.namespace`) : undefined;
  const ref = obj(o.roleRef, `${what}.roleRef`);
  if (ref.apiGroup !== GROUP) fail(`${what}.roleRef.apiGroup is not ${GROUP}`);
  const refKind = str(ref.kind, `${what}.roleRef.kind`);
  if (refKind !== 'ClusterRole' && !(namespaced && refKind === 'Role')) {
    fail(`${what}.roleRef.kind ${refKind}`);
  }
  const subjects = list(o.subjects, `${what}.subjects`).map((s, i): CompactSubject => {
    const sub = obj(s, `${what}.subjects[${i}]`);
    const kind = str(sub.kind, `${what}.subjects[${i}].kind`);
    const subName = str(sub.name, `${what}.subjects[${i}].name`);
    if (kind === 'ServiceAccount') {
      if (sub.apiGroup !== undefined && sub.apiGroup !== '')
        fail(`${what}.subjects[${i}].apiGroup`);
      const ns = str(sub.namespace, `${what}.subjects[${i}].namespace`);
      return ['S', subName, ns];
    }
    if (kind !== 'User' && kind !== 'Group') fail(`${what}.subjects[${i}].kind ${kind}`);
    if (sub.apiGroup !== GROUP) fail(`${what}.subjects[${i}].apiGroup is not ${GROUP}`);
    return [kind === 'User' ? 'U' : 'G', subName];
  });
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    ...(refKind === 'Role' ? { roleKind: 'Role' as const } : {}),
    role: str(ref.name, `${what}.roleRef.name`),
    ...(subjects.length === 0 ? {} : { subjects }),
  };
}

function release(
  read: (file: string) => string,
  at: { tag: string | null; commit: string | null; files: Record<string, string> },
): CompactRelease {
  return {
    tag: at.tag,
    commit: at.commit,
    files: at.files,
    source: `kubernetes/kubernetes ${TESTDATA}`,
    clusterRoles: items(read(FILES.clusterRoles), FILES.clusterRoles, 'ClusterRole').map((o, i) =>
      role(o, `ClusterRole ${i}`, false),
    ),
    roles: items(read(FILES.roles), FILES.roles, 'Role').map((o, i) => role(o, `Role ${i}`, true)),
    clusterRoleBindings: items(
      read(FILES.clusterRoleBindings),
      FILES.clusterRoleBindings,
      'ClusterRoleBinding',
    ).map((o, i) => binding(o, `ClusterRoleBinding ${i}`, false)),
    roleBindings: items(read(FILES.roleBindings), FILES.roleBindings, 'RoleBinding').map((o, i) =>
      binding(o, `RoleBinding ${i}`, true),
    ),
  };
}

function git(checkout: string, ...args: string[]): string {
  return execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

async function main(argv: readonly string[]): Promise<void> {
  const releases: { minor: string; tag: string }[] = [];
  let checkout: string | undefined;
  let files: string | undefined;
  let out = OUT;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--checkout' && value !== undefined) checkout = value;
    else if (arg === '--files' && value !== undefined) files = value;
    else if (arg === '--out' && value !== undefined) out = path.resolve(value);
    else if (arg === '--release' && value !== undefined) {
      const m = /^(1\.\d+)=(v1\.\d+\.\d+)$/.exec(value);
      if (m === null) fail(`--release takes MINOR=TAG, e.g. 1.36=v1.36.0, got ${value}`);
      if (!m[2]?.startsWith(`v${m[1]}.`)) fail(`tag ${m[2]} is not of minor ${m[1]}`);
      releases.push({ minor: m[1] as string, tag: m[2] as string });
    } else fail(`unknown argument ${String(arg)}`);
    i += 1;
  }
  if (releases.length === 0) fail('give --release MINOR=TAG (one per minor version)');
  if ((checkout === undefined) === (files === undefined))
    fail('give --checkout DIR or --files DIR');

  const KNOWN_FILES: ReadonlySet<string> = new Set(Object.values(FILES));
  const data: Record<string, CompactRelease> = {};
  const provenance: string[] = [];
  for (const { minor, tag } of releases) {
    let read: (file: string) => string;
    let at: { tag: string | null; commit: string | null; files: Record<string, string> };
    if (checkout !== undefined) {
      const commit = git(checkout, 'rev-parse', `${tag}^{commit}`).trim();
      read = (file) => git(checkout as string, 'show', `${tag}:${TESTDATA}/${file}`);
      at = { tag, commit, files: Object.fromEntries(Object.values(FILES).map((f) => [f, commit])) };
    } else {
      const dir = path.join(files as string, minor);
      const lines = readFileSync(path.join(dir, 'SOURCE'), 'utf8').trim().split('\n');
      const head = (lines[0] ?? '').trim().split(/\s+/);
      if (head[0] !== 'tag') fail(`${dir}/SOURCE must start with "tag TAG COMMIT" or "tag none"`);
      const fileCommits: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const [file, commit] = line.trim().split(/\s+/);
        if (file === undefined || commit === undefined || !/^[0-9a-f]{40}$/.test(commit)) {
          fail(`${dir}/SOURCE: ${JSON.stringify(line)} is not FILE COMMIT`);
        }
        // Only the files read here: a name lands in the generated file's comment.
        if (!KNOWN_FILES.has(file)) {
          fail(
            `${dir}/SOURCE: ${JSON.stringify(file)} is not one of ${[...KNOWN_FILES].join(', ')}`,
          );
        }
        fileCommits[file] = commit;
      }
      for (const f of Object.values(FILES)) {
        if (fileCommits[f] === undefined) fail(`${dir}/SOURCE names no commit for ${f}`);
      }
      if (head[1] === 'none') at = { tag: null, commit: null, files: fileCommits };
      else {
        if (head[1] !== tag || head[2] === undefined || !/^[0-9a-f]{40}$/.test(head[2])) {
          fail(
            `${dir}/SOURCE names tag ${String(head[1])} ${String(head[2])}, not ${tag} and its commit`,
          );
        }
        at = { tag, commit: head[2], files: fileCommits };
      }
      read = (file) => readFileSync(path.join(dir, file), 'utf8');
    }
    data[minor] = release(read, at);
    provenance.push(
      at.tag === null
        ? [
            ` *   ${minor}: PROVISIONAL, not read at ${tag}:`,
            ...Object.entries(at.files).map(([f, c]) => ` *     ${f} at ${c}`),
          ].join('\n')
        : ` *   ${minor}: tag ${at.tag}, commit ${String(at.commit)}`,
    );
  }

  // One release per line, compact: the file is data (it is excluded from formatting).
  const body = Object.entries(data)
    .map(([minor, data]) => `  ${JSON.stringify(minor)}: ${JSON.stringify(data)},`)
    .join('\n');
  const text = `/**
 * GENERATED by scripts/generate-rbac-bootstrap.ts: do not edit by hand.
 *
 * Kubernetes' default roles and bindings, per minor version, from
 * kubernetes/kubernetes ${TESTDATA}/
 * (${Object.values(FILES).join(', ')}), read at:
${provenance.join('\n')}
 *
 * @module
 */
import type { CompactRelease } from './bootstrap-format.js';

/** Each shipped minor version's default objects and where they were read. */
export const BOOTSTRAP_RELEASES: Readonly<Record<string, CompactRelease>> = {
${body}
};
`;
  writeFileSync(out, text);
  console.log(`wrote ${path.relative(ROOT, out)}: ${releases.map((r) => r.minor).join(', ')}`);
}

await main(process.argv.slice(2));
