import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeArn } from '../src/arn.js';
import type { CanonicalArn } from '../src/arn.js';
import { ArnError, EksAuthError } from '../src/errors.js';
import { PARTITIONS } from '../src/partitions.js';
import { findControlCharacter, quoteForMessage } from '../src/util/control-characters.js';

const ACCT = '123456789012';

describe('canonicalizeArn: accepted principals', () => {
  it.each<[string, string, Omit<CanonicalArn, 'arn'>]>([
    [
      'IAM user',
      `arn:aws:iam::${ACCT}:user/alice`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:user/alice`,
        principalType: 'user',
        partition: 'aws',
        accountId: ACCT,
        name: 'alice',
      },
    ],
    [
      'IAM user with a path',
      `arn:aws:iam::${ACCT}:user/division/team/alice`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:user/division/team/alice`,
        principalType: 'user',
        partition: 'aws',
        accountId: ACCT,
        name: 'division/team/alice',
      },
    ],
    [
      'IAM user with every IAM name character',
      `arn:aws:iam::${ACCT}:user/a_b+c=d,e.f@g-h`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:user/a_b+c=d,e.f@g-h`,
        principalType: 'user',
        partition: 'aws',
        accountId: ACCT,
        name: 'a_b+c=d,e.f@g-h',
      },
    ],
    [
      'IAM role',
      `arn:aws:iam::${ACCT}:role/Admin`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:role/Admin`,
        principalType: 'role',
        partition: 'aws',
        accountId: ACCT,
        name: 'Admin',
      },
    ],
    [
      'IAM role with a path (kept: aws-auth entries are matched as written)',
      `arn:aws:iam::${ACCT}:role/service-role/team/Deployer`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:role/service-role/team/Deployer`,
        principalType: 'role',
        partition: 'aws',
        accountId: ACCT,
        name: 'service-role/team/Deployer',
      },
    ],
    [
      'account root',
      `arn:aws:iam::${ACCT}:root`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:root`,
        principalType: 'root',
        partition: 'aws',
        accountId: ACCT,
      },
    ],
    [
      'assumed role',
      `arn:aws:sts::${ACCT}:assumed-role/Admin/alice`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:role/Admin`,
        principalType: 'assumed-role',
        partition: 'aws',
        accountId: ACCT,
        name: 'Admin',
        sessionName: 'alice',
      },
    ],
    [
      'assumed role, e-mail session name',
      `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:role/AWSReservedSSO_Admin_0123456789abcdef`,
        principalType: 'assumed-role',
        partition: 'aws',
        accountId: ACCT,
        name: 'AWSReservedSSO_Admin_0123456789abcdef',
        sessionName: 'alice@example.com',
      },
    ],
    [
      'assumed role, EC2 instance session',
      `arn:aws:sts::${ACCT}:assumed-role/eks-node/i-0123456789abcdef0`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:role/eks-node`,
        principalType: 'assumed-role',
        partition: 'aws',
        accountId: ACCT,
        name: 'eks-node',
        sessionName: 'i-0123456789abcdef0',
      },
    ],
    [
      // STS never reports a path here; like the Go authenticator, middle
      // segments stay in the role name.
      'assumed role with extra segments',
      `arn:aws:sts::${ACCT}:assumed-role/team/Admin/alice`,
      {
        canonicalArn: `arn:aws:iam::${ACCT}:role/team/Admin`,
        principalType: 'assumed-role',
        partition: 'aws',
        accountId: ACCT,
        name: 'team/Admin',
        sessionName: 'alice',
      },
    ],
    [
      'federated user',
      `arn:aws:sts::${ACCT}:federated-user/bob`,
      {
        canonicalArn: `arn:aws:sts::${ACCT}:federated-user/bob`,
        principalType: 'federated-user',
        partition: 'aws',
        accountId: ACCT,
        name: 'bob',
      },
    ],
    [
      'account id with leading zeros',
      'arn:aws:iam::000000000001:role/r',
      {
        canonicalArn: 'arn:aws:iam::000000000001:role/r',
        principalType: 'role',
        partition: 'aws',
        accountId: '000000000001',
        name: 'r',
      },
    ],
  ])('%s', (_name, arn, expected) => {
    expect(canonicalizeArn(arn)).toEqual({ arn, ...expected });
  });
});

