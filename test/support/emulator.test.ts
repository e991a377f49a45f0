/**
 * The STS emulator is only worth trusting if it is independent of the code
 * under test and as strict as STS. These tests prove both from the shared
 * vectors alone: the reference signer reproduces every vector byte for byte,
 * the emulator accepts every vector at its signing time, and rejects each
 * with one byte changed in any signed part or outside the 15-minute window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignReference } from './sigv4-reference.js';
import { errorCases, FAULT_KINDS, identityCases, startStsEmulator } from './sts-emulator.js';
import type { FaultKind, StsEmulator } from './sts-emulator.js';
import { loadVector } from './vectors.js';
import type { AuthenticatorVectorFile, BotocoreVectorFile } from './vectors.js';

interface TokenVector {
  id: string;
  url: string;
  clusterId: string;
  signingTime: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | null;
  region: string;
  host: string;
  canonicalRequest: string;
  stringToSign: string;
  order: 'botocore' | 'sorted' | 'other';
  expires: number;
}

const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json').vectors;
const authenticator = loadVector<AuthenticatorVectorFile>(
  'aws-iam-authenticator-tokens.json',
).vectors;

const VECTORS: TokenVector[] = [
  ...botocore.flatMap((v) => {
    const common = {
      clusterId: v.input.clusterId,
      signingTime: v.input.signingTime,
      accessKeyId: v.input.accessKeyId,
      secretAccessKey: v.input.secretAccessKey,
      sessionToken: v.input.sessionToken,
      region: v.expected.signingRegion,
      host: v.expected.host,
      canonicalRequest: v.expected.canonicalRequest,
      stringToSign: v.expected.stringToSign,
      expires: 60,
    };
    return [
      {
        ...common,
        id: `botocore/${v.id}`,
        url: v.expected.presignedUrl,
        order: 'botocore' as const,
      },
      ...(v.alternateEncodings ?? []).map((alt) => ({
        ...common,
        id: `botocore/${v.id}/alt:${alt.by}`,
        url: alt.presignedUrl,
        order: 'other' as const,
      })),
    ];
  }),
  ...authenticator.map((v) => ({
    id: `aws-iam-authenticator/${v.id}`,
    url: v.expected.presignedUrl,
    clusterId: v.input.clusterId,
    signingTime: v.input.signingTime,
    accessKeyId: v.input.accessKeyId,
    secretAccessKey: v.input.secretAccessKey,
    sessionToken: v.input.sessionToken,
    region: v.expected.signingRegion,
    host: v.expected.host,
    canonicalRequest: v.expected.canonicalRequest,
    stringToSign: v.expected.stringToSign,
    order: 'sorted' as const,
    expires: Number(v.expected.xAmzExpires),
  })),
];

const CASES = identityCases();
const ERRORS = errorCases();

function caseBody(id: string, format: 'xml' | 'json'): string {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c[format].body;
}

/** Replace the value of query parameter `name` (raw, as transmitted). */
function editParam(url: string, name: string, edit: (raw: string) => string): string {
  const re = new RegExp(`([?&]${name}=)([^&]*)`);
  const m = re.exec(url);
  if (!m) throw new Error(`no ${name} in url`);
  return url.replace(re, `$1${edit(m[2] as string)}`);
}

/** Change one character at `index` (negative: from the end) to a different one. */
function flipChar(text: string, index: number): string {
  const i = index < 0 ? text.length + index : index;
  const ch = text[i] as string;
  const replacement =
    ch === 'a' ? 'b' : /[0-8]/.test(ch) ? String(Number(ch) + 1) : ch === '9' ? '8' : 'a';
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

let emulator: StsEmulator;

beforeAll(async () => {
  emulator = await startStsEmulator();
});
afterAll(async () => {
  await emulator.close();
});

interface Answer {
  status: number;
  code: string | undefined;
  body: string;
  contentType: string | null;
}

async function send(
  url: string,
  clusterId: string,
  options: { accept?: string; fetchImpl?: typeof fetch } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'x-k8s-aws-id': clusterId };
  if (options.accept) headers.accept = options.accept;
  const response = await (options.fetchImpl ?? emulator.fetch)(url, {
    headers,
    redirect: 'manual',
  });
  const body = await response.text();
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? /"Code":"([^"]*)"/.exec(body)?.[1];
  return { status: response.status, code, body, contentType: response.headers.get('content-type') };
}

