import { describe, expect, it } from 'vitest';
import { resolveAwsAuth } from '../../src/aws-auth/input.js';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import type { MapIdentityOptions } from '../../src/resolve/map-identity.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import type { AwsAuth, RoleMapping } from '../../src/mapping/types.js';
import { ArnError, AwsAuthError } from '../../src/errors.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';
import { manifest, manyRoles } from './fixtures.js';

const A = '111122223333';
const SSO_ROLE = 'AWSReservedSSO_Admin_0123456789abcdef';

function sso(partition = 'aws'): string {
  return `arn:${partition}:sts::${A}:assumed-role/${SSO_ROLE}/alice@example.com`;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('precedence: mapRoles > sso > mapUsers > mapAccounts', () => {
  const entries = {
    rolearn: `- rolearn: arn:aws:iam::${A}:role/${SSO_ROLE}\n  username: by-rolearn\n`,
    sso: `- sso: {permissionSetName: Admin, accountID: "${A}"}\n  username: by-sso\n`,
    user: `- userarn: arn:aws:iam::${A}:role/${SSO_ROLE}\n  username: by-user\n`,
    account: `- "${A}"\n`,
  };
  const build = (keep: (keyof typeof entries)[]): AwsAuth =>
    parseAwsAuth({
      // sso first in the list: order inside mapRoles must not matter.
      mapRoles:
        (keep.includes('sso') ? entries.sso : '') +
        (keep.includes('rolearn') ? entries.rolearn : ''),
      mapUsers: keep.includes('user') ? entries.user : '',
      mapAccounts: keep.includes('account') ? entries.account : '',
    });

  it.each([
    [['rolearn', 'sso', 'user', 'account'], 'by-rolearn', 'mapRoles'],
    [['sso', 'user', 'account'], 'by-sso', 'sso'],
    [['user', 'account'], 'by-user', 'mapUsers'],
    [['account'], `arn:aws:iam::${A}:role/${SSO_ROLE}`, 'mapAccounts'],
  ] as const)('with %j the winner is %s', async (keep, username, matchedBy) => {
    const m = await mapIdentity(build([...keep]), sso(), { ssoRoleMatch: true });
    expect(m).toMatchObject({ username, matchedBy });
    expect(m?.canonicalArn).toBe(`arn:aws:iam::${A}:role/${SSO_ROLE}`);
  });

  it('without ssoRoleMatch the sso entry is skipped: mapUsers wins', async () => {
    const m = await mapIdentity(build(['sso', 'user', 'account']), sso());
    expect(m).toMatchObject({ username: 'by-user', matchedBy: 'mapUsers' });
  });

  it('nothing matches: exactly null', async () => {
    const m = await mapIdentity(
      build(['rolearn', 'sso', 'user', 'account']),
      `arn:aws:iam::999999999999:user/x`,
      {
        ssoRoleMatch: true,
      },
    );
    expect(m).toBeNull();
  });
});

describe('rolearn entries', () => {
  const auth = parseAwsAuth({
    mapRoles: [
      `- rolearn: arn:aws:iam::${A}:role/Admin\n  username: admin:{{SessionName}}\n  groups: [system:masters]`,
      `- rolearn: arn:aws:iam::${A}:role/team/Dev\n  username: dev\n`,
      `- rolearn: arn:aws:iam::${A}:role/Ops\n  username: ops-first\n`,
      `- rolearn: arn:aws:iam::${A}:role/OPS\n  username: ops-second\n`,
    ].join('\n'),
  });

  it.each([
    ['assumed-role session', `arn:aws:sts::${A}:assumed-role/Admin/alice`, 'admin:alice', 0],
    ['IAM role ARN', `arn:aws:iam::${A}:role/Admin`, 'admin:', 0],
    ['different case', `arn:aws:sts::${A}:assumed-role/ADMIN/alice`, 'admin:alice', 0],
    ['later duplicate wins', `arn:aws:sts::${A}:assumed-role/ops/x`, 'ops-second', 3],
    ['IAM role ARN with the same path', `arn:aws:iam::${A}:role/team/Dev`, 'dev', 1],
  ])('%s', async (_name, arn, username, entryIndex) => {
    const m = await mapIdentity(auth, arn);
    expect(m).toMatchObject({ username, matchedBy: 'mapRoles', entryIndex });
  });

  it('a path entry never matches a session (STS drops paths) unless stripRolePaths', async () => {
    const session = `arn:aws:sts::${A}:assumed-role/Dev/alice`;
    expect(await mapIdentity(auth, session)).toBeNull();
    expect(await mapIdentity(auth, session, { stripRolePaths: true })).toMatchObject({
      username: 'dev',
      entryIndex: 1,
      canonicalArn: `arn:aws:iam::${A}:role/Dev`,
    });
  });

  it('stripRolePaths keeps exact matches and later-wins', async () => {
    const opts: MapIdentityOptions = { stripRolePaths: true };
    expect(await mapIdentity(auth, `arn:aws:sts::${A}:assumed-role/Admin/a`, opts)).toMatchObject({
      entryIndex: 0,
    });
    expect(await mapIdentity(auth, `arn:aws:sts::${A}:assumed-role/Ops/a`, opts)).toMatchObject({
      entryIndex: 3,
    });
  });

  it('another account with the same role name does not match', async () => {
    expect(
      await mapIdentity(auth, 'arn:aws:sts::999999999999:assumed-role/Admin/alice'),
    ).toBeNull();
  });

  it('another partition with the same account and role does not match', async () => {
    expect(await mapIdentity(auth, `arn:aws-cn:sts::${A}:assumed-role/Admin/alice`)).toBeNull();
  });
});

describe('sso entries (ssoRoleMatch: true)', () => {
  const auth = parseAwsAuth({
    mapRoles: [
      `- sso: {permissionSetName: Admin, accountID: "${A}"}\n  username: admin`,
      `- sso: {permissionSetName: Admin_ReadOnly, accountID: "${A}"}\n  username: admin-readonly`,
      `- sso: {permissionSetName: ChinaOps, accountID: "${A}", partition: aws-cn}\n  username: china-ops`,
    ].join('\n'),
  });
  const on: MapIdentityOptions = { ssoRoleMatch: true };
  const role = (name: string, partition = 'aws', account = A): string =>
    `arn:${partition}:sts::${account}:assumed-role/${name}/alice@example.com`;

  it.each([
    ['Admin', role('AWSReservedSSO_Admin_0123456789abcdef'), 'admin'],
    [
      'Admin_ReadOnly, never Admin',
      role('AWSReservedSSO_Admin_ReadOnly_0123456789abcdef'),
      'admin-readonly',
    ],
    ['case-insensitive', role('awsreservedsso_ADMIN_abc'), 'admin'],
    ['IAM role ARN form', `arn:aws:iam::${A}:role/AWSReservedSSO_Admin_abc`, 'admin'],
    // pkg/config/mapper.go:28 ends the pattern in "_*" and pkg/arn/arnlike.go:74-79 turns
    // "*" into ".*": anything follows, "_" and nothing included.
    [
      'Admin_ReadOnly2 falls to Admin (Go: "_*" takes anything)',
      role('AWSReservedSSO_Admin_ReadOnly2_abc'),
      'admin',
    ],
    ['empty suffix (Go: "_*" matches nothing)', role('AWSReservedSSO_Admin_'), 'admin'],
  ])('%s', async (_name, arn, username) => {
    expect(await mapIdentity(auth, arn, on)).toMatchObject({ username, matchedBy: 'sso' });
  });

  it.each([
    ['permission set not listed', role('AWSReservedSSO_Billing_abc')],
    ['no suffix', role('AWSReservedSSO_Admin')],
    // pkg/config/mapper.go:23-28: a named partition leaves the pattern's partition empty.
    ['aws-cn entry (partition named), aws-cn role', role('AWSReservedSSO_ChinaOps_abc', 'aws-cn')],
    ['not an SSO role', role('Admin')],
    ['prefix not at the start', role('xAWSReservedSSO_Admin_abc')],
    ['another account', role('AWSReservedSSO_Admin_abc', 'aws', '999999999999')],
    ['aws entry, aws-cn role', role('AWSReservedSSO_Admin_abc', 'aws-cn')],
    ['aws-cn entry, aws role', role('AWSReservedSSO_ChinaOps_abc')],
    ['an IAM user', `arn:aws:iam::${A}:user/AWSReservedSSO_Admin_abc`],
    [
      'SSO role with its path (IAM ARN)',
      `arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_abc`,
    ],
  ])('no match: %s', async (_name, arn) => {
    expect(await mapIdentity(auth, arn, on)).toBeNull();
  });

  it('the SSO path is matched with stripRolePaths', async () => {
    const arn = `arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_abc`;
    expect(await mapIdentity(auth, arn, { ...on, stripRolePaths: true })).toMatchObject({
      username: 'admin',
    });
  });

  it('off by default', async () => {
    expect(await mapIdentity(auth, role('AWSReservedSSO_Admin_abc'))).toBeNull();
  });
});

describe('mapUsers and mapAccounts', () => {
  const auth = parseAwsAuth(
    manifest({
      mapUsers: `- userarn: arn:aws:iam::${A}:user/alice\n  username: alice\n  groups: [devs]\n- userarn: arn:aws:iam::${A}:root\n  username: root-user\n- userarn: arn:aws:sts::${A}:federated-user/bob\n  username: fed-bob\n`,
      mapAccounts: '- 012345678901\n',
    }),
  );

  it.each([
    [
      'IAM user',
      `arn:aws:iam::${A}:user/alice`,
      { username: 'alice', groups: ['devs'], matchedBy: 'mapUsers', entryIndex: 0 },
    ],
    [
      'IAM user, other case',
      `arn:aws:iam::${A}:user/ALICE`,
      { username: 'alice', matchedBy: 'mapUsers' },
    ],
    [
      'root',
      `arn:aws:iam::${A}:root`,
      { username: 'root-user', matchedBy: 'mapUsers', entryIndex: 1 },
    ],
    [
      'federated user',
      `arn:aws:sts::${A}:federated-user/bob`,
      { username: 'fed-bob', entryIndex: 2 },
    ],
    [
      'mapAccounts with a leading-zero account',
      'arn:aws:sts::012345678901:assumed-role/Anything/s',
      { username: 'arn:aws:iam::012345678901:role/Anything', groups: [], matchedBy: 'mapAccounts' },
    ],
    [
      'mapAccounts: a user',
      'arn:aws:iam::012345678901:user/zed',
      { username: 'arn:aws:iam::012345678901:user/zed' },
    ],
  ])('%s', async (_name, arn, expected) => {
    expect(await mapIdentity(auth, arn)).toMatchObject(expected);
  });

  it('mapAccounts has no entryIndex', async () => {
    const m = await mapIdentity(auth, 'arn:aws:iam::012345678901:user/zed');
    expect(m).not.toHaveProperty('entryIndex');
  });

  it('an account without its leading zero does not match', async () => {
    const noZero = parseAwsAuth({ mapAccounts: '- "12345678901"\n' });
    expect(await mapIdentity(noZero, 'arn:aws:iam::012345678901:user/zed')).toBeNull();
  });
});

describe('identities', () => {
  const auth = parseAwsAuth({
    mapRoles: `- rolearn: arn:aws:iam::${A}:role/Dev\n  username: "dev:{{SessionName}}"\n`,
  });
  const verified: VerifiedIdentity = {
    arn: `arn:aws:sts::${A}:assumed-role/Dev/alice`,
    canonicalArn: `arn:aws:iam::${A}:role/Dev`,
    principalType: 'assumed-role',
    accountId: A,
    userId: 'AROAEXAMPLE',
    sessionName: 'alice',
    accessKeyId: 'ASIAEXAMPLE',
    partition: 'aws',
    stsHost: 'sts.eu-west-1.amazonaws.com',
    signedAt: new Date('2024-05-01T12:00:00Z'),
    expiresAt: new Date('2024-05-01T12:15:00Z'),
  };

  it('a VerifiedIdentity and its ARN map alike', async () => {
    const a = await mapIdentity(auth, verified);
    const b = await mapIdentity(auth, verified.arn);
    expect(a).toEqual({
      username: 'dev:alice',
      groups: [],
      matchedBy: 'mapRoles',
      entryIndex: 0,
      canonicalArn: verified.canonicalArn,
    });
    expect(b).toEqual(a);
  });

  it.each([
    ['not an ARN', 'Admin'],
    ['an S3 ARN', 'arn:aws:s3:::bucket'],
    ['unknown partition', `arn:aws-mars:iam::${A}:role/Dev`],
  ])('an ARN string it cannot read (%s) rejects with ArnError', async (_name, arn) => {
    const pending = mapIdentity(auth, arn);
    expect(pending).toBeInstanceOf(Promise);
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(ArnError);
    expect((error as ArnError).code).toBe('ERR_ARN_INVALID');
  });

  it.each([
    ['null identity', null, undefined],
    ['identity without canonicalArn', { arn: 'x' }, undefined],
    ['options not an object', verified.arn, 'yes'],
    ['ssoRoleMatch not a boolean', verified.arn, { ssoRoleMatch: 'true' }],
    ['stripRolePaths not a boolean', verified.arn, { stripRolePaths: 1 }],
    ['accessKeyId not a string', verified.arn, { accessKeyId: 1 }],
    ['resolver not a function', verified.arn, { resolveEC2PrivateDNSName: 'ec2' }],
  ])('caller bug (%s) rejects with TypeError', async (_name, identity, options) => {
    const pending = mapIdentity(auth, identity as string, options as MapIdentityOptions);
    expect(await rejectionOf(pending)).toBeInstanceOf(TypeError);
  });
});

describe('awsAuth forms', () => {
  const roles = `- rolearn: arn:aws:iam::${A}:role/Dev\n  username: dev\n`;
  it.each([
    ['parsed', parseAwsAuth({ mapRoles: roles })],
    ['manifest text', manifest({ mapRoles: roles })],
    ['data map object', { mapRoles: roles }],
    ['JSON text', JSON.stringify({ data: { mapRoles: roles } })],
    [
      'parsed, through JSON',
      JSON.parse(JSON.stringify(parseAwsAuth({ mapRoles: roles }))) as AwsAuth,
    ],
  ])('%s', async (_name, input) => {
    expect(await mapIdentity(input, `arn:aws:sts::${A}:assumed-role/Dev/x`)).toMatchObject({
      username: 'dev',
    });
  });

  it('an input that is not a ConfigMap rejects with AwsAuthError', async () => {
    const error = await rejectionOf(mapIdentity('- not: a configmap', `arn:aws:iam::${A}:user/x`));
    expect(error).toBeInstanceOf(AwsAuthError);
  });

  it('the same text is parsed once', () => {
    const text = manifest({ mapRoles: roles });
    expect(resolveAwsAuth(text)).toBe(resolveAwsAuth(`${text}`));
    const parsed = parseAwsAuth(text);
    expect(resolveAwsAuth(parsed)).toBe(parsed);
  });
});

describe('lookups index, never scan', () => {
  /** A parsed aws-auth whose mapRoles counts every element read. */
  function counted(n: number): { auth: AwsAuth; reads: () => number } {
    // 10,000 entries are more than a ConfigMap may hold (1 MiB): raise the bound.
    const parsed = parseAwsAuth({ mapRoles: manyRoles(n) }, { maxInputLength: 4 * 1024 * 1024 });
    let reads = 0;
    // Frozen like every parseAwsAuth result: only a frozen aws-auth has a cached index.
    const mapRoles = new Proxy(Object.freeze([...parsed.mapRoles]) as RoleMapping[], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return { auth: Object.freeze({ ...parsed, mapRoles }), reads: () => reads };
  }

  it.each([[10], [10_000]])(
    '%i entries: after the first call, a lookup reads no entry',
    async (n) => {
      const { auth, reads } = counted(n);
      await mapIdentity(auth, 'arn:aws:sts::123456789012:assumed-role/role-0/s');
      // Building the index reads each entry (and checks it is frozen).
      expect(reads()).toBe(2 * n);
      const before = reads();
      for (const i of [0, n - 1, Math.floor(n / 2)]) {
        const m = await mapIdentity(auth, `arn:aws:sts::123456789012:assumed-role/role-${i}/s`);
        expect(m).toMatchObject({ username: `user-${i}:s`, entryIndex: i });
      }
      expect(
        await mapIdentity(auth, 'arn:aws:sts::123456789012:assumed-role/missing/s'),
      ).toBeNull();
      expect(reads()).toBe(before);
    },
  );
});
