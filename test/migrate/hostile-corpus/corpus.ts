/**
 * The hostile corpus (test/fixtures/hostile-values/values.json) as aws-auth
 * ConfigMaps and migration plans: each value placed where a ConfigMap's
 * author can put it (username, group), in role names and role paths where
 * IAM allows it, and in access-policy namespaces; then what the plan and
 * every format must make of it.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { planAccessEntryMigration } from '../../../src/migrate/plan.js';
import { planRequests } from '../../../src/migrate/render/requests.js';
import type { EntryRequests } from '../../../src/migrate/render/requests.js';
import type { MigrationPlan, MigrationEntry } from '../../../src/migrate/types.js';
import { unsafeValue } from '../../../src/migrate/value-safety.js';

/** One corpus value and the kind of attack it stands for. */
export interface CorpusValue {
  readonly category: string;
  readonly value: string;
}

/**
 * The corpus, in file order, less the values no ConfigMap can hold: a lone
 * UTF-16 surrogate has no UTF-8 form (Kubernetes stores UTF-8), and its
 * escape (`"\ud800"`) makes go-yaml refuse the whole key ("found invalid
 * Unicode character escape code", gopkg.in/yaml.v2 scannerc.go:2454), so
 * EKS never reads such a value and no plan can come from one.
 */
export const CORPUS: readonly CorpusValue[] = (
  JSON.parse(
    readFileSync(new URL('../../fixtures/hostile-values/values.json', import.meta.url), 'utf8'),
  ) as CorpusValue[]
).filter(({ value }) => !/[\ud800-\udfff]/u.test(value));

export const ACCOUNT = '111122223333';
export const CLUSTER = 'prod';
export const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** True if no format may carry `value` (the planner's losses `control-character`, `dynamic-reference`). */
export const isUnsafe = (value: string): boolean => unsafeValue(value) !== undefined;

// IAM role names: [\w+=,.@-]{1,64}; paths: "/" and printable ASCII without
// spaces, at most 512 (IAM API reference, CreateRole).
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const IAM_PATH = /^[\x21-\x7e]{1,480}$/;
export const isRoleName = (value: string): boolean => IAM_NAME.test(value);
// canonicalizeArn refuses empty path segments, which IAM's pattern would allow.
export const isPathPart = (value: string): boolean =>
  IAM_PATH.test(value) && !/^\/|\/\/|\/$/.test(value) && !isUnsafe(value);

/**
 * A YAML double-quoted scalar holding exactly `value`: printable ASCII, the
 * rest as `\uXXXX` / `\UXXXXXXXX` (YAML 1.1 and 1.2 read these alike; a raw
 * NEL or U+2028 would be a line break to a YAML 1.1 reader).
 */
export function yamlQuoted(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const c = value[i] as string;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (unit >= 0x20 && unit < 0x7f) out += c;
    else out += `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  // A surrogate pair written as two \u escapes is one character to YAML readers
  // that join them, but not to all: write astral characters as \U instead.
  return `${out.replace(
    /\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})/g,
    (_m, hi: string, lo: string) => {
      const code = (parseInt(hi, 16) - 0xd800) * 0x400 + (parseInt(lo, 16) - 0xdc00) + 0x10000;
      return `\\U${code.toString(16).padStart(8, '0')}`;
    },
  )}"`;
}

/** One mapRoles entry of the corpus ConfigMaps. */
export interface CorpusEntry {
  readonly arn: string;
  readonly username: string;
  readonly groups: readonly string[];
}

/** `mapRoles` text for `entries`, every value double-quoted. */
export function mapRolesText(entries: readonly CorpusEntry[]): string {
  return entries
    .map(
      (e) =>
        `- rolearn: ${e.arn}\n  username: ${yamlQuoted(e.username)}\n  groups: [${e.groups.map(yamlQuoted).join(', ')}]\n`,
    )
    .join('');
}

const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

/**
 * `plan` with a namespace-scoped view policy added to entries (the planner
 * writes only cluster scopes): entry `i` gets `namespaces[i]`, skipping
 * entries that are not STANDARD.
 */
