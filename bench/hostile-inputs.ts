/**
 * Hostile `aws-auth` ConfigMaps of 1 MiB (the Kubernetes limit), each built
 * to hit one cost of the reader: many entries, duplicates, long keys, deep
 * nesting, aliases, tabs and YAML 1.1 line breaks that make the reader try
 * again, syntax errors that go through the aws-auth hints. Shared by the
 * benchmark (bench/hostile.ts) and its worker.
 *
 * @module
 */

/** 1 MiB, the most `parseAwsAuth` reads by default. */
export const MIB: number = 1024 * 1024;

/** Repeat `unit(i)` until the text is as close to `size` characters as it gets. */
function fill(head: string, unit: (i: number) => string, size: number): string {
  const parts = [head];
  let length = head.length;
  for (let i = 0; ; i += 1) {
    const next = unit(i);
    if (length + next.length > size) break;
    parts.push(next);
    length += next.length;
  }
  return parts.join('');
}

const ROLE = 'arn:aws:iam::111122223333:role/';

/** Each hostile input by name, as `{ mapRoles }` data (or a whole manifest). */
export const HOSTILE: Readonly<Record<string, () => string | Record<string, string>>> = {
  'many entries': () => ({
    mapRoles: fill('', (i) => `- rolearn: ${ROLE}r${i}\n  username: u\n  groups: [g]\n`, MIB - 16),
  }),
  'one rolearn over and over, alternating mappings': () => ({
    mapRoles: fill('', (i) => `- rolearn: ${ROLE}same\n  username: u${i % 2}\n`, MIB - 16),
  }),
  'users differing only in letter case': () => ({
    mapUsers: fill(
      '',
      (i) =>
        `- userarn: arn:aws:iam::111122223333:user/${i.toString(2).replaceAll('0', 'a').replaceAll('1', 'A')}\n  username: u\n`,
      MIB - 16,
    ),
  }),
  'one entry with 100,000 groups': () => ({
    mapRoles: fill(`- rolearn: ${ROLE}a\n  groups:\n`, (i) => `  - g${i}\n`, MIB - 16),
  }),
  'keys of 1,020 characters': () => ({
    mapRoles: fill(
      `- rolearn: ${ROLE}a\n`,
      (i) => `  ${'k'.repeat(1010)}${String(i).padStart(8, '0')}: v\n`,
      MIB - 16,
    ),
  }),
  'nested 1,000 deep, over and over': () => ({
    mapRoles: fill('', () => `- ${'['.repeat(999)}${']'.repeat(999)}\n`, MIB - 16),
  }),
  'alias fan-out at the aliasing bound': () => ({
    mapRoles: fill(
      `- &a {rolearn: ${ROLE}a, username: u, groups: [${Array.from({ length: 50 }, (_, i) => `g${i}`).join(', ')}]}\n`,
      () => '- *a\n',
      MIB - 16,
    ),
  }),
  'tabs js-yaml refuses, read again': () => ({
    mapRoles: fill('', (i) => `- rolearn: ${ROLE}r${i}\n  groups:\t[a,\tb]\n`, MIB - 16),
  }),
  'NEL and LS line breaks in quotes and flow': () => ({
    mapRoles: fill(
      '',
      (i) => `- rolearn: "${ROLE}r${i}"\u0085  groups: ["a\u2028b", c\u2028d]\n`,
      MIB - 16,
    ),
  }),
  "escapes \\' that js-yaml refuses": () => ({
    mapRoles: fill('', (i) => `- rolearn: ${ROLE}r${i}\n  username: "a\\'b"\n`, MIB - 16),
  }),
  'a syntax error after 1 MiB of tabs and colons (the hints)': () => ({
    mapRoles: `${fill('', () => `-:${'\t'.repeat(60)}\n`, MIB - 64)}- a: [\n`,
  }),
  'a second document of junk': () => ({
    mapRoles: `- rolearn: ${ROLE}a\n---\n${fill('', () => 'junk: [ "\\q", \t{ \n', MIB - 64)}`,
  }),
  'flow pairs [a: b] with no braces, line after line': () => ({
    mapRoles: fill('', () => '- [a: b]\n', MIB - 16),
  }),
  'mapAccounts of 60,000 items': () => ({
    mapAccounts: fill('', (i) => `- "${String(100000000000 + i)}"\n`, MIB - 16),
  }),
};