describe.each(PARTITIONS.map((p) => [p.id] as const))('partition %s', (partition) => {
  it.each<[string, string, string, CanonicalArn['principalType']]>([
    [
      'user',
      `arn:${partition}:iam::${ACCT}:user/path/u`,
      `arn:${partition}:iam::${ACCT}:user/path/u`,
      'user',
    ],
    [
      'role',
      `arn:${partition}:iam::${ACCT}:role/r`,
      `arn:${partition}:iam::${ACCT}:role/r`,
      'role',
    ],
    ['root', `arn:${partition}:iam::${ACCT}:root`, `arn:${partition}:iam::${ACCT}:root`, 'root'],
    [
      'assumed role',
      `arn:${partition}:sts::${ACCT}:assumed-role/r/s`,
      `arn:${partition}:iam::${ACCT}:role/r`,
      'assumed-role',
    ],
    [
      'federated user',
      `arn:${partition}:sts::${ACCT}:federated-user/f`,
      `arn:${partition}:sts::${ACCT}:federated-user/f`,
      'federated-user',
    ],
  ])('%s', (_name, arn, canonical, type) => {
    const result = canonicalizeArn(arn);
    expect(result.canonicalArn).toBe(canonical);
    expect(result.principalType).toBe(type);
    expect(result.partition).toBe(partition);
    expect(result.accountId).toBe(ACCT);
  });
});

describe('canonicalizeArn: a hostile ARN never puts control characters in its error', () => {
  it.each([
    ['partition', `arn:\u001b[2J\nX:iam::${ACCT}:user/a`, /unknown partition "\\u001b\[2J\\nX"/],
    ['service', `arn:aws:i\u202eam\u0000::${ACCT}:user/a`, /got "i\\u202eam\\u0000"/],
  ])('%s', (_field, arn, message) => {
    let caught: unknown;
    try {
      canonicalizeArn(arn);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ArnError);
    const text = (caught as Error).message;
    expect(text).toMatch(message);
    expect(findControlCharacter(text)).toBeUndefined();
  });
});

