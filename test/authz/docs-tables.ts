/**
 * Reads the rule tables out of the committed snapshots of AWS's pages
 * (test/fixtures/access-policies/): the EKS user guide's AsciiDoc source and
 * the ARC guide's Markdown. Each table row is one rule, as the guide says
 * ("Each row of each table in each access policy is a separate rule"); an
 * empty API-group cell is the core group `""`; `{asterisk}` / `\$1` is `*`.
 * The pages' own typos in backticks (`` ``list`` ``, `` r``esourcequotas/status`` ``)
 * are read as the words they show.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One rule as a docs table row gives it. */
export interface DocsRule {
  apiGroups: string[];
  resources: string[];
  nonResourceURLs: string[];
  verbs: string[];
}

/** One policy heading of a page: its ARN and, when the page has one, its table. */
export interface DocsPolicy {
  name: string;
  arn: string;
  rules: DocsRule[] | undefined;
}

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'access-policies');

function cellWords(cell: string): string[] {
  const text = cell
    .replaceAll('{asterisk}', '*')
    .replaceAll('\\$1', '*')
    .replaceAll('`', '')
    .trim();
  if (text === '') return [];
  return text.split(',').map((w) => w.trim());
}

/** The policies of the EKS user guide snapshot, in page order. */
export function eksGuidePolicies(): DocsPolicy[] {
  const text = readFileSync(
    resolve(FIXTURES, 'eks-user-guide-access-policy-reference.adoc'),
    'utf8',
  );
  const policies: DocsPolicy[] = [];
  const sections = text.split(/^== /m).slice(1);
  for (const section of sections) {
    const name = (section.split('\n')[0] as string).trim();
    if (name === 'Access policy updates' || name === 'List all policies') continue;
    const arn = /\*ARN\* – `\{arn-aws\}(eks::aws:cluster-access-policy\/\w+)`/.exec(section)?.[1];
    if (arn === undefined) throw new Error(`no ARN line under ${name}`);
    const table = /\|===\n([\s\S]*?)\|===/.exec(section)?.[1];
    let rules: DocsRule[] | undefined;
    if (table !== undefined) {
      const lines = table.split('\n').filter((l) => l.startsWith('|'));
      const header = lines.filter((l) => /^\|\s*Kubernetes /.test(l)).map((l) => l.slice(1).trim());
      const cells = lines.slice(header.length).map((l) => l.slice(1));
      rules = [];
      for (let i = 0; i < cells.length; i += header.length) {
        const row = cells.slice(i, i + header.length);
        const column = (title: string): string[] => {
          const at = header.indexOf(title);
          return at === -1 ? [] : cellWords(row[at] ?? '');
        };
        const groups = column('Kubernetes API groups');
        const resources = column('Kubernetes resources');
        rules.push({
          // An empty group cell on a resource row is the core group.
          apiGroups: groups.length === 0 && resources.length > 0 ? [''] : groups,
          resources,
          nonResourceURLs: column('Kubernetes nonResourceURLs'),
          verbs: column('Kubernetes verbs (permissions)'),
        });
      }
    }
    policies.push({ name, arn: `arn:aws:${arn}`, rules });
  }
  return policies;
}

/** The names in the guide's example output of `aws eks list-access-policies`. */
export function eksGuideListedNames(): string[] {
  const text = readFileSync(
    resolve(FIXTURES, 'eks-user-guide-access-policy-reference.adoc'),
    'utf8',
  );
  return [...text.matchAll(/"name": "(\w+)"/g)].map((m) => m[1] as string);
}

/** The date of the newest row of the guide's "Access policy updates" table, as written. */
export function eksGuideChangeTableDate(): string {
  const text = readFileSync(
    resolve(FIXTURES, 'eks-user-guide-access-policy-reference.adoc'),
    'utf8',
  );
  const updates = text.split('== Access policy updates')[1] ?? '';
  const dates = [...updates.matchAll(/^\|(\w+ \d{1,2}, \d{4})$/gm)].map((m) => m[1] as string);
  const newest = dates
    .map((d) => new Date(`${d} UTC`))
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (newest === undefined) throw new Error('no dates in the change table');
  return newest.toISOString().slice(0, 10);
}

/** The ARC guide's table for AmazonARCRegionSwitchScalingPolicy. */
export function arcRegionSwitchPolicy(): DocsPolicy {
  const text = readFileSync(resolve(FIXTURES, 'arc-region-switch-eks-access-policy.md'), 'utf8');
  const rows = text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Kubernetes') && !l.startsWith('| ---'));
  const rules = rows.map((row) => {
    const [groups, resources, verbs] = row
      .split('|')
      .slice(1, 4)
      .map((c) => cellWords(c));
    return {
      apiGroups: groups ?? [],
      resources: resources ?? [],
      nonResourceURLs: [],
      verbs: verbs ?? [],
    };
  });
  const arn = /\*\*Policy ARN:\*\* `([^`]+)`/.exec(text)?.[1] ?? '';
  return { name: 'AmazonARCRegionSwitchScalingPolicy', arn, rules };
}