export function withNamespaces(
  plan: MigrationPlan,
  namespaces: readonly (readonly string[])[],
): MigrationPlan {
  let next = 0;
  const entries = plan.entries.map((e): MigrationEntry => {
    if (e.type !== 'STANDARD' || next >= namespaces.length) return e;
    const scope = namespaces[next++] as readonly string[];
    return {
      ...e,
      accessPolicies: [
        ...e.accessPolicies,
        { policyArn: VIEW, accessScope: { type: 'namespace', namespaces: [...scope] } },
      ],
    };
  });
  return { ...plan, entries };
}

/** A corpus plan and the requests every format must carry. */
export interface CorpusPlan {
  readonly plan: MigrationPlan;
  readonly requests: readonly EntryRequests[];
}

/**
 * The wide corpus plan, for formats that cost nothing per entry (Terraform,
 * CloudFormation, JSON): for each value, an entry with the value as its
 * username, its group and (IAM allowing) its role path; an entry per value
 * that is a legal role name; each value as a namespace.
 */
export function widePlan(
  placed: (value: string) => boolean = () => true,
): CorpusPlan & { entries: readonly CorpusEntry[] } {
  const corpus = CORPUS.map(({ value }) => (placed(value) ? value : `left-out`));
  const entries: CorpusEntry[] = corpus.map((value, i) => ({
    arn: role(`corpus-${i}`),
    username: value,
    groups: [value],
  }));
  corpus.forEach((value, i) => {
    if (isRoleName(value) && value !== 'left-out') {
      entries.push({ arn: role(value), username: `n${i}`, groups: ['named'] });
    }
  });
  const principalArns = corpus.flatMap((value, i) =>
    isPathPart(value) ? [role(`${value}/corpus-${i}`)] : [],
  );
  const planned = planAccessEntryMigration(
    { mapRoles: mapRolesText(entries) },
    { clusterName: CLUSTER, principalArns },
  );
  const namespaces = corpus.filter((value) => !isUnsafe(value)).map((value) => [value]);
  const plan = withNamespaces(planned, namespaces);
  return { plan, requests: planRequests(plan), entries };
}

/** Every string of `requests` with where it sits, for counting and comparing. */
export function placements(requests: readonly EntryRequests[]): [string, string][] {
  const out: [string, string][] = [];
  for (const { create, associate } of requests) {
    out.push(['principalArn', create.principalArn]);
    if (create.username !== undefined) out.push(['username', create.username]);
    for (const g of create.kubernetesGroups ?? []) out.push(['group', g]);
    for (const a of associate) {
      for (const n of a.accessScope.namespaces ?? []) out.push(['namespace', n]);
    }
  }
  return out;
}

/** How many distinct corpus values `requests` carry somewhere. */
export function corpusValuesCarried(requests: readonly EntryRequests[]): number {
  const carried = new Set(placements(requests).map(([, v]) => v));
  let count = 0;
  for (const { value } of CORPUS) {
    const inPath = [...carried].some(
      (v) => v.startsWith(`${role(value)}/corpus-`) || v === role(value),
    );
    if (carried.has(value) || inPath) count++;
  }
  return count;
}

/** Counts of values a consumer gave back, for the closing report line. */
export interface Tally {
  /** Values compared. */
  values: number;
  /** Values equal to the plan's. */
  passed: number;
}

/**
 * A comparer that asserts `actual` (what the consumer made of a value)
 * equals `wanted` (the plan's), counting each string compared in `tally`
 * (every item of a list); an absent value must be absent.
 */
export function comparer(tally: Tally): (actual: unknown, wanted: unknown) => void {
  return (actual, wanted) => {
    if (wanted === undefined) {
      expect(actual).toBeUndefined();
      return;
    }
    const n = Array.isArray(wanted) ? wanted.length : 1;
    tally.values += n;
    expect(actual).toEqual(wanted);
    tally.passed += n;
  };
}
