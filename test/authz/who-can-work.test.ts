/**
 * Regression (security audit of `whoCan`): a templated username or group
 * was compared with every granted RBAC name that starts with the
 * template's literal prefix, once per principal. An aws-auth of 10,000
 * entries with the username `{{SessionName}}` (779 KB) against one binding
 * that grants the request to 10,000 users whose names are no session name
 * (709 KB) cost 100,000,000 comparisons and 4.6 s to list nobody, growing
 * with the square of the input (the CLI reads `--rbac` files of up to
 * 64 MiB).
 *
 * Now each distinct template is compared with the names once, and one call
 * compares at most `MAX_TEMPLATE_COMPARISONS` names in all; past that (an
 * input with thousands of distinct templates without a literal prefix) it
 * rejects with `ERR_LIMIT_EXCEEDED`. The comparisons are counted here
 * through `matchTemplate`, never timed.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TemplateMatch from '../../src/authz/template-match.js';
import { MAX_TEMPLATE_COMPARISONS, whoCan } from '../../src/authz/who-can.js';
import { binding, role, rule, snapshot } from './rbac-snapshot.js';

/** Calls of `matchTemplate` (a plain counter: a spy would record millions of calls). */
const counted = vi.hoisted(() => ({ calls: 0 }));

vi.mock('../../src/authz/template-match.js', async (importOriginal) => {
  const original = await importOriginal<typeof TemplateMatch>();
  return {
    ...original,
    matchTemplate: (...args: Parameters<typeof original.matchTemplate>) => {
      counted.calls++;
      return original.matchTemplate(...args);
    },
  };
});

const ACCOUNT = '111122223333';

/** `count` aws-auth role entries, the i-th with `username(i)`. */
function awsAuth(count: number, username: (i: number) => string): { data: { mapRoles: string } } {
  let mapRoles = '';
  for (let i = 0; i < count; i++) {
    mapRoles += `- rolearn: arn:aws:iam::${ACCOUNT}:role/r${i}\n  username: "${username(i)}"\n`;
  }
  return { data: { mapRoles } };
}

/** RBAC granting `get secrets` to `count` users named `u:user-<i>` (no session name has a ":"). */
function grantedTo(count: number): ReturnType<typeof snapshot> {
  return snapshot({
    clusterRoles: [
      role('secret-reader', [rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] })]),
    ],
    clusterRoleBindings: [
      binding(
        'readers',
        'ClusterRole/secret-reader',
        Array.from({ length: count }, (_, i) => `User:u:user-${i}`),
      ),
    ],
  });
}

const comparisons = (): number => counted.calls;

beforeEach(() => {
  counted.calls = 0;
});

describe('regression: whoCan compares templates with granted names a bounded number of times', () => {
  it('2,000 entries with one template, 2,000 granted names: 2,000 comparisons, not 4,000,000', async () => {
    const result = await whoCan('get secrets -n prod', {
      authenticationMode: 'CONFIG_MAP',
      awsAuth: awsAuth(2000, () => '{{SessionName}}'),
      rbac: grantedTo(2000),
    });
    expect(result.principals).toEqual([]);
    expect(comparisons()).toBe(2000);
  });

  it('the grants found for one template reach every principal that has it, as objects of its own', async () => {
    const result = await whoCan('get secrets -n prod', {
      authenticationMode: 'CONFIG_MAP',
      awsAuth: awsAuth(3, () => 'u:{{SessionName}}'),
      rbac: grantedTo(20),
    });
    expect(result.principals).toHaveLength(3 * 20);
    expect(new Set(result.principals.map((p) => p.condition)).size).toBe(3 * 20);
    expect(comparisons()).toBe(20);
  });

  it(`4,000 distinct templates without a literal prefix, 4,000 granted names: refused past ${MAX_TEMPLATE_COMPARISONS} comparisons (ERR_LIMIT_EXCEEDED: the RBAC is valid)`, async () => {
    await expect(
      whoCan('get secrets -n prod', {
        authenticationMode: 'CONFIG_MAP',
        awsAuth: awsAuth(4000, (i) => `{{SessionName}}-${i}`),
        rbac: grantedTo(4000),
      }),
    ).rejects.toMatchObject({
      name: 'LimitExceededError',
      code: 'ERR_LIMIT_EXCEEDED',
      limit: 'MAX_TEMPLATE_COMPARISONS',
      max: MAX_TEMPLATE_COMPARISONS,
    });
    expect(comparisons()).toBeLessThanOrEqual(MAX_TEMPLATE_COMPARISONS);
  });
});
