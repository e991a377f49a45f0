/**
 * Lookup indexes never go stale. A parse result is deeply frozen, so its
 * index is built once; the same result written to JSON and read back (or any
 * look-alike that can still change) is indexed afresh on every lookup, so an
 * entry removed between two lookups is revoked, as it is on a cluster.
 */
import { describe, expect, it } from 'vitest';
import { parseAccessEntries } from '../../src/access-entries/parse.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { resolveIdentity } from '../../src/resolve/resolve.js';
import { parseDynamicFile } from '../../src/sources/dynamic-file.js';
import { mappingSources } from '../../src/sources/ordered.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';
import { isDeepFrozen } from '../../src/util/frozen-cache.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const ROLE_ID = 'AROAAAAAAAAAAAAAAAAAA';
const CALLER: VerifiedIdentity = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
  canonicalArn: ROLE,
  principalType: 'assumed-role',
  accountId: ACCOUNT,
  userId: ROLE_ID,
  sessionName: 'alice',
  partition: 'aws',
  accessKeyId: 'ASIAEXAMPLE',
} as VerifiedIdentity;

/** A value as JSON gives it back: the same data, nothing frozen. */
function roundTripped<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type Ask = () => Promise<string | null>;

const ROWS: readonly [string, () => { ask: Ask; revoke: () => void }][] = [
  [
    'access entries (parseAccessEntries, JSON round-tripped): entries.pop()',
    () => {
      const saved = roundTripped(
        parseAccessEntries([
          { principalArn: ROLE, username: 'admin:{{SessionName}}', kubernetesGroups: ['admins'] },
        ]),
      );
      return {
        ask: async () =>
          (await resolveIdentity(CALLER, { accessEntries: saved }))?.username ?? null,
        revoke: () => void (saved.entries as unknown[]).pop(),
      };
    },
  ],
  [
    'user-id-strict DynamicFile (parseDynamicFile, JSON round-tripped): mapRoles.pop()',
    () => {
      const saved = roundTripped(
        parseDynamicFile(
          JSON.stringify({
            mapRoles: [{ rolearn: ROLE, username: 'admin', groups: ['g'], userid: ROLE_ID }],
          }),
          { userIdStrict: true },
        ),
      );
      return {
        ask: async () => (await mapIdentity(saved, CALLER))?.username ?? null,
        revoke: () => void (saved.mapRoles as unknown[]).pop(),
      };
    },
  ],
  [
    'aws-auth (parseAwsAuth, JSON round-tripped): mapRoles.pop()',
    () => {
      const saved = roundTripped(parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  username: a\n` }));
      return {
        ask: async () => (await mapIdentity(saved, CALLER))?.username ?? null,
        revoke: () => void (saved.mapRoles as unknown[]).pop(),
      };
    },
  ],
  [
    'a frozen bundle whose list of sources is not: sources.pop()',
    () => {
      const bundle = mappingSources([
        parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  username: a\n` }),
      ]);
      const saved = Object.freeze({ ...bundle, sources: [...bundle.sources] });
      return {
        ask: async () => (await mapIdentity(saved, CALLER))?.username ?? null,
        revoke: () => void saved.sources.pop(),
      };
    },
  ],
];

describe('an input that can still change is indexed afresh: removing an entry revokes', () => {
  it.each(ROWS)('%s', async (_name, make) => {
    const { ask, revoke } = make();
    expect(await ask()).not.toBeNull();
    revoke();
    expect(await ask()).toBeNull();
  });
});

describe('isDeepFrozen', () => {
  it.each([
    ['a parse result', parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  groups: [g]\n` }), true],
    ['a frozen object with an unfrozen array inside', Object.freeze({ a: [1] }), false],
    ['an unfrozen object', { a: 1 }, false],
    ['a primitive', 'text', true],
  ] as const)('%s', (_name, value, expected) => {
    expect(isDeepFrozen(value)).toBe(expected);
  });

  it('a frozen value 100,000 deep is walked without recursion', () => {
    let value: object = Object.freeze({});
    for (let i = 0; i < 100_000; i += 1) value = Object.freeze({ next: value });
    expect(isDeepFrozen(value)).toBe(true);
  });

  it('shared and cyclic objects are walked once', () => {
    const shared = Object.freeze([1, 2]);
    const cyclic: { self?: unknown; a: unknown; b: unknown } = { a: shared, b: shared };
    cyclic.self = cyclic;
    expect(isDeepFrozen(Object.freeze(cyclic))).toBe(true);
  });
});
