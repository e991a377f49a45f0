/**
 * End to end: generateToken → verifyToken → the STS emulator, for every
 * principal in the shared GetCallerIdentity cases, in JSON and XML, in every
 * partition the cases cover; every shared token vector; and the one attack a
 * cluster-scoped token exists to stop: replay against another cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionId } from '../../src/partitions.js';
import { generateToken } from '../../src/token/generate.js';
import { verifyToken } from '../../src/token/verify.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';
import { identityCases, startStsEmulator } from '../support/sts-emulator.js';
import type { IdentityCase, StsEmulator } from '../support/sts-emulator.js';
import { loadVector } from '../support/vectors.js';
import type { AuthenticatorVectorFile, BotocoreVectorFile } from '../support/vectors.js';

const DATE = new Date('2024-01-15T12:34:56Z');
const CASES = identityCases();
const REGION_OF: Record<string, string> = {
  aws: 'us-west-2',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

let emulator: StsEmulator;
beforeAll(async () => {
  emulator = await startStsEmulator({ now: () => DATE });
});
afterAll(async () => {
  await emulator.close();
});

function expectedIdentity(
  c: IdentityCase,
  extra: Omit<
    VerifiedIdentity,
    'arn' | 'canonicalArn' | 'principalType' | 'accountId' | 'userId' | 'sessionName' | 'partition'
  >,
): VerifiedIdentity {
  return {
    arn: c.expected.Arn,
    canonicalArn: c.derivedIdentity.canonicalArn,
    principalType: c.derivedIdentity.principalType as VerifiedIdentity['principalType'],
    accountId: c.expected.Account,
    userId: c.derivedIdentity.userId,
    ...(c.derivedIdentity.sessionName === null
      ? {}
      : { sessionName: c.derivedIdentity.sessionName }),
    partition: c.partition as PartitionId,
    ...extra,
  };
}

/** The emulator's fetch, recording the content type of each answer. */
function recordingFetch(format: 'json' | 'xml'): {
  fetch: typeof fetch;
  contentTypes: (string | null)[];
} {
  const inner = format === 'xml' ? emulator.fetchWith({ format: 'xml' }) : emulator.fetch;
  const contentTypes: (string | null)[] = [];
  const fetch = (async (input: string, init: RequestInit) => {
    const response = await inner(input, init);
    contentTypes.push(response.headers.get('content-type'));
    return response;
  }) as typeof globalThis.fetch;
  return { fetch, contentTypes };
}

describe('every shared principal, JSON and XML', () => {
  const rows = CASES.flatMap((c) =>
    (['json', 'xml'] as const).map(
      (format) => [`${c.id} (${c.partition}, ${format})`, c, format] as const,
    ),
  );
  it.each(rows)('%s', async (_name, c, format) => {
    const region = REGION_OF[c.partition] as string;
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: emulator.credentialsFor(c.id),
      region,
      signingDate: DATE,
    });
    const { fetch, contentTypes } = recordingFetch(format);
    const identity = await verifyToken(generated.token, {
      clusterId: 'demo',
      partition: c.partition as PartitionId,
      region,
      currentDate: DATE,
      fetch,
    });
    expect(identity).toStrictEqual(
      expectedIdentity(c, {
        accessKeyId: emulator.credentialsFor(c.id).accessKeyId,
        stsHost: generated.host,
        signedAt: DATE,
        expiresAt: new Date(DATE.getTime() + 15 * 60_000),
      }),
    );
    expect(Object.hasOwn(identity, 'sessionName')).toBe(c.derivedIdentity.sessionName !== null);
    expect(contentTypes).toEqual([format === 'xml' ? 'text/xml' : 'application/json']);
  });
});

describe('endpoint variants', () => {
  const rows: [
    string,
    Parameters<typeof generateToken>[0] extends infer O ? Partial<O> : never,
    string,
  ][] = [
    [
      'legacy global endpoint',
      { region: 'us-east-1', stsRegionalEndpoints: 'legacy' },
      'sts.amazonaws.com',
    ],
    ['FIPS', { region: 'us-east-1', useFipsEndpoint: true }, 'sts-fips.us-east-1.amazonaws.com'],
    ['dual-stack', { region: 'eu-west-1', useDualstackEndpoint: true }, 'sts.eu-west-1.api.aws'],
    [
      'FIPS dual-stack',
      { region: 'us-west-2', useFipsEndpoint: true, useDualstackEndpoint: true },
      'sts-fips.us-west-2.api.aws',
    ],
  ];
  it.each(rows)('%s', async (_name, extra, host) => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: emulator.credentialsFor('assumed-role-sso'),
      signingDate: DATE,
      ...extra,
    });
    expect(generated.host).toBe(host);
    const identity = await verifyToken(generated.token, {
      clusterId: 'demo',
      currentDate: DATE,
      fetch: emulator.fetch,
    });
    expect(identity).toMatchObject({ stsHost: host, sessionName: 'jane.doe@example.com' });
  });
});

