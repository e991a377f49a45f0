/**
 * Property tests for parseToken: it only ever throws TokenFormatError, and a
 * token it accepts means exactly what an independent reader (WHATWG URL and
 * decodeURIComponent, as STS would read it) says it means.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenFormatError } from '../../src/errors.js';
import { QUERY_PARAMETER_ORDER } from '../../src/token/constants.js';
import { parseToken } from '../../src/token/parse.js';
import { describeStsHost } from '../../src/sts/endpoints.js';
import { isStsHostAllowed } from '../../src/sts/host-policy.js';
import { PARTITIONS } from '../../src/partitions.js';
import type { ParsedToken, ParseTokenOptions } from '../../src/token/parse.js';
import { loadVector, tokenFromUrl } from '../support/vectors.js';
import type { AuthenticatorVectorFile, BotocoreVectorFile } from '../support/vectors.js';

const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json');
const authenticator = loadVector<AuthenticatorVectorFile>('aws-iam-authenticator-tokens.json');

/** Every valid URL the vectors hold, in every parameter order they come in. */
const VALID_URLS: readonly string[] = [
  ...botocore.vectors.flatMap((v) => [
    v.expected.presignedUrl,
    ...(v.alternateEncodings ?? []).map((a) => a.presignedUrl),
  ]),
  ...authenticator.vectors.map((v) => v.expected.presignedUrl),
];

const RUNS = { arbitrary: 3000, replace: 4000, insert: 3000, delete: 3000, twice: 2000 } as const;

/** Run `parseToken`; return the result, or `undefined` after a TokenFormatError. Anything else fails. */
function tryParse(token: unknown, options?: ParseTokenOptions): ParsedToken | undefined {
  try {
    return parseToken(token as string, options);
  } catch (error) {
    if (!(error instanceof TokenFormatError)) throw error;
    expect(error.code).toMatch(/^ERR_TOKEN_(MALFORMED|TOO_LARGE)$/);
    return undefined;
  }
}

/** The fields a signature covers, as parseToken reports them. */
function signedFields(parsed: ParsedToken): Record<string, unknown> {
  return {
    host: parsed.host,
    region: parsed.region,
    accessKeyId: parsed.accessKeyId,
    signedAt: parsed.signedAt.getTime(),
    expiresIn: parsed.expiresIn,
    credentialScope: parsed.credentialScope,
    signature: parsed.signature,
    sessionToken: parsed.sessionToken,
    signedHeaders: parsed.signedHeaders.join(';'),
  };
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/**
 * Read `url` the way a standard URL stack would (this is not the code under
 * test) and check that it agrees with `parsed` on every field, with each
 * allowed name present once ignoring case and no other name at all.
 */
function expectIndependentReadingAgrees(url: string, parsed: ParsedToken): void {
  const u = new URL(url);
  expect(u.protocol).toBe('https:');
  expect(u.username + u.password + u.port + u.hash).toBe('');
  expect(u.pathname).toBe('/');
  expect(u.hostname).toBe(parsed.host);
  const values = new Map<string, string[]>();
  for (const pair of url.slice(url.indexOf('?') + 1).split('&')) {
    const eq = pair.indexOf('=');
    expect(eq).toBeGreaterThan(0);
    const name = pair.slice(0, eq).toLowerCase();
    values.set(name, [...(values.get(name) ?? []), decodeURIComponent(pair.slice(eq + 1))]);
  }
  const allowed = new Set(QUERY_PARAMETER_ORDER.map((n) => n.toLowerCase()));
  for (const [name, list] of values) {
    expect(allowed.has(name)).toBe(true);
    expect(list).toHaveLength(1);
  }
  const get = (name: string): string | undefined => values.get(name.toLowerCase())?.[0];
  expect(get('Action')).toBe('GetCallerIdentity');
  expect(get('Version')).toBe('2011-06-15');
  expect(get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
  expect(get('X-Amz-Credential')).toBe(`${parsed.accessKeyId}/${parsed.credentialScope}`);
  expect(parsed.credentialScope.split('/')[1]).toBe(parsed.region);
  expect(get('X-Amz-Date')).toBe(amzDate(parsed.signedAt));
  expect(get('X-Amz-Expires')).toBe(String(parsed.expiresIn));
  expect(get('X-Amz-SignedHeaders')).toBe(parsed.signedHeaders.join(';'));
  expect(get('X-Amz-Signature')).toBe(parsed.signature);
  expect(get('X-Amz-Security-Token')).toBe(parsed.sessionToken);
  expect(parsed.hasSessionToken).toBe(parsed.sessionToken !== undefined);
}

/** Everything an accepted token must satisfy. */
function expectConsistent(url: string, parsed: ParsedToken): void {
  expectIndependentReadingAgrees(url, parsed);
  expectIndependentReadingAgrees(parsed.url, parsed);
  // The rebuilt URL is a fixed point.
  expect(parseToken(tokenFromUrl(parsed.url))).toEqual(parsed);
}

/** [start, end) of every parameter value in `url`. */
function valueSpans(url: string): [number, number][] {
  const spans: [number, number][] = [];
  let at = url.indexOf('?') + 1;
  while (at <= url.length) {
    let end = url.indexOf('&', at);
    if (end === -1) end = url.length;
    spans.push([url.indexOf('=', at) + 1, end]);
    at = end + 1;
  }
  return spans;
}

const CHARS = fc.oneof(
  fc.constantFrom('%', '&', '=', ';', '+', '#', '/', '\\', '?', ':', '@', '.', '-', '_', '~', ' '),
  fc.constantFrom('0', '9', 'a', 'f', 'A', 'F', 'Z', 'z', 'x', 'X'),
  fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)),
  fc.integer({ min: 0, max: 0xff }).map((n) => String.fromCharCode(n)),
);

