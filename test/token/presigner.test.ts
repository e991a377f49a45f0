import { createHash, createHmac } from 'node:crypto';
import { getCanonicalHeaders } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SigningError } from '../../src/errors.js';
import { resolveStsEndpoint } from '../../src/sts/endpoints.js';
import { PARTITIONS } from '../../src/partitions.js';
import type { AwsCredentials } from '../../src/token/credentials.js';
import type { NodeCryptoLike, SigningCrypto, SubtleCryptoLike } from '../../src/token/hash.js';
import {
  canonicalHeaderValue,
  presignNative,
  presignWebCrypto,
  signingKeyCacheSize,
} from '../../src/token/presigner.js';
import type { PresignRequest } from '../../src/token/sigv4.js';
import { presignGetCallerIdentity } from '../../src/token/sigv4.js';
import { smithyPresignedUrl } from '../support/smithy-presigner.js';
import { loadVector } from '../support/vectors.js';
import type { AuthenticatorVectorFile, BotocoreVectorFile } from '../support/vectors.js';

const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json');
const authenticator = loadVector<AuthenticatorVectorFile>('aws-iam-authenticator-tokens.json');

/** node:crypto, counting the hashes and HMACs made through it. */
function countingCrypto(): { crypto: NodeCryptoLike; hashes: () => number; hmacs: () => number } {
  let hashes = 0;
  let hmacs = 0;
  const crypto = {
    createHash: (algorithm: 'sha256') => {
      hashes += 1;
      return createHash(algorithm);
    },
    createHmac: (algorithm: 'sha256', key: string | Uint8Array) => {
      hmacs += 1;
      return createHmac(algorithm, key);
    },
  } as unknown as NodeCryptoLike;
  return { crypto, hashes: () => hashes, hmacs: () => hmacs };
}

const counted = countingCrypto();
const NODE: SigningCrypto = { kind: 'node', crypto: counted.crypto };
const SUBTLE = globalThis.crypto.subtle as unknown as SubtleCryptoLike;
const WEB: SigningCrypto = { kind: 'webcrypto', subtle: SUBTLE };

async function native(request: PresignRequest): Promise<string> {
  return (await presignGetCallerIdentity(request, NODE)).url;
}

async function web(request: PresignRequest): Promise<string> {
  return (await presignGetCallerIdentity(request, WEB)).url;
}

/** The oracle: @smithy/signature-v4 (a dev dependency). */
const smithy = smithyPresignedUrl;

function credentialsOf(input: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | null;
}): AwsCredentials {
  return input.sessionToken === null
    ? { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }
    : {
        accessKeyId: input.accessKeyId,
        secretAccessKey: input.secretAccessKey,
        sessionToken: input.sessionToken,
      };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const STATIC = Object.freeze({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
});
const BASE: PresignRequest = Object.freeze({
  credentials: STATIC,
  host: 'sts.us-west-2.amazonaws.com',
  signingRegion: 'us-west-2',
  clusterId: 'demo',
  signingDate: new Date('2024-01-15T12:34:56Z'),
  expiresIn: 60,
});

describe(`botocore vectors: node:crypto = WebCrypto = smithy = botocore (${botocore.vectors.length})`, () => {
  it.each(botocore.vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const request: PresignRequest = {
      credentials: credentialsOf(vector.input),
      host: vector.expected.host,
      signingRegion: vector.expected.signingRegion,
      clusterId: vector.input.clusterId,
      signingDate: new Date(vector.input.signingTime),
      expiresIn: 60,
    };
    const ours = await native(request);
    expect(ours).toBe(vector.expected.presignedUrl);
    expect(await web(request)).toBe(vector.expected.presignedUrl);
    expect(ours).toBe(await smithy(request));
  });
});

describe(`aws-iam-authenticator vectors, X-Amz-Expires 0: native = smithy (${authenticator.vectors.length})`, () => {
  it.each(authenticator.vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const request: PresignRequest = {
      credentials: credentialsOf(vector.input),
      host: vector.expected.host,
      signingRegion: vector.expected.signingRegion,
      clusterId: vector.input.clusterId,
      signingDate: new Date(vector.input.signingTime),
      expiresIn: 0,
    };
    const ours = await native(request);
    expect(ours).toBe(await smithy(request));
    // Same canonical request as the Go signer, so the same signature.
    expect(new URL(ours).searchParams.get('X-Amz-Signature')).toBe(
      new URL(vector.expected.presignedUrl).searchParams.get('X-Amz-Signature'),
    );
  });
});