describe('reference SigV4 signer reproduces every shared vector', () => {
  it.each(VECTORS.filter((v) => v.order !== 'other'))('$id', (v) => {
    const out = presignReference({
      host: v.host,
      clusterId: v.clusterId,
      accessKeyId: v.accessKeyId,
      secretAccessKey: v.secretAccessKey,
      sessionToken: v.sessionToken ?? undefined,
      region: v.region,
      date: new Date(v.signingTime),
      expires: v.expires,
      order: v.order === 'sorted' ? 'sorted' : 'botocore',
    });
    expect(out.canonicalRequest).toBe(v.canonicalRequest);
    expect(out.stringToSign).toBe(v.stringToSign);
    expect(out.url).toBe(v.url);
  });
});

describe('emulator accepts every shared vector at its signing time', () => {
  it.each(VECTORS)('$id', async (v) => {
    emulator.setNow(new Date(v.signingTime));
    const caseId = v.sessionToken ? 'assumed-role' : 'iam-user';
    const xml = await send(v.url, v.clusterId);
    expect(xml).toMatchObject({ status: 200, contentType: 'text/xml' });
    expect(xml.body).toBe(caseBody(caseId, 'xml'));
    const json = await send(v.url, v.clusterId, { accept: 'application/json' });
    expect(json).toMatchObject({ status: 200, contentType: 'application/json' });
    expect(json.body).toBe(caseBody(caseId, 'json'));
  });
});

type Tamper = (v: TokenVector) => { url: string; clusterId: string; host?: string };