type Op = 'replace' | 'insert' | 'delete';

interface Mutation {
  url: number;
  position: number;
  char: string;
}

const MUTATION = fc.record({
  url: fc.nat({ max: VALID_URLS.length - 1 }),
  position: fc.nat({ max: 4096 }),
  char: CHARS,
});

function apply(url: string, op: Op, position: number, char: string): string {
  switch (op) {
    case 'replace':
      return url.slice(0, position) + char + url.slice(position + 1);
    case 'insert':
      return url.slice(0, position) + char + url.slice(position);
    case 'delete':
      return url.slice(0, position) + url.slice(position + 1);
  }
}

/** Whether a one-character edit at `position` touches a parameter value of `url`. */
function inValue(url: string, op: Op, position: number): boolean {
  return valueSpans(url).some(([start, end]) =>
    op === 'insert' ? position >= start && position <= end : position >= start && position < end,
  );
}

describe('parseToken on arbitrary input only throws TokenFormatError', () => {
  const options = { numRuns: RUNS.arbitrary };

  it(`arbitrary values (${RUNS.arbitrary} runs)`, () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(tryParse(value)).toBeUndefined();
      }),
      options,
    );
  });

  it(`arbitrary strings, full Unicode (${RUNS.arbitrary} runs)`, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(tryParse(text)).toBeUndefined();
        expect(tryParse(`k8s-aws-v1.${text}`)).toBeUndefined();
      }),
      options,
    );
  });

  it(`prefixed base64url of arbitrary bytes and strings (${RUNS.arbitrary} runs)`, () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (bytes, text) => {
          expect(
            tryParse(`k8s-aws-v1.${Buffer.from(bytes).toString('base64url')}`),
          ).toBeUndefined();
          expect(tryParse(`k8s-aws-v1.${Buffer.from(text).toString('base64url')}`)).toBeUndefined();
          expect(tryParse(tokenFromUrl(`https://${text}`))).toBeUndefined();
        },
      ),
      options,
    );
  });

  it(`tiny maxTokenLength values (${RUNS.arbitrary} runs)`, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.integer({ min: 1, max: 64 }), (text, max) => {
        const error = (() => {
          try {
            parseToken(text, { maxTokenLength: max });
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(error).toBeInstanceOf(TokenFormatError);
        if (text.length > max) expect(error).toMatchObject({ reason: 'too-large' });
      }),
      options,
    );
  });

  // A valid token's own pairs, shuffled, some dropped, re-cased, with extra
  // pairs from other tokens: this reaches the later checks, and whatever is
  // accepted must read the same to everyone.
  it(`recombined query pairs of valid tokens (${RUNS.arbitrary} runs)`, () => {
    const pool = [
      ...new Set(VALID_URLS.flatMap((u) => u.slice(u.indexOf('?') + 1).split('&'))),
      'action=GetCallerIdentity',
      'X-Amz-Foo=1',
      'X-Amz-Security-Token=',
      '',
    ];
    const recombined = fc.nat({ max: VALID_URLS.length - 1 }).chain((index) => {
      const url = VALID_URLS[index] as string;
      const pairs = url.slice(url.indexOf('?') + 1).split('&');
      return fc.record({
        head: fc.constant(url.slice(0, url.indexOf('?') + 1)),
        pairs: fc.shuffledSubarray(pairs, { minLength: pairs.length - 1 }),
        recase: fc.array(fc.boolean(), { minLength: pairs.length, maxLength: pairs.length }),
        extra: fc.oneof(fc.constant([]), fc.array(fc.constantFrom(...pool), { maxLength: 2 })),
        strict: fc.boolean(),
      });
    });
    const counts = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(recombined, ({ head, pairs, recase, extra, strict }) => {
        const cased = pairs.map((p, i) => {
          if (!recase[i]) return p;
          const eq = p.indexOf('=');
          return p.slice(0, eq).toLowerCase() + p.slice(eq);
        });
        const url = head + [...cased, ...extra].join('&');
        const parsed = tryParse(tokenFromUrl(url), { strictParameterCase: strict });
        if (!parsed) {
          counts.rejected++;
          return;
        }
        counts.accepted++;
        expectConsistent(url, parsed);
      }),
      options,
    );
    // Not vacuous: both outcomes happen.
    expect(counts.accepted).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });
});