describe('canonicalizeArn: rejected input', () => {
  it.each<[string, unknown]>([
    ['unknown partition', `arn:aws-xx:iam::${ACCT}:role/r`],
    ['partition in upper case', `arn:AWS:iam::${ACCT}:role/r`],
    ['empty partition', `arn::iam::${ACCT}:role/r`],
    ['service s3', `arn:aws:s3::${ACCT}:role/r`],
    ['service IAM in upper case', `arn:aws:IAM::${ACCT}:role/r`],
    ['empty service', `arn:aws::${ACCT}:role/r`],
    ['non-empty region', `arn:aws:iam:us-east-1:${ACCT}:role/r`],
    ['non-empty region on sts', `arn:aws:sts:us-east-1:${ACCT}:assumed-role/r/s`],
    ['11-digit account', 'arn:aws:iam::12345678901:role/r'],
    ['13-digit account', 'arn:aws:iam::1234567890123:role/r'],
    ['account with a letter', 'arn:aws:iam::12345678901a:role/r'],
    ['empty account', 'arn:aws:iam:::role/r'],
    ['account with a dash', 'arn:aws:iam::1234-5678-9012:role/r'],
    ['user with an empty name', `arn:aws:iam::${ACCT}:user/`],
    ['role with an empty name', `arn:aws:iam::${ACCT}:role/`],
    ['role without a name', `arn:aws:iam::${ACCT}:role`],
    ['role with an empty path segment', `arn:aws:iam::${ACCT}:role//r`],
    ['role with a trailing slash', `arn:aws:iam::${ACCT}:role/path/`],
    ['empty resource', `arn:aws:iam::${ACCT}:`],
    ['group', `arn:aws:iam::${ACCT}:group/admins`],
    ['instance profile', `arn:aws:iam::${ACCT}:instance-profile/web`],
    ['policy', `arn:aws:iam::${ACCT}:policy/p`],
    ['OIDC provider', `arn:aws:iam::${ACCT}:oidc-provider/oidc.eks.amazonaws.com/id/X`],
    ['resource type in other case', `arn:aws:iam::${ACCT}:Role/r`],
    ['root with a suffix', `arn:aws:iam::${ACCT}:root/x`],
    ['sts root', `arn:aws:sts::${ACCT}:root`],
    ['iam assumed-role', `arn:aws:iam::${ACCT}:assumed-role/r/s`],
    ['sts role', `arn:aws:sts::${ACCT}:role/r`],
    ['sts user', `arn:aws:sts::${ACCT}:user/u`],
    ['assumed role without a session', `arn:aws:sts::${ACCT}:assumed-role/r`],
    ['assumed role with an empty session', `arn:aws:sts::${ACCT}:assumed-role/r/`],
    ['assumed role with an empty role', `arn:aws:sts::${ACCT}:assumed-role//s`],
    ['federated user with a path', `arn:aws:sts::${ACCT}:federated-user/a/b`],
    ['federated user without a name', `arn:aws:sts::${ACCT}:federated-user/`],
    ['leading whitespace', ` arn:aws:iam::${ACCT}:role/r`],
    ['trailing whitespace', `arn:aws:iam::${ACCT}:role/r `],
    ['trailing newline', `arn:aws:iam::${ACCT}:role/r\n`],
    ['space in the name', `arn:aws:iam::${ACCT}:role/my role`],
    ['tab in the name', `arn:aws:iam::${ACCT}:role/my\trole`],
    ['NUL in the name', `arn:aws:iam::${ACCT}:role/r\u0000`],
    ['non-ASCII name', `arn:aws:iam::${ACCT}:role/rôle`],
    ['"arn" prefix in upper case', `ARN:aws:iam::${ACCT}:role/r`],
    ['not an ARN', 'alice'],
    ['too few fields', `arn:aws:iam::${ACCT}`],
    ['empty string', ''],
    ['longer than 2048 characters', `arn:aws:iam::${ACCT}:role/${'r'.repeat(2048)}`],
    ['undefined', undefined],
    ['null', null],
    ['a number', 123456789012],
    ['an object', { arn: `arn:aws:iam::${ACCT}:role/r` }],
  ])('%s → ERR_ARN_INVALID', (_name, arn) => {
    let caught: unknown;
    try {
      canonicalizeArn(arn as string);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ArnError);
    expect(caught).toBeInstanceOf(EksAuthError);
    expect(caught).toMatchObject({ code: 'ERR_ARN_INVALID', httpStatus: 401 });
  });
});

/**
 * A plain reading of SPEC 3.5 by `split`, as canonicalizeArn read ARNs before
 * it was rewritten to read them by index (every lookup starts with it): the
 * two must agree on every input, error message included.
 */