// Cluster ids as a signer may be handed them: the header canonicalisation
// (spaces, tabs, CR/LF, leading and trailing blanks) and UTF-8 are where two
// signers can disagree. Tabs and CR/LF never get past generateToken's checks,
// but the two signers must agree on them all the same.
const clusterIdPart = fc.constantFrom(
  'a',
  'Z',
  '0',
  '-',
  '_',
  ' ',
  '  ',
  '\t',
  ' \t ',
  '\r',
  '\n',
  'é',
  '\u00a0',
  '\u3000',
  '\u2028',
  '😀',
  '%',
  '+',
  '/',
  ';',
);
const clusterIdArb = fc.oneof(
  fc.array(clusterIdPart, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/),
);

// At least one region of every partition (checked below), plus the global pseudo-region.
const SAMPLE_REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'aws-global',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-west-1',
  'us-gov-east-1',
  'us-iso-east-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
  'us-isof-south-1',
  'eusc-de-east-1',
];

const endpointArb = fc
  .record({
    region: fc.oneof(
      fc.constantFrom(...SAMPLE_REGIONS),
      fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[1-9]$/),
    ),
    stsRegionalEndpoints: fc.constantFrom('regional' as const, 'legacy' as const),
    useFipsEndpoint: fc.boolean(),
    useDualstackEndpoint: fc.boolean(),
  })
  .map((request) => resolveStsEndpoint(request));

const MIDNIGHTS = fc
  .integer({ min: 0, max: 2_932_896 - 1 }) // days from 1970 to 9999-12-31
  .chain((day) =>
    fc.integer({ min: -3000, max: 3000 }).map((ms) => new Date(Math.max(0, day * 86_400_000 + ms))),
  );
const dateArb = fc.oneof(
  fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
  MIDNIGHTS,
);

const requestArb = fc
  .record({
    accessKeyId: fc.stringMatching(/^[\x21-\x2e\x30-\x7e]{1,32}$/),
    secretAccessKey: fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9+/]{40}$/),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }),
    ),
    sessionToken: fc.oneof(
      fc.constant(undefined),
      fc.constant(''),
      fc.stringMatching(/^[A-Za-z0-9+/=]{1,600}$/),
    ),
    endpoint: endpointArb,
    clusterId: clusterIdArb,
    signingDate: dateArb,
    expiresIn: fc.integer({ min: 0, max: 900 }),
  })
  .map(({ accessKeyId, secretAccessKey, sessionToken, endpoint, ...rest }): PresignRequest => ({
    credentials:
      sessionToken === undefined
        ? { accessKeyId, secretAccessKey }
        : { accessKeyId, secretAccessKey, sessionToken },
    host: endpoint.host,
    signingRegion: endpoint.signingRegion,
    ...rest,
  }));

describe('generated inputs: native = smithy', () => {
  it('produces the identical URL for any credentials, endpoint, cluster id, date and expiry', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (request) => {
        expect(await native(request)).toBe(await smithy(request));
      }),
      { numRuns: 400 },
    );
  });

  it('WebCrypto gives the identical URL too', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (request) => {
        expect(await web(request)).toBe(await smithy(request));
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ['last second of a day', '2024-02-28T23:59:59Z', '20240228T235959Z'],
    ['first second of the next day', '2024-02-29T00:00:00Z', '20240229T000000Z'],
    ['year rollover', '2023-12-31T23:59:59.999Z', '20231231T235959Z'],
    ['the epoch', '1970-01-01T00:00:00Z', '19700101T000000Z'],
    ['the last second of year 9999', '9999-12-31T23:59:59Z', '99991231T235959Z'],
  ])('%s: X-Amz-Date and scope day', async (_, iso, expected) => {
    const request = { ...BASE, signingDate: new Date(iso) };
    const url = await native(request);
    expect(url).toBe(await smithy(request));
    const params = new URL(url).searchParams;
    expect(params.get('X-Amz-Date')).toBe(expected);
    expect(params.get('X-Amz-Credential')).toBe(
      `AKIDEXAMPLE/${expected.slice(0, 8)}/us-west-2/sts/aws4_request`,
    );
  });

  it.each([
    ['a lone high surrogate', 'demo\ud800'],
    ['a lone low surrogate', '\udc00demo'],
  ])('signs a cluster id with %s the same way (UTF-8 replacement)', async (_, clusterId) => {
    const request = { ...BASE, clusterId };
    expect(await native(request)).toBe(await smithy(request));
    expect(await web(request)).toBe(await smithy(request));
  });
});