describe('every shared token vector verifies at its signing time', () => {
  const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json').vectors;
  const authenticator = loadVector<AuthenticatorVectorFile>(
    'aws-iam-authenticator-tokens.json',
  ).vectors;
  const rows = [
    ...botocore.flatMap((v) => [
      [`botocore/${v.id}`, v.expected.token, v.input, v.expected.host] as const,
      ...(v.alternateEncodings ?? []).map(
        (a) => [`botocore/${v.id} (${a.by})`, a.token, v.input, v.expected.host] as const,
      ),
    ]),
    ...authenticator.map(
      (v) => [`aws-iam-authenticator/${v.id}`, v.expected.token, v.input, v.expected.host] as const,
    ),
  ];
  it.each(rows)('%s', async (_name, token, input, host) => {
    const partition: PartitionId = host.endsWith('.cn')
      ? 'aws-cn'
      : host.includes('us-gov')
        ? 'aws-us-gov'
        : 'aws';
    const temporary = input.sessionToken !== null;
    const caseId = {
      aws: temporary ? 'assumed-role' : 'iam-user',
      'aws-cn': 'assumed-role-aws-cn',
      'aws-us-gov': 'iam-user-aws-us-gov',
    }[partition as 'aws'];
    // The vector keys answer as a principal of the vector's partition.
    const original = emulator.principals.get(input.accessKeyId)!;
    emulator.addPrincipal({ ...original, caseId });
    const signedAt = new Date(input.signingTime);
    emulator.setNow(signedAt);
    try {
      const identity = await verifyToken(token, {
        clusterId: input.clusterId,
        partition,
        currentDate: signedAt,
        fetch: emulator.fetch,
      });
      const c = CASES.find((x) => x.id === caseId)!;
      expect(identity).toStrictEqual(
        expectedIdentity(c, {
          accessKeyId: input.accessKeyId,
          stsHost: host,
          signedAt,
          expiresAt: new Date(signedAt.getTime() + 900_000),
        }),
      );
    } finally {
      emulator.addPrincipal(original);
      emulator.setNow(DATE);
    }
  });
});

describe('a token for cluster A is never accepted by a verifier for cluster B', () => {
  const rows: [string, string, string][] = [
    ['demo → demo2', 'demo', 'demo2'],
    ['prod → Prod (case)', 'prod', 'Prod'],
    ['prod-eu → prod', 'prod-eu', 'prod'],
    ['My_Cluster-01 → My_Cluster-02', 'My_Cluster-01', 'My_Cluster-02'],
    [
      'outposts id → other id',
      '6f1e5b3c-0c5a-4d6e-9a2b-1f2e3d4c5b6a',
      '6f1e5b3c-0c5a-4d6e-9a2b-1f2e3d4c5b6b',
    ],
  ];
  const principals = ['iam-user', 'assumed-role', 'federated-user', 'root'];
  const table = rows.flatMap(([name, a, b]) =>
    principals.map((p) => [`${name} (${p})`, a, b, p] as const),
  );
  it.each(table)('%s → ERR_STS_REJECTED SignatureDoesNotMatch', async (_name, a, b, principal) => {
    const generated = await generateToken({
      clusterId: a,
      credentials: emulator.credentialsFor(principal),
      region: 'us-west-2',
      signingDate: DATE,
    });
    const before = emulator.requests.length;
    const error = await verifyToken(generated.token, {
      clusterId: b,
      currentDate: DATE,
      fetch: emulator.fetch,
    }).then(
      (identity) => ({ identity }),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'ERR_STS_REJECTED',
      awsCode: 'SignatureDoesNotMatch',
      status: 403,
    });
    // STS saw verifier B's cluster id, not the token's.
    expect(emulator.requests.slice(before).map((r) => r.clusterId)).toEqual([b]);
    // And the same token is fine for A.
    await expect(
      verifyToken(generated.token, { clusterId: a, currentDate: DATE, fetch: emulator.fetch }),
    ).resolves.toMatchObject({
      accountId: '123456789012',
    });
  });
});