describe('one-character mutations of valid tokens never change meaning unnoticed', () => {
  describe.each<[Op, number]>([
    ['replace', RUNS.replace],
    ['insert', RUNS.insert],
    ['delete', RUNS.delete],
  ])('%s (%i runs)', (op, numRuns) => {
    it.each([
      ['strict parameter case', true],
      ['any parameter case', false],
    ])('%s', (_name, strict) => {
      const counts = { accepted: 0, rejected: 0, changed: 0 };
      fc.assert(
        fc.property(MUTATION, (m: Mutation) => {
          const original = VALID_URLS[m.url] as string;
          const position = m.position % (original.length + (op === 'insert' ? 1 : 0));
          const mutated = apply(original, op, position, m.char);
          fc.pre(mutated !== original);
          const parsed = tryParse(tokenFromUrl(mutated), { strictParameterCase: strict });
          if (!parsed) {
            counts.rejected++;
            return;
          }
          counts.accepted++;
          expectConsistent(mutated, parsed);
          const before = signedFields(parseToken(tokenFromUrl(original)));
          const after = signedFields(parsed);
          const differing = Object.keys(before).filter((k) => before[k] !== after[k]);
          if (differing.includes('host')) {
            // parseToken does not judge hosts (SPEC 3.3), so an edited host
            // may parse; the verifier's host policy must then refuse it for
            // every partition, unless it is still an STS host whose region
            // is the scope's (and then STS checks the signature).
            expect(differing).toEqual(['host']);
            const trusted = PARTITIONS.filter((p) =>
              isStsHostAllowed(parsed.host, { partition: p.id }),
            );
            if (trusted.length > 0) {
              expect(describeStsHost(parsed.host)?.region).toBe(parsed.region);
            }
          } else if (!inValue(original, op, position)) {
            // Scheme, path, names and separators: never a silent change.
            expect(differing).toEqual([]);
          } else {
            // Inside a value: at most the field that value carries.
            expect(differing.length).toBeLessThanOrEqual(1);
          }
          if (differing.length > 0) counts.changed++;
        }),
        { numRuns },
      );
      expect(counts.rejected).toBeGreaterThan(0);
      expect(counts.accepted).toBeGreaterThan(0);
    });
  });

  it(`two mutations in a row (${RUNS.twice} runs)`, () => {
    const ops = fc.constantFrom<Op>('replace', 'insert', 'delete');
    fc.assert(
      fc.property(MUTATION, ops, fc.nat({ max: 4096 }), CHARS, ops, (m, op1, p2, c2, op2) => {
        const original = VALID_URLS[m.url] as string;
        const once = apply(original, op1, m.position % original.length, m.char);
        const twice = apply(once, op2, p2 % Math.max(once.length, 1), c2);
        const parsed = tryParse(tokenFromUrl(twice));
        if (parsed) expectConsistent(twice, parsed);
      }),
      { numRuns: RUNS.twice },
    );
  });
});