describe('canonicalHeaderValue matches smithy', () => {
  it.each([
    ['plain', 'demo', 'demo'],
    ['inner double space', 'a  b', 'a b'],
    ['leading and trailing space', ' a ', 'a'],
    ['runs at both ends', '   a   ', 'a'],
    ['tabs', '\ta\t\tb\t', 'a b'],
    ['CR LF', 'a\r\nb', 'a b'],
    ['only blanks', ' \t ', ''],
    ['empty', '', ''],
    ['no-break space is not ASCII whitespace', '\u00a0a\u00a0', '\u00a0a\u00a0'],
  ])('%s', (_, value, expected) => {
    expect(canonicalHeaderValue(value)).toBe(expected);
    expect(getCanonicalHeaders({ headers: { h: value } } as never)['h']).toBe(expected);
  });

  it('for generated values', () => {
    fc.assert(
      fc.property(clusterIdArb, (value) => {
        expect(canonicalHeaderValue(value)).toBe(
          getCanonicalHeaders({ headers: { h: value } } as never)['h'],
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('signing-key cache', () => {
  // Unique secrets per test: the cache is process-wide.
  let serial = 0;
  function secret(tag: string): string {
    serial += 1;
    return `${tag}-${serial}-wJalrXUtnFEMI/K7MDENG+bPxRfiCY`;
  }

  async function counts(
    request: PresignRequest,
  ): Promise<{ url: string; hashes: number; hmacs: number }> {
    const [hashes, hmacs] = [counted.hashes(), counted.hmacs()];
    const url = await native(request);
    return { url, hashes: counted.hashes() - hashes, hmacs: counted.hmacs() - hmacs };
  }

  it('derives a key once per secret, day and region, then signs with one hash and one HMAC', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret('warm') };
    const request = { ...BASE, credentials };
    expect(await counts(request)).toMatchObject({ hashes: 1, hmacs: 5 });
    expect(await counts(request)).toMatchObject({ hashes: 1, hmacs: 1 });
    // Neither the session token, the cluster id, the expiry, the host nor the
    // time of day is part of the key.
    expect(
      await counts({
        ...request,
        credentials: { ...credentials, sessionToken: 'session' },
        clusterId: 'other',
        expiresIn: 900,
        host: 'sts.example.internal',
        signingDate: new Date('2024-01-15T23:59:59Z'),
      }),
    ).toMatchObject({ hashes: 1, hmacs: 1 });
    // A new credentials object holding the same secret hits the cache too.
    expect(await counts({ ...request, credentials: { ...credentials } })).toMatchObject({
      hmacs: 1,
    });
  });

  it.each([
    [
      'two secrets',
      (s: string): Partial<PresignRequest> => ({
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: s },
      }),
    ],
    ['two regions', (): Partial<PresignRequest> => ({ signingRegion: 'eu-west-1' })],
    [
      'two days',
      (): Partial<PresignRequest> => ({ signingDate: new Date('2024-01-16T00:00:00Z') }),
    ],
  ])('does not mix up %s', async (_, other) => {
    const first: PresignRequest = {
      ...BASE,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret('a') },
    };
    const second: PresignRequest = { ...first, ...other(secret('b')) };
    // Interleaved, so each request finds the other's key freshly cached.
    const urls = [
      await native(first),
      await native(second),
      await native(first),
      await native(second),
    ];
    const [expectedFirst, expectedSecond] = [await smithy(first), await smithy(second)];
    expect(expectedFirst).not.toBe(expectedSecond);
    expect(urls).toEqual([expectedFirst, expectedSecond, expectedFirst, expectedSecond]);
  });

  it('signs with the current secret after the credentials object is mutated', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret('before') };
    const request = { ...BASE, credentials };
    await native(request);
    credentials.secretAccessKey = secret('after');
    expect(await native(request)).toBe(await smithy(request));
  });

  it('stays bounded and evicts the oldest key', async () => {
    const first = { ...BASE, credentials: { accessKeyId: 'AKID', secretAccessKey: secret('old') } };
    await native(first);
    for (let i = 0; i < 40; i += 1) {
      await native({
        ...BASE,
        credentials: { accessKeyId: 'AKID', secretAccessKey: secret('many') },
      });
      expect(signingKeyCacheSize()).toBeLessThanOrEqual(32);
    }
    expect(signingKeyCacheSize()).toBe(32);
    // The first key was evicted: derived again, and still right.
    const again = await counts(first);
    expect(again.hmacs).toBe(5);
    expect(again.url).toBe(await smithy(first));
  });
});

describe('WebCrypto shares the signing-key cache', () => {
  it('signs with a key node:crypto derived, and the reverse, to the same URL', async () => {
    const a = { ...BASE, credentials: { accessKeyId: 'AKID', secretAccessKey: 'shared-web-1' } };
    const b = { ...BASE, credentials: { accessKeyId: 'AKID', secretAccessKey: 'shared-web-2' } };
    expect(await web(a)).toBe(await native(a));
    expect(await native(b)).toBe(await web(b));
    expect(await web(b)).toBe(await smithy(b));
  });
});

describe.each([
  ['node:crypto', NODE],
  ['WebCrypto', WEB],
])('presigner failures become SigningError (%s)', (_name, signing) => {
  const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY';
  const SESSION = 'FwoGZXIvYXdzSESSIONTOKEN+/=';
  const base: PresignRequest = {
    ...BASE,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: SESSION },
  };

  it.each([
    ['expiresIn above 900', { expiresIn: 901 }],
    ['expiresIn negative', { expiresIn: -1 }],
    ['expiresIn fractional', { expiresIn: 1.5 }],
    ['expiresIn NaN', { expiresIn: Number.NaN }],
    ['a date in year 10000', { signingDate: new Date(Date.UTC(10000, 0, 1)) }],
    ['a date before year 0', { signingDate: new Date(Date.UTC(-1, 0, 1)) }],
    ['an invalid date', { signingDate: new Date('nope') }],
    ['an upper-case region', { signingRegion: 'US-EAST-1' }],
    ['a region with a slash', { signingRegion: 'us-east-1/x' }],
    ['an empty region', { signingRegion: '' }],
    [
      'a session token with a lone surrogate',
      { credentials: { ...base.credentials, sessionToken: `${SESSION}\ud800` } },
    ],
  ] as [string, Partial<PresignRequest>][])('%s', async (_, change) => {
    const error = await rejection(presignGetCallerIdentity({ ...base, ...change }, signing));
    expect(error).toBeInstanceOf(SigningError);
    expect((error as SigningError).code).toBe('ERR_SIGNING_FAILED');
    expect((error as SigningError).message).not.toContain(SECRET);
    expect((error as SigningError).message).not.toContain(SESSION);
  });

  it('smithy also refuses a session token with a lone surrogate', async () => {
    const request = {
      ...base,
      credentials: { ...base.credentials, sessionToken: `${SESSION}\ud800` },
    };
    expect(await rejection(smithy(request))).toBeInstanceOf(Error);
  });

  it('the presigner itself throws or rejects with a RangeError (the caller wraps it)', async () => {
    expect(() => presignNative({ ...base, expiresIn: 901 }, counted.crypto)).toThrow(RangeError);
    expect(await rejection(presignWebCrypto({ ...base, expiresIn: 901 }, SUBTLE))).toBeInstanceOf(
      RangeError,
    );
  });
});

describe('the generated endpoints cover every partition', () => {
  it.each(PARTITIONS.map((p) => [p.id, p] as const))('%s', (_, partition) => {
    expect(SAMPLE_REGIONS.some((region) => partition.regionRegex.test(region))).toBe(true);
  });
});
