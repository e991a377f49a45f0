import { describe, expect, it, vi } from 'vitest';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { TemplateError } from '../../src/errors.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Dev`;

function identity(
  sessionName: string | undefined,
  extra: Partial<VerifiedIdentity> = {},
): VerifiedIdentity {
  const arn =
    sessionName === undefined
      ? `arn:aws:iam::${ACCOUNT}:user/Dev`
      : `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/${sessionName}`;
  return {
    arn,
    canonicalArn: sessionName === undefined ? `arn:aws:iam::${ACCOUNT}:user/Dev` : ROLE,
    principalType: sessionName === undefined ? 'user' : 'assumed-role',
    accountId: ACCOUNT,
    userId: sessionName === undefined ? 'AIDAEXAMPLE' : 'AROAEXAMPLE',
    ...(sessionName === undefined ? {} : { sessionName }),
    accessKeyId: 'ASIAEXAMPLEKEY',
    partition: 'aws',
    stsHost: 'sts.eu-west-1.amazonaws.com',
    signedAt: new Date('2024-05-01T12:00:00Z'),
    expiresAt: new Date('2024-05-01T12:15:00Z'),
    ...extra,
  };
}

/** aws-auth mapping the Dev role and the Dev user with this username and groups. */
function awsAuth(username: string, groups: string[] = []) {
  const g = JSON.stringify(groups);
  return parseAwsAuth({
    mapRoles: `- rolearn: ${ROLE}\n  username: ${JSON.stringify(username)}\n  groups: ${g}\n`,
    mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/Dev\n  username: ${JSON.stringify(username)}\n  groups: ${g}\n`,
  });
}

async function rejection(promise: Promise<unknown>): Promise<TemplateError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TemplateError);
  expect((error as TemplateError).code).toBe('ERR_TEMPLATE');
  return error as TemplateError;
}

const resolve = (id: string): string => `ip-10-0-0-1.${id}.compute.internal`;

describe('each placeholder, in both spellings', () => {
  it.each([
    ['{{AccountID}}', 'alice', `u-${ACCOUNT}`],
    ['<<AccountID>>', 'alice', `u-${ACCOUNT}`],
    ['{{SessionName}}', 'alice@example.com', 'u-alice-example.com'],
    ['<<SessionName>>', 'a@b@c', 'u-a-b-c'],
    ['{{SessionNameRaw}}', 'alice@example.com', 'u-alice@example.com'],
    ['<<SessionNameRaw>>', 'alice@example.com', 'u-alice@example.com'],
    ['{{AccessKeyID}}', 'alice', 'u-ASIAEXAMPLEKEY'],
    ['<<AccessKeyID>>', 'alice', 'u-ASIAEXAMPLEKEY'],
    [
      '{{EC2PrivateDNSName}}',
      'i-0123456789abcdef0',
      'u-ip-10-0-0-1.i-0123456789abcdef0.compute.internal',
    ],
    ['<<EC2PrivateDNSName>>', 'i-01234567', 'u-ip-10-0-0-1.i-01234567.compute.internal'],
  ])('u-%s with session %s → %s', async (placeholder, session, expected) => {
    const m = await mapIdentity(
      awsAuth(`u-${placeholder}`, [`g-${placeholder}`]),
      identity(session),
      {
        resolveEC2PrivateDNSName: resolve,
      },
    );
    expect(m?.username).toBe(expected);
    expect(m?.groups).toEqual([expected.replace(/^u-/, 'g-')]);
  });

  it('several placeholders in one template', async () => {
    const m = await mapIdentity(
      awsAuth('aws:{{AccountID}}:eks-developer:{{SessionName}}'),
      identity('bob@corp'),
    );
    expect(m?.username).toBe(`aws:${ACCOUNT}:eks-developer:bob-corp`);
  });

  it.each([
    ['unknown', '{{Foo}}'],
    ['lower case', '{{accountid}}'],
    ['spaced', '{{ AccountID }}'],
    ['single braces', '{AccountID}'],
    ['unknown angles', '<<Team>>'],
    ['unbalanced', '{{AccountID}'],
  ])('%s placeholder stays literal: %s', async (_name, template) => {
    const m = await mapIdentity(awsAuth(`x${template}`), identity('alice'));
    expect(m?.username).toBe(`x${template}`);
  });
});

describe('one pass: substituted values are never scanned again', () => {
  it.each([
    ['{{SessionNameRaw}}', '{{AccountID}}', '{{AccountID}}'],
    ['{{SessionName}}', '<<AccountID>>', '<<AccountID>>'],
    ['{{SessionNameRaw}}-{{AccountID}}', '{{AccessKeyID}}', `{{AccessKeyID}}-${ACCOUNT}`],
  ])('template %s with session name %s → %s', async (template, session, expected) => {
    const m = await mapIdentity(awsAuth(template), identity(session));
    expect(m?.username).toBe(expected);
  });

  it('a DNS name that looks like a placeholder stays as it is', async () => {
    const m = await mapIdentity(
      awsAuth('system:node:{{EC2PrivateDNSName}}'),
      identity('i-01234567'),
      {
        resolveEC2PrivateDNSName: () => '{{SessionName}}',
      },
    );
    expect(m?.username).toBe('system:node:{{SessionName}}');
  });
});

describe('where the values come from', () => {
  it('an ARN string: account and session from the ARN, access key from options', async () => {
    const m = await mapIdentity(
      awsAuth('{{AccountID}}/{{SessionNameRaw}}/{{AccessKeyID}}'),
      `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/carol@x`,
      {
        accessKeyId: 'AKIAFROMOPTIONS',
      },
    );
    expect(m?.username).toBe(`${ACCOUNT}/carol@x/AKIAFROMOPTIONS`);
  });

  it('a verified identity: its own session name and access key win over options', async () => {
    const m = await mapIdentity(
      awsAuth('{{SessionNameRaw}}/{{AccessKeyID}}'),
      identity('from-userid'),
      {
        accessKeyId: 'AKIAIGNORED',
      },
    );
    expect(m?.username).toBe('from-userid/ASIAEXAMPLEKEY');
  });

  it('a user has no session: {{SessionName}} renders empty', async () => {
    const m = await mapIdentity(awsAuth('user-{{SessionName}}'), identity(undefined));
    expect(m).toMatchObject({ username: 'user-', matchedBy: 'mapUsers' });
  });

  it('the resolver is called once per mapping, only when a template needs it', async () => {
    const resolver = vi.fn(resolve);
    await mapIdentity(
      awsAuth('system:node:{{EC2PrivateDNSName}}', ['{{EC2PrivateDNSName}}', 'x']),
      identity('i-01234567'),
      {
        resolveEC2PrivateDNSName: resolver,
      },
    );
    expect(resolver.mock.calls).toEqual([['i-01234567']]);
    await mapIdentity(awsAuth('plain'), identity('i-01234567'), {
      resolveEC2PrivateDNSName: resolver,
    });
    expect(resolver).toHaveBeenCalledTimes(1);
  });

  it('an async resolver is awaited', async () => {
    const m = await mapIdentity(
      awsAuth('system:node:{{EC2PrivateDNSName}}'),
      identity('i-01234567'),
      {
        resolveEC2PrivateDNSName: async (id) => `async-${id}`,
      },
    );
    expect(m?.username).toBe('system:node:async-i-01234567');
  });
});

describe('failure modes: TemplateError (ERR_TEMPLATE)', () => {
  const node = 'system:node:{{EC2PrivateDNSName}}';

  it.each([
    ['a person', 'alice'],
    ['too short', 'i-0123456'],
    ['16 characters', 'i-0123456789abcdef'],
    ['18 characters', 'i-0123456789abcdef01'],
    ['instance id with a suffix', 'i-01234567-x'],
    ['not starting with i-', 'x-01234567'],
  ])(
    '{{EC2PrivateDNSName}} for a session that is not an instance id (%s)',
    async (_name, session) => {
      const resolver = vi.fn(resolve);
      const error = await rejection(
        mapIdentity(awsAuth(node), identity(session), { resolveEC2PrivateDNSName: resolver }),
      );
      expect(error.placeholder).toBe('EC2PrivateDNSName');
      expect(resolver).not.toHaveBeenCalled();
    },
  );

  it('{{EC2PrivateDNSName}} for a user (no session at all)', async () => {
    const error = await rejection(
      mapIdentity(awsAuth(node), identity(undefined), { resolveEC2PrivateDNSName: resolve }),
    );
    expect(error.placeholder).toBe('EC2PrivateDNSName');
  });

  it('{{EC2PrivateDNSName}} in a group fails the same way', async () => {
    const error = await rejection(
      mapIdentity(awsAuth('n', [node]), identity('alice'), { resolveEC2PrivateDNSName: resolve }),
    );
    expect(error.placeholder).toBe('EC2PrivateDNSName');
  });

  it('{{EC2PrivateDNSName}} without a resolver', async () => {
    const error = await rejection(mapIdentity(awsAuth(node), identity('i-01234567')));
    expect(error.placeholder).toBe('EC2PrivateDNSName');
    expect(error.message).toContain('resolveEC2PrivateDNSName');
  });

  it('a resolver that throws: cause kept', async () => {
    const cause = new Error('AccessDenied');
    const error = await rejection(
      mapIdentity(awsAuth(node), identity('i-01234567'), {
        resolveEC2PrivateDNSName: () => {
          throw cause;
        },
      }),
    );
    expect(error.cause).toBe(cause);
    expect(error.placeholder).toBe('EC2PrivateDNSName');
  });

  it('a resolver that rejects with a TemplateError: passed through', async () => {
    const own = new TemplateError('not found', { placeholder: 'EC2PrivateDNSName' });
    const error = await rejection(
      mapIdentity(awsAuth(node), identity('i-01234567'), {
        resolveEC2PrivateDNSName: () => Promise.reject(own),
      }),
    );
    expect(error).toBe(own);
  });

  it.each([
    ['an empty string', ''],
    ['undefined', undefined],
    ['a number', 42],
  ])('a resolver that returns %s (would map to "system:node:")', async (_name, value) => {
    const error = await rejection(
      mapIdentity(awsAuth(node), identity('i-01234567'), {
        resolveEC2PrivateDNSName: () => value as unknown as string,
      }),
    );
    expect(error.placeholder).toBe('EC2PrivateDNSName');
  });

  it('{{AccessKeyID}} for an ARN string without options.accessKeyId', async () => {
    const error = await rejection(
      mapIdentity(awsAuth('{{AccessKeyID}}'), `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice`),
    );
    expect(error.placeholder).toBe('AccessKeyID');
  });

  // pkg/server/server.go:507-526 renders and returns the username unchecked,
  // and :451-458 answers Authenticated with it: EKS's user is "" (or the blanks).
  it.each([
    ['no username', '', ''],
    ['blank username', '   ', '   '],
    ['a user whose username is only {{SessionName}}', '{{SessionName}}', ''],
  ])("empty rendered username is EKS's answer, not an error: %s", async (_name, username, want) => {
    const mapping = await mapIdentity(awsAuth(username), identity(undefined));
    expect(mapping?.username).toBe(want);
  });

  it('error messages carry no session token or secret, only the failing placeholder', async () => {
    const error = await rejection(mapIdentity(awsAuth(node), identity('alice')));
    expect(error.message).not.toContain('ASIAEXAMPLEKEY');
  });
});
