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
  'mapAccounts of 60,000 items': () => ({
    mapAccounts: fill('', (i) => `- "${String(100000000000 + i)}"\n`, MIB - 16),
  }),
};