function splitReading(arn: string): Omit<CanonicalArn, 'arn'> | string {
  if (arn.length > 2048) return 'ARN is longer than 2048 characters';
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return 'expected "arn:<partition>:<service>:<region>:<account>:<resource>"';
  }
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (!PARTITIONS.some((p) => p.id === partition))
    return `unknown partition ${quoteForMessage(partition.slice(0, 32))}`;
  if (service !== 'iam' && service !== 'sts') {
    return `expected service "iam" or "sts", got ${quoteForMessage(service.slice(0, 32))}`;
  }
  if (region !== '') return 'IAM and STS principal ARNs have an empty region field';
  if (!/^\d{12}$/.test(accountId)) return 'account id must be 12 digits';
  if (!/^[\x21-\x7e]+$/.test(resource))
    return 'resource is empty or has spaces or control characters';
  const [kind = '', ...rest] = resource.split('/');
  if (rest.some((s) => s === '')) return 'resource has an empty path segment';
  const base = { partition: partition as CanonicalArn['partition'], accountId };
  if (service === 'iam') {
    if (resource === 'root') return { ...base, canonicalArn: arn, principalType: 'root' };
    if ((kind === 'user' || kind === 'role') && rest.length >= 1) {
      return { ...base, canonicalArn: arn, principalType: kind, name: rest.join('/') };
    }
    return `unsupported IAM resource type "${kind.slice(0, 32)}"`;
  }
  if (kind === 'assumed-role') {
    if (rest.length < 2) return 'assumed-role ARN needs a role name and a session name';
    const roleName = rest.slice(0, -1).join('/');
    return {
      ...base,
      canonicalArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      principalType: 'assumed-role',
      name: roleName,
      sessionName: rest[rest.length - 1] as string,
    };
  }
  if (kind === 'federated-user' && rest.length === 1) {
    return { ...base, canonicalArn: arn, principalType: 'federated-user', name: rest[0] as string };
  }
  return `unsupported STS resource type "${kind.slice(0, 32)}"`;
}

function indexReading(arn: string): Omit<CanonicalArn, 'arn'> | string {
  try {
    const { arn: _given, ...rest } = canonicalizeArn(arn);
    return rest;
  } catch (error) {
    if (!(error instanceof ArnError)) throw error;
    return error.message;
  }
}

describe('canonicalizeArn reads by index exactly as a split-based reading', () => {
  // ARN-shaped text made of the pieces that decide each branch.
  const piece = fc.constantFrom(
    'arn',
    ':',
    ':',
    '/',
    '/',
    '//',
    'aws',
    'aws-cn',
    'aws-us-gov',
    'AWS',
    'iam',
    'sts',
    ACCT,
    '12345',
    'root',
    'role',
    'user',
    'assumed-role',
    'federated-user',
    'Role',
    'x',
    'r@s',
    ' ',
    '\t',
    '-',
    '',
  );
  const arnLike = fc.array(piece, { maxLength: 14 }).map((pieces) => pieces.join(''));
  const wellFormed = fc
    .tuple(
      fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-mars'),
      fc.constantFrom('iam', 'sts'),
      fc.constantFrom('', 'us-east-1'),
      fc.constantFrom(ACCT, '1234567890123'),
      fc.array(
        fc.constantFrom('root', 'role', 'user', 'assumed-role', 'federated-user', 'a', '', 'b:c'),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
    )
    .map(([p, s, r, a, segments]) => `arn:${p}:${s}:${r}:${a}:${segments.join('/')}`);

  it('on ARN-shaped text', () => {
    fc.assert(
      fc.property(fc.oneof(arnLike, wellFormed), (arn) => {
        expect(indexReading(arn)).toEqual(splitReading(arn));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['a colon in the resource', `arn:aws:iam::${ACCT}:role/a:b`],
    ['a colon in the session', `arn:aws:sts::${ACCT}:assumed-role/r/a:b`],
    ['a region', `arn:aws:iam:us-east-1:${ACCT}:role/r`],
    ['exactly five colons, empty resource', `arn:aws:iam::${ACCT}:`],
    ['a leading slash', `arn:aws:sts::${ACCT}:/assumed-role/r/s`],
    ['assumed role with a path-like name', `arn:aws:sts::${ACCT}:assumed-role/a/b/s`],
    ['2048 characters exactly', `arn:aws:iam::${ACCT}:role/${'r'.repeat(2048 - 31)}`],
  ])('%s', (_name, arn) => {
    expect(indexReading(arn)).toEqual(splitReading(arn));
  });
});