const TAMPERS: [string, Tamper, number, string][] = [
  [
    'signature (last hex digit)',
    (v) => ({
      url: editParam(v.url, 'X-Amz-Signature', (s) => flipChar(s, -1)),
      clusterId: v.clusterId,
    }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'signature (first hex digit)',
    (v) => ({
      url: editParam(v.url, 'X-Amz-Signature', (s) => flipChar(s, 0)),
      clusterId: v.clusterId,
    }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'X-Amz-Date (one second later)',
    (v) => ({
      url: editParam(v.url, 'X-Amz-Date', (s) => flipChar(s, -2)),
      clusterId: v.clusterId,
    }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'X-Amz-Expires',
    (v) => ({
      url: editParam(v.url, 'X-Amz-Expires', (s) => flipChar(s, -1)),
      clusterId: v.clusterId,
    }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'credential scope region',
    (v) => ({
      url: editParam(v.url, 'X-Amz-Credential', (s) =>
        s.replace(/(%2F[a-z-]+-)(\d)(%2Fsts)/, (_m, a, d, b) => `${a}${(Number(d) % 9) + 1}${b}`),
      ),
      clusterId: v.clusterId,
    }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'credential scope date',
    (v) => ({
      url: editParam(v.url, 'X-Amz-Credential', (s) =>
        s.replace(/%2F(\d{8})%2F/, (_m, d: string) => `%2F${flipChar(d, -1)}%2F`),
      ),
      clusterId: v.clusterId,
    }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'credential access key id',
    (v) => ({
      url: editParam(v.url, 'X-Amz-Credential', (s) => flipChar(s, 3)),
      clusterId: v.clusterId,
    }),
    403,
    'InvalidClientTokenId',
  ],
  [
    'host (last byte)',
    (v) => ({ url: v.url, clusterId: v.clusterId, host: flipChar(v.host, -1) }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'host (other region, same scope)',
    (v) => ({
      url: v.url,
      clusterId: v.clusterId,
      host:
        v.host === 'sts.amazonaws.com'
          ? 'sts.us-east-2.amazonaws.com'
          : v.host.replace(/-(\d)\./, (_m, d) => `-${(Number(d) % 9) + 1}.`),
    }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'x-k8s-aws-id header (last byte)',
    (v) => ({ url: v.url, clusterId: flipChar(v.clusterId, -1) }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'x-k8s-aws-id header (other cluster)',
    (v) => ({ url: v.url, clusterId: v.clusterId + '-b' }),
    403,
    'SignatureDoesNotMatch',
  ],
  [
    'Action',
    (v) => ({ url: editParam(v.url, 'Action', () => 'GetCallerIdentitz'), clusterId: v.clusterId }),
    403,
    'SignatureDoesNotMatch',
  ],
];

describe('emulator rejects every vector with one byte changed in a signed part', () => {
  const rows = VECTORS.filter((v) => v.order !== 'other').flatMap((v) =>
    TAMPERS.map(([name, tamper, status, code]) => ({
      label: `${v.id} / ${name}`,
      v,
      tamper,
      status,
      code,
    })),
  );
  it.each(rows.map((r) => [r.label, r] as const))(
    '%s',
    async (_label, { v, tamper, status, code }) => {
      emulator.setNow(new Date(v.signingTime));
      const changed = tamper(v);
      expect(
        changed.url !== v.url || changed.clusterId !== v.clusterId || changed.host !== undefined,
      ).toBe(true);
      // The emulator's fetch sends the URL's host as the host STS would see.
      const url = changed.host
        ? changed.url.replace(`https://${v.host}/`, `https://${changed.host}/`)
        : changed.url;
      const answer = await send(url, changed.clusterId);
      expect(answer).toMatchObject({ status, code });
    },
  );

  it.each(VECTORS.filter((v) => v.sessionToken !== null && v.order !== 'other'))(
    '$id / X-Amz-Security-Token',
    async (v) => {
      emulator.setNow(new Date(v.signingTime));
      const url = editParam(v.url, 'X-Amz-Security-Token', (s) => flipChar(s, 0));
      expect(await send(url, v.clusterId)).toMatchObject({
        status: 403,
        code: 'SignatureDoesNotMatch',
      });
    },
  );
});

describe('emulator enforces the 15-minute window', () => {
  const v = VECTORS[0] as TokenVector;
  const signed = new Date(v.signingTime).getTime();
  const rows: [string, number, number, string | undefined, RegExp | undefined][] = [
    ['at signing time', 0, 200, undefined, undefined],
    ['14:59 later', 899_000, 200, undefined, undefined],
    ['exactly 15:00 later', 900_000, 200, undefined, undefined],
    ['15:01 later', 901_000, 403, 'SignatureDoesNotMatch', /Signature expired/],
    ['one day later', 86_400_000, 403, 'SignatureDoesNotMatch', /Signature expired/],
    ['exactly 15:00 earlier', -900_000, 200, undefined, undefined],
    ['15:01 earlier', -901_000, 403, 'SignatureDoesNotMatch', /not yet current/],
  ];
  it.each(rows)('%s', async (_name, offset, status, code, message) => {
    emulator.setNow(new Date(signed + offset));
    const answer = await send(v.url, v.clusterId);
    expect(answer.status).toBe(status);
    expect(answer.code).toBe(code);
    if (message) expect(answer.body).toMatch(message);
  });
});

describe('emulator rejects every vector outside its 15-minute window', () => {
  const rows = VECTORS.flatMap((v) =>
    (
      [
        ['exactly 15:00 later', 900_000, 200],
        ['15:01 later', 901_000, 403],
        ['15:01 earlier', -901_000, 403],
      ] as const
    ).map(([when, offset, status]) => [`${v.id} / ${when}`, v, offset, status] as const),
  );
  it.each(rows)('%s', async (_name, v, offset, status) => {
    emulator.setNow(new Date(new Date(v.signingTime).getTime() + offset));
    const answer = await send(v.url, v.clusterId);
    expect(answer.status).toBe(status);
    if (status === 403) expect(answer.code).toBe('SignatureDoesNotMatch');
  });
});

describe('independence', () => {
  it('the reference signer and the emulator import nothing from src/', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const name of ['sigv4-reference.ts', 'sts-emulator.ts']) {
      const text = await readFile(new URL(`./${name}`, import.meta.url), 'utf8');
      const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => i?.includes('src/'))).toEqual([]);
      expect(imports.every((i) => i?.startsWith('node:') || i?.startsWith('./'))).toBe(true);
    }
  });
});

describe('emulator checks keys, session tokens and partitions', () => {
  const date = new Date('2024-01-15T12:34:56Z');
  const iamUser = (): { accessKeyId: string; secretAccessKey: string } =>
    emulator.credentialsFor('iam-user');
  const role = (): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } =>
    emulator.credentialsFor('assumed-role');
  const rows: [string, () => Parameters<typeof presignReference>[0], number, string | undefined][] =
    [
      [
        'default principal (long-term key)',
        () => ({
          ...iamUser(),
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          clusterId: 'c',
          date,
        }),
        200,
        undefined,
      ],
      [
        'default principal (session)',
        () => ({
          ...role(),
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          clusterId: 'c',
          date,
        }),
        200,
        undefined,
      ],
      [
        'unknown access key',
        () => ({
          accessKeyId: 'AKIAUNKNOWN000000000',
          secretAccessKey: 'x',
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          clusterId: 'c',
          date,
        }),
        403,
        'InvalidClientTokenId',
      ],
      [
        'wrong secret',
        () => ({
          ...iamUser(),
          secretAccessKey: 'wrong',
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          clusterId: 'c',
          date,
        }),
        403,
        'SignatureDoesNotMatch',
      ],
      [
        'session key without its token',
        () => ({
          ...role(),
          sessionToken: undefined,
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          clusterId: 'c',
          date,
        }),
        403,
        'InvalidClientTokenId',
      ],
      [
        'session key with another token (validly signed)',
        () => ({
          ...role(),
          sessionToken: 'forged',
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          clusterId: 'c',
          date,
        }),
        403,
        'InvalidClientTokenId',
      ],
      [
        'long-term key with a token',
        () => ({
          ...iamUser(),
          sessionToken: 'extra',
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          clusterId: 'c',
          date,
        }),
        403,
        'InvalidClientTokenId',
      ],
      [
        'aws key at an aws-cn endpoint',
        () => ({
          ...iamUser(),
          host: 'sts.cn-north-1.amazonaws.com.cn',
          region: 'cn-north-1',
          clusterId: 'c',
          date,
        }),
        403,
        'InvalidClientTokenId',
      ],
      [
        'aws key at a GovCloud endpoint',
        () => ({
          ...iamUser(),
          host: 'sts.us-gov-west-1.amazonaws.com',
          region: 'us-gov-west-1',
          clusterId: 'c',
          date,
        }),
        403,
        'InvalidClientTokenId',
      ],
      [
        'aws-cn key at its endpoint',
        () => ({
          ...emulator.credentialsFor('assumed-role-aws-cn'),
          host: 'sts.cn-north-1.amazonaws.com.cn',
          region: 'cn-north-1',
          clusterId: 'c',
          date,
        }),
        200,
        undefined,
      ],
      [
        'scope region differs from host',
        () => ({
          ...iamUser(),
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-east-1',
          clusterId: 'c',
          date,
        }),
        403,
        'SignatureDoesNotMatch',
      ],
      [
        'scope service is not sts',
        () => ({
          ...iamUser(),
          host: 'sts.us-west-2.amazonaws.com',
          region: 'us-west-2',
          service: 'iam',
          clusterId: 'c',
          date,
        }),
        403,
        'SignatureDoesNotMatch',
      ],
      [
        'global host signs with us-east-1',
        () => ({
          ...iamUser(),
          host: 'sts.amazonaws.com',
          region: 'us-east-1',
          clusterId: 'c',
          date,
        }),
        200,
        undefined,
      ],
    ];
  it.each(rows)('%s', async (_name, input, status, code) => {
    emulator.setNow(date);
    const signed = presignReference(input());
    expect(await send(signed.url, 'c')).toMatchObject({ status, code });
  });

  it('answers ExpiredToken for expired temporary credentials', async () => {
    emulator.setNow(date);
    emulator.addPrincipal({
      accessKeyId: 'ASIAEXPIRED000000001',
      secretAccessKey: 's',
      sessionToken: 't',
      caseId: 'assumed-role',
      expired: true,
    });
    const signed = presignReference({
      accessKeyId: 'ASIAEXPIRED000000001',
      secretAccessKey: 's',
      sessionToken: 't',
      host: 'sts.us-east-1.amazonaws.com',
      region: 'us-east-1',
      clusterId: 'c',
      date,
    });
    const answer = await send(signed.url, 'c');
    expect(answer).toMatchObject({ status: 403, code: 'ExpiredToken' });
    expect(answer.body).toBe(ERRORS.find((e) => e.id === 'expired-token')?.xml.body);
  });

  it('answers every shared identity case for its key, XML and JSON', async () => {
    emulator.setNow(date);
    for (const c of CASES) {
      const region =
        c.partition === 'aws-cn'
          ? 'cn-north-1'
          : c.partition === 'aws-us-gov'
            ? 'us-gov-west-1'
            : 'us-east-1';
      const suffix = c.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      const signed = presignReference({
        ...emulator.credentialsFor(c.id),
        host: `sts.${region}.${suffix}`,
        region,
        clusterId: 'c',
        date,
      });
      expect((await send(signed.url, 'c')).body).toBe(c.xml.body);
      expect((await send(signed.url, 'c', { accept: 'application/json' })).body).toBe(c.json.body);
    }
  });
});

describe('emulator faults', () => {
  const date = new Date('2024-01-15T12:34:56Z');
  const signedUrl = (): string =>
    presignReference({
      ...emulator.credentialsFor('assumed-role'),
      host: 'sts.us-east-1.amazonaws.com',
      region: 'us-east-1',
      clusterId: 'c',
      date,
    }).url;

  const EXPECT: Record<
    FaultKind,
    { status: number | 'network-error'; code?: string; check?: (a: Answer) => void }
  > = {
    delay: { status: 200 },
    reset: { status: 'network-error' },
    'reset-mid-body': { status: 'network-error' },
    'status-500': { status: 500, code: 'InternalFailure' },
    'status-502': { status: 502 },
    'status-503': { status: 503, code: 'ServiceUnavailable' },
    throttle: { status: 400, code: 'Throttling' },
    'throttle-429': { status: 429, code: 'ThrottlingException' },
    'request-limit-exceeded': { status: 400, code: 'RequestLimitExceeded' },
    'forbidden-html': { status: 403 },
    redirect: { status: 302 },
    'redirect-307': { status: 307 },
    oversized: { status: 200, check: (a) => expect(a.body.length).toBeGreaterThan(1 << 20) },
    'oversized-chunked': {
      status: 200,
      check: (a) => expect(a.body.length).toBeGreaterThan(1 << 20),
    },
    'malformed-xml': {
      status: 200,
      check: (a) => expect(a.body).not.toMatch(/<\/GetCallerIdentityResponse>/),
    },
    'malformed-json': { status: 200, check: (a) => expect(() => JSON.parse(a.body)).toThrow() },
    'wrong-content-type': { status: 200, check: (a) => expect(a.contentType).toBe('text/html') },
    'missing-fields': { status: 200, check: (a) => expect(a.body).not.toMatch(/UserId/) },
    'empty-body': { status: 200, check: (a) => expect(a.body).toBe('') },
    'account-mismatch': {
      status: 200,
      check: (a) => expect(a.body).toMatch(/"Account":"210987654321"/),
    },
    'bad-account': { status: 200, check: (a) => expect(a.body).toMatch(/"Account":"23456789012"/) },
    'partition-mismatch': { status: 200, check: (a) => expect(a.body).toMatch(/arn:aws-cn:sts/) },
    'bad-arn': { status: 200, check: (a) => expect(a.body).toMatch(/arn:aws:s3:::bucket/) },
    'userid-without-session': {
      status: 200,
      check: (a) => expect(a.body).toMatch(/"UserId":"AROAEMULATEDROLE00001"/),
    },
    'session-mismatch': { status: 200, check: (a) => expect(a.body).toMatch(/:other-session"/) },
    doctype: { status: 200, check: (a) => expect(a.body).toMatch(/<!DOCTYPE/) },
    'numeric-fields': {
      status: 200,
      check: (a) => expect(a.body).toMatch(/"Account":123456789012/),
    },
  };

  it.each(FAULT_KINDS.map((kind) => ({ kind, ...EXPECT[kind] })))(
    '$kind',
    async ({ kind, status, code, check }) => {
      emulator.setNow(date);
      const fetchImpl = emulator.fetchWith({
        fault: kind === 'delay' ? { kind, delayMs: 5 } : kind,
      });
      if (status === 'network-error') {
        await expect(
          send(signedUrl(), 'c', { fetchImpl, accept: 'application/json' }),
        ).rejects.toThrow(TypeError);
        return;
      }
      const answer = await send(signedUrl(), 'c', { fetchImpl, accept: 'application/json' });
      expect(answer.status).toBe(status);
      if (code) expect(answer.code).toBe(code);
      check?.(answer);
    },
  );

  it('body faults need an authenticated request first', async () => {
    emulator.setNow(date);
    const fetchImpl = emulator.fetchWith({ fault: 'account-mismatch' });
    const answer = await send(signedUrl(), 'other-cluster', { fetchImpl });
    expect(answer).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('queued faults apply to the next N requests, then normal answers resume', async () => {
    emulator.setNow(date);
    emulator.clearFaults();
    emulator.setFault('status-503', 2);
    emulator.setFault('throttle');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(signedUrl(), 'c')).status);
    expect(statuses).toEqual([503, 503, 400, 200]);
  });

  it('setFormat forces XML even for accept: application/json', async () => {
    emulator.setNow(date);
    emulator.setFormat('xml');
    try {
      const answer = await send(signedUrl(), 'c', { accept: 'application/json' });
      expect(answer.contentType).toBe('text/xml');
      expect(answer.body).toBe(caseBody('assumed-role', 'xml'));
    } finally {
      emulator.setFormat('auto');
    }
  });

  it('records what it saw', async () => {
    emulator.setNow(date);
    const before = emulator.requests.length;
    await send(signedUrl(), 'c');
    await send(signedUrl(), 'other-cluster');
    const accessKeyId = emulator.credentialsFor('assumed-role').accessKeyId;
    expect(emulator.requests.slice(before)).toEqual([
      {
        host: 'sts.us-east-1.amazonaws.com',
        clusterId: 'c',
        accept: expect.any(String),
        accessKeyId,
        fault: undefined,
        status: 200,
        awsCode: undefined,
      },
      {
        host: 'sts.us-east-1.amazonaws.com',
        clusterId: 'other-cluster',
        accept: expect.any(String),
        accessKeyId: undefined,
        fault: undefined,
        status: 403,
        awsCode: 'SignatureDoesNotMatch',
      },
    ]);
  });
});