/** The other readers of hostile text: RBAC (YAML or JSON) and access entries (JSON). */
export type HostileParser = 'parseRbac' | 'parseAccessEntries';

const V1 = 'apiVersion: rbac.authorization.k8s.io/v1';
const clusterRole = (body: string): string => `---\n${V1}\nkind: ClusterRole\n${body}\n`;
const PRINCIPAL = 'arn:aws:iam::111122223333:role/';

/**
 * Hostile inputs of the other readers, 1 MiB or at the bound that stops
 * them: `parseRbac` (aggregation just under its work bound, many objects,
 * many subjects, deep nesting, aliases) and `parseAccessEntries` (many
 * entries, deep nesting, long runs of escapes, a syntax error at the end,
 * which is located by a scan of the whole text).
 */
export const HOSTILE_OTHER: Readonly<
  Record<string, { parser: HostileParser; make: () => string }>
> = {
  'aggregated roles that select each other, under the work bound': {
    parser: 'parseRbac',
    make: () =>
      clusterRole(
        `metadata: {name: base}\nrules:\n${Array.from({ length: 100 }, (_, i) => `- {apiGroups: [""], resources: [r${i}], verbs: [get]}`).join('\n')}`,
      ) +
      Array.from({ length: 60 }, (_, i) =>
        clusterRole(`metadata: {name: a${i}}\naggregationRule: {clusterRoleSelectors: [{}]}`),
      ).join(''),
  },
  '1,000 selectors no index narrows, over 1,000 roles': {
    parser: 'parseRbac',
    make: () =>
      Array.from({ length: 1000 }, (_, i) =>
        clusterRole(`metadata: {name: c${i}, labels: {x: a}}`),
      ).join('') +
      clusterRole(
        `metadata: {name: agg}\naggregationRule: {clusterRoleSelectors: [${Array(1000).fill('{matchExpressions: [{key: x, operator: DoesNotExist}]}').join(', ')}]}`,
      ),
  },
  'many small roles': {
    parser: 'parseRbac',
    make: () => fill('', (i) => clusterRole(`metadata: {name: r${i}}`), MIB - 16),
  },
  'one binding with 40,000 subjects': {
    parser: 'parseRbac',
    make: () =>
      fill(
        `${V1}\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects:\n`,
        (i) => `- {kind: User, name: u${i}}\n`,
        MIB - 16,
      ),
  },
  'a List nested 1,000 deep, over and over': {
    parser: 'parseRbac',
    make: () => fill('', () => `---\n${'['.repeat(999)}${']'.repeat(999)}\n`, MIB - 16),
  },
  'alias fan-out': {
    parser: 'parseRbac',
    make: () =>
      `${V1}\nkind: ClusterRole\nmetadata: {name: x}\nrules:\n- &r {apiGroups: [""], resources: [${Array.from({ length: 50 }, (_, i) => `r${i}`).join(', ')}], verbs: [get]}\n${fill('', () => '- *r\n', MIB - 4096)}`,
  },
  'access entries: many entries': {
    parser: 'parseAccessEntries',
    make: () =>
      `${fill('{"accessEntries":[', (i) => `{"principalArn":"${PRINCIPAL}r${i}","kubernetesGroups":["g"]},`, MIB - 64)}{"principalArn":"${PRINCIPAL}last"}]}`,
  },
  'access entries: nested 500,000 deep': {
    parser: 'parseAccessEntries',
    make: () => `${'['.repeat(MIB / 2 - 8)}${']'.repeat(MIB / 2 - 8)}`,
  },
  'access entries: strings of escapes': {
    parser: 'parseAccessEntries',
    make: () =>
      `{"accessEntries":[{"principalArn":"${PRINCIPAL}a","username":"${'\\u0000'.repeat(MIB / 6 - 32)}"}]}`,
  },
  'access entries: one entry with 11,000 different access policies': {
    parser: 'parseAccessEntries',
    make: () =>
      `${fill(`{"accessEntries":[{"principalArn":"${PRINCIPAL}a","accessPolicies":[`, (i) => `{"policyArn":"arn:aws:eks::aws:cluster-access-policy/P${i}","accessScope":{"type":"cluster"}},`, MIB - 64)}{}]}]}`,
  },
  'access entries: a syntax error after 1 MiB': {
    parser: 'parseAccessEntries',
    make: () =>
      `${fill('{"accessEntries":[', (i) => `{"principalArn":"${PRINCIPAL}r${i}"},`, MIB - 64)}{]}`,
  },
};
