/**
 * ACCESS_POLICIES against AWS's own pages, snapshotted in
 * test/fixtures/access-policies/ (README there says how): every rule table
 * row by row, every heading's documented/undocumented status, the page date.
 *
 * - AWS EKS user guide, "Review access policy permissions",
 *   https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 *   (change table to 2025-11-06)
 * - AWS ARC developer guide, "Amazon EKS resource scaling execution block",
 *   https://docs.aws.amazon.com/r53recovery/latest/dg/eks-resource-scaling-block.html
 */
import { describe, expect, it } from 'vitest';
import {
  ACCESS_POLICIES,
  ACCESS_POLICIES_SOURCE,
  accessPolicy,
} from '../../src/access-entries/access-policies.js';
import type { AccessPolicyRule } from '../../src/access-entries/access-policies.js';
import { KNOWN_ACCESS_POLICIES, isKnownAccessPolicy } from '../../src/access-entries/policies.js';
import { parseAccessEntries } from '../../src/access-entries/parse.js';
import {
  arcRegionSwitchPolicy,
  eksGuideChangeTableDate,
  eksGuideListedNames,
  eksGuidePolicies,
} from './docs-tables.js';
import type { DocsPolicy, DocsRule } from './docs-tables.js';

const guide = eksGuidePolicies();
const documentedOnPages: DocsPolicy[] = [
  ...guide.filter((p) => p.rules !== undefined),
  arcRegionSwitchPolicy(),
];

function asDocsRule(rule: AccessPolicyRule): DocsRule {
  return {
    apiGroups: [...rule.apiGroups],
    resources: [...rule.resources],
    nonResourceURLs: [...(rule.nonResourceURLs ?? [])],
    verbs: [...rule.verbs],
  };
}

describe('ACCESS_POLICIES against the docs snapshots', () => {
  it('the snapshot has the tables it should (a parse that found nothing would pass vacuously)', () => {
    expect(documentedOnPages.map((p) => p.name).sort()).toEqual([
      'AmazonARCRegionSwitchScalingPolicy',
      'AmazonEKSAdminPolicy',
      'AmazonEKSAdminViewPolicy',
      'AmazonEKSClusterAdminPolicy',
      'AmazonEKSEditPolicy',
      'AmazonEKSHybridPolicy',
      'AmazonEKSSecretReaderPolicy',
      'AmazonEKSViewPolicy',
    ]);
    expect(guide.find((p) => p.name === 'AmazonEKSAdminPolicy')?.rules).toHaveLength(22);
  });

  it.each(documentedOnPages.map((p) => [p.name, p] as const))(
    '%s: every rule, row by row, as the page documents it',
    (name, page) => {
      const policy = accessPolicy(name);
      expect(policy?.documented).toBe(true);
      expect(policy?.rules.map(asDocsRule)).toEqual(page.rules);
    },
  );

  it.each(guide.filter((p) => p.rules === undefined).map((p) => [p.name] as const))(
    '%s: described only in prose, so undocumented, with no rules',
    (name) => {
      expect(accessPolicy(name)).toMatchObject({ documented: false, rules: [] });
    },
  );

  it('every policy heading of the guide is listed, and its ARN has the heading as its name', () => {
    for (const page of guide) {
      expect(page.arn).toBe(`arn:aws:eks::aws:cluster-access-policy/${page.name}`);
      expect(isKnownAccessPolicy(page.name)).toBe(true);
    }
  });

  it('the names of the guide example `aws eks list-access-policies` output are listed', () => {
    const names = eksGuideListedNames();
    expect(names).toContain('AmazonAIOpsAssistantPolicy');
    for (const name of names) expect(isKnownAccessPolicy(name)).toBe(true);
  });

  it('documented policies cite a page that has their table; the EKS guide one is dated by its change table', () => {
    expect(ACCESS_POLICIES_SOURCE.updated).toBe(eksGuideChangeTableDate());
    for (const policy of Object.values(ACCESS_POLICIES)) {
      if (!policy.documented) continue;
      const expected =
        policy.name === 'AmazonARCRegionSwitchScalingPolicy'
          ? 'https://docs.aws.amazon.com/r53recovery/latest/dg/eks-resource-scaling-block.html'
          : ACCESS_POLICIES_SOURCE.url;
      expect(policy.source.url).toBe(expected);
    }
  });

  it('no policy beyond the pages tables is marked documented', () => {
    const documented = Object.values(ACCESS_POLICIES)
      .filter((p) => p.documented)
      .map((p) => p.name)
      .sort();
    expect(documented).toEqual(documentedOnPages.map((p) => p.name).sort());
  });

  it('each entry is keyed by its own name, undocumented ones carry no rules', () => {
    for (const [key, policy] of Object.entries(ACCESS_POLICIES)) {
      expect(policy.name).toBe(key);
      if (!policy.documented) expect(policy.rules).toEqual([]);
      else expect(policy.rules.length).toBeGreaterThan(0);
    }
  });

  it('is deeply frozen: no caller can change what a policy grants', () => {
    const view = ACCESS_POLICIES['AmazonEKSViewPolicy'];
    expect(Object.isFrozen(ACCESS_POLICIES)).toBe(true);
    expect(Object.isFrozen(view?.rules[0]?.verbs)).toBe(true);
  });

  it('an inherited property name is not a policy', () => {
    expect(accessPolicy('constructor')).toBeUndefined();
    expect(accessPolicy('toString')).toBeUndefined();
  });
});

describe('access-entries validation uses the same list', () => {
  it('KNOWN_ACCESS_POLICIES is ACCESS_POLICIES names', () => {
    expect([...KNOWN_ACCESS_POLICIES].sort()).toEqual(Object.keys(ACCESS_POLICIES).sort());
  });

  it.each([
    // Listed by the EKS guide (its list-access-policies example) but unknown to the old list.
    ['AmazonAIOpsAssistantPolicy', false],
    ['AmazonEKSHybridPolicy', false],
    ['AmazonEKSSecretReaderPolicy', false],
    ['AmazonEKSArgoCDPolicy', false],
    ['AmazonEKSMadeUpPolicy', true],
  ])('%s: unknown-name warning %s', (name, warned) => {
    const parsed = parseAccessEntries({
      accessEntries: [
        {
          principalArn: 'arn:aws:iam::111122223333:role/dev',
          accessPolicies: [
            {
              policyArn: `arn:aws:eks::aws:cluster-access-policy/${name}`,
              accessScope: { type: 'cluster' },
            },
          ],
        },
      ],
    });
    expect(parsed.entries).toHaveLength(1);
    expect(
      parsed.diagnostics.some((d) => d.message.includes('not an access policy AWS lists')),
    ).toBe(warned);
  });
});
