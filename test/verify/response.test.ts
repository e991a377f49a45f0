/**
 * STS answers → identity or typed error (src/sts/response.ts), from the
 * shared response vectors and one hostile variant per rule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EksAuthError } from '../../src/errors.js';
import type { PartitionId } from '../../src/partitions.js';
import {
  bodyFormatOf,
  interpretStsAnswer,
  parseCallerIdentityBody,
  loadXmlSupport,
  parseStsErrorCode,
  toCallerIdentity,
} from '../../src/sts/response.js';
import type { CallerIdentityFields } from '../../src/sts/response.js';
import { errorCases, identityCases } from '../support/sts-emulator.js';

// verifyToken loads the XML parser when an answer is XML; these call the
// parsers directly.
beforeAll(loadXmlSupport);

const CASES = identityCases();
const ERRORS = errorCases();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof EksAuthError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('every shared GetCallerIdentity answer', () => {
  const rows = CASES.flatMap((c) =>
    (['xml', 'json'] as const).map((format) => [`${c.id} (${format})`, c, format] as const),
  );
  it.each(rows)('%s', (_name, c, format) => {
    const fields = parseCallerIdentityBody(
      c[format].body,
      c[format].headers['Content-Type'] ?? null,
    );
    expect(fields).toEqual({
      arn: c.expected.Arn,
      account: c.expected.Account,
      userId: c.expected.UserId,
    });
    const identity = toCallerIdentity(fields, c.partition as PartitionId);
    expect(identity).toEqual({
      arn: c.expected.Arn,
      canonicalArn: c.derivedIdentity.canonicalArn,
      principalType: c.derivedIdentity.principalType,
      accountId: c.expected.Account,
      userId: c.derivedIdentity.userId,
      partition: c.partition,
      ...(c.derivedIdentity.sessionName === null
        ? {}
        : { sessionName: c.derivedIdentity.sessionName }),
    });
    // Absent, not undefined (exactOptionalPropertyTypes).
    expect(Object.hasOwn(identity, 'sessionName')).toBe(c.derivedIdentity.sessionName !== null);
  });
});

describe('bodyFormatOf', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['Application/JSON', 'json'],
    ['text/xml', 'xml'],
    ['text/xml;charset=UTF-8', 'xml'],
    ['application/xml', 'xml'],
    ['text/html', undefined],
    ['application/x-amz-json-1.1', undefined],
    ['text/plain', undefined],
    ['', undefined],
    [null, undefined],
  ] as const)('%s → %s', (contentType, format) => {
    expect(bodyFormatOf(contentType)).toBe(format);
  });
});

const ALICE = CASES.find((c) => c.id === 'iam-user')!;
const xmlBody = (inner: string): string =>
  `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>${inner}</GetCallerIdentityResult></GetCallerIdentityResponse>`;
const jsonBody = (result: unknown): string =>
  JSON.stringify({ GetCallerIdentityResponse: { GetCallerIdentityResult: result } });
const ARN = '<Arn>arn:aws:iam::123456789012:user/Alice</Arn>';
const UID = '<UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>';
const ACCT = '<Account>123456789012</Account>';

describe('malformed 200 bodies → ERR_STS_RESPONSE_INVALID', () => {
  const rows: [string, string, string | null][] = [
    ['content type text/html', ALICE.json.body, 'text/html'],
    ['no content type', ALICE.json.body, null],
    ['JSON body labelled XML', ALICE.json.body, 'text/xml'],
    ['XML body labelled JSON', ALICE.xml.body, 'application/json'],
    ['truncated XML', ALICE.xml.body.slice(0, 150), 'text/xml'],
    ['truncated JSON', ALICE.json.body.slice(0, 60), 'application/json'],
    ['empty body', '', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['JSON array', '[]', 'application/json'],
    [
      'JSON without the Result wrapper',
      JSON.stringify({ Arn: 'a', Account: 'b', UserId: 'c' }),
      'application/json',
    ],
    ['JSON Result is a string', jsonBody('x'), 'application/json'],
    ['JSON Arn missing', jsonBody({ Account: '123456789012', UserId: 'AIDA' }), 'application/json'],
    [
      'JSON UserId empty',
      jsonBody({
        Arn: 'arn:aws:iam::123456789012:user/Alice',
        Account: '123456789012',
        UserId: '',
      }),
      'application/json',
    ],
    [
      'JSON Account as number',
      jsonBody({
        Arn: 'arn:aws:iam::123456789012:user/Alice',
        Account: 123456789012,
        UserId: 'AIDA',
      }),
      'application/json',
    ],
    [
      'JSON Arn as array',
      jsonBody({
        Arn: ['arn:aws:iam::123456789012:user/Alice'],
        Account: '123456789012',
        UserId: 'AIDA',
      }),
      'application/json',
    ],
    [
      'JSON fields inherited via __proto__',
      '{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"__proto__":{"Arn":"arn:aws:iam::123456789012:user/Alice","Account":"123456789012","UserId":"AIDA"}}}}',
      'application/json',
    ],
    ['XML Account missing', xmlBody(ARN + UID), 'text/xml'],
    [
      'XML Arn repeated',
      xmlBody(ARN + '<Arn>arn:aws:iam::123456789012:user/Mallory</Arn>' + UID + ACCT),
      'text/xml',
    ],
    ['XML Arn empty', xmlBody('<Arn></Arn>' + UID + ACCT), 'text/xml'],
    ['XML Arn with child element', xmlBody('<Arn><x>y</x></Arn>' + UID + ACCT), 'text/xml'],
    [
      'XML wrong root',
      `<ErrorResponse><GetCallerIdentityResult>${ARN}${UID}${ACCT}</GetCallerIdentityResult></ErrorResponse>`,
      'text/xml',
    ],
    ['XML two roots', xmlBody(ARN + UID + ACCT) + '<x/>', 'text/xml'],
    [
      'XML with DOCTYPE',
      `<!DOCTYPE r [<!ENTITY a "arn:aws:iam::123456789012:user/Alice">]>` +
        xmlBody('<Arn>&a;</Arn>' + UID + ACCT),
      'text/xml',
    ],
    ['XML with lower-case doctype', `<!doctype r>` + xmlBody(ARN + UID + ACCT), 'text/xml'],
    ['XML with ENTITY only', `<!ENTITY a "b">` + xmlBody(ARN + UID + ACCT), 'text/xml'],
    ['not XML at all', 'hello', 'text/xml'],
  ];
  it.each(rows)('%s', (_name, body, contentType) => {
    expect(codeOf(() => parseCallerIdentityBody(body, contentType))).toBe(
      'ERR_STS_RESPONSE_INVALID',
    );
  });

  it('keeps leading zeros of account ids (parseTagValue: false)', () => {
    const fields = parseCallerIdentityBody(
      xmlBody(
        '<Arn>arn:aws:iam::012345678901:root</Arn><UserId>012345678901</UserId><Account>012345678901</Account>',
      ),
      'text/xml',
    );
    expect(fields).toEqual({
      arn: 'arn:aws:iam::012345678901:root',
      account: '012345678901',
      userId: '012345678901',
    });
  });
});

describe('inconsistent identities → ERR_STS_RESPONSE_INVALID', () => {
  const ok: CallerIdentityFields = {
    arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
    account: '123456789012',
    userId: 'AROAEXAMPLE:alice',
  };
  const rows: [string, Partial<CallerIdentityFields>, PartitionId][] = [
    ['Account with 11 digits', { account: '12345678901' }, 'aws'],
    ['Account with 13 digits', { account: '1234567890123' }, 'aws'],
    ['Account with letters', { account: '12345678901a' }, 'aws'],
    ['Account padded', { account: ' 123456789012' }, 'aws'],
    ['Account differs from ARN', { account: '210987654321' }, 'aws'],
    [
      'ARN of another partition',
      { arn: 'arn:aws-us-gov:sts::123456789012:assumed-role/Admin/alice' },
      'aws',
    ],
    ['aws ARN for an aws-cn verifier', {}, 'aws-cn'],
    ['aws ARN for a GovCloud verifier', {}, 'aws-us-gov'],
    [
      'ARN of an unknown partition',
      { arn: 'arn:aws-mars:sts::123456789012:assumed-role/Admin/alice' },
      'aws',
    ],
    ['ARN of another service', { arn: 'arn:aws:s3:::bucket' }, 'aws'],
    [
      'ARN of an IAM role (never a caller)',
      { arn: 'arn:aws:iam::123456789012:role/Admin', userId: 'AROAEXAMPLE' },
      'aws',
    ],
    ['ARN with a space', { arn: 'arn:aws:sts::123456789012:assumed-role/Admin/al ice' }, 'aws'],
    ['not an ARN', { arn: 'Admin' }, 'aws'],
    ['assumed role, UserId without session', { userId: 'AROAEXAMPLE' }, 'aws'],
    ['assumed role, UserId with another session', { userId: 'AROAEXAMPLE:bob' }, 'aws'],
    ['assumed role, UserId with empty id', { userId: ':alice' }, 'aws'],
    ['assumed role, UserId with session prefix only', { userId: 'AROAEXAMPLE:alic' }, 'aws'],
    ['assumed role, UserId with extra suffix', { userId: 'AROAEXAMPLE:alice:x' }, 'aws'],
    ['UserId with a space', { userId: 'AROA EXAMPLE:alice' }, 'aws'],
    ['UserId with a control character', { userId: 'AROAEXAMPLE:alice\n' }, 'aws'],
  ];
  it.each(rows)('%s', (_name, change, partition) => {
    expect(codeOf(() => toCallerIdentity({ ...ok, ...change }, partition))).toBe(
      'ERR_STS_RESPONSE_INVALID',
    );
  });

  it('keeps the ArnError as cause', () => {
    try {
      toCallerIdentity({ ...ok, arn: 'arn:aws:s3:::bucket' }, 'aws');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).cause).toMatchObject({ code: 'ERR_ARN_INVALID' });
    }
  });

  it('accepts the consistent one', () => {
    expect(toCallerIdentity(ok, 'aws')).toMatchObject({
      userId: 'AROAEXAMPLE',
      sessionName: 'alice',
    });
  });
});

describe('STS error bodies', () => {
  const rows = ERRORS.flatMap((e) =>
    (['xml', 'json'] as const).map((format) => [`${e.id} (${format})`, e, format] as const),
  );
  it.each(rows)('%s → awsCode', (_name, e, format) => {
    expect(parseStsErrorCode(e[format].body, e[format].headers['Content-Type'] ?? null)).toBe(
      e.expected.Code,
    );
  });

  it.each([
    [
      'S3-style <Error> root',
      '<Error><Code>AccessDenied</Code></Error>',
      'text/xml',
      'AccessDenied',
    ],
    [
      'JSON __type with namespace',
      '{"__type":"com.amazonaws.sts#ThrottlingException"}',
      'application/json',
      'ThrottlingException',
    ],
    ['HTML body', '<html>nope</html>', 'text/html', undefined],
    ['code with spaces', '{"Error":{"Code":"Access Denied"}}', 'application/json', undefined],
    ['code too long', `{"Error":{"Code":"${'A'.repeat(80)}"}}`, 'application/json', undefined],
    ['code not a string', '{"Error":{"Code":42}}', 'application/json', undefined],
    ['malformed XML', '<ErrorResponse><Error><Code>X', 'text/xml', undefined],
    [
      'DOCTYPE',
      '<!DOCTYPE x><ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>',
      'text/xml',
      undefined,
    ],
    ['empty', '', 'text/xml', undefined],
  ] as const)('%s', (_name, body, contentType, expected) => {
    expect(parseStsErrorCode(body, contentType)).toBe(expected);
  });
});

describe('interpretStsAnswer: status and code → error class', () => {
  const error = (
    code: string,
    status = 400,
  ): { body: string; contentType: string; status: number } => ({
    status,
    body: `{"Error":{"Code":"${code}","Message":"m"}}`,
    contentType: 'application/json',
  });
  const rows: [
    string,
    { status: number; body: string; contentType: string | null },
    boolean,
    string,
    string | undefined,
  ][] = [
    ['400 Throttling', error('Throttling'), false, 'ERR_STS_THROTTLED', 'Throttling'],
    [
      '400 ThrottlingException',
      error('ThrottlingException'),
      false,
      'ERR_STS_THROTTLED',
      'ThrottlingException',
    ],
    [
      '400 RequestLimitExceeded',
      error('RequestLimitExceeded'),
      false,
      'ERR_STS_THROTTLED',
      'RequestLimitExceeded',
    ],
    ['503 Throttling', error('Throttling', 503), false, 'ERR_STS_THROTTLED', 'Throttling'],
    [
      '429 without body',
      { status: 429, body: '', contentType: null },
      false,
      'ERR_STS_THROTTLED',
      undefined,
    ],
    [
      '403 SignatureDoesNotMatch',
      error('SignatureDoesNotMatch', 403),
      false,
      'ERR_STS_REJECTED',
      'SignatureDoesNotMatch',
    ],
    ['403 ExpiredToken', error('ExpiredToken', 403), false, 'ERR_STS_REJECTED', 'ExpiredToken'],
    [
      '403 InvalidClientTokenId',
      error('InvalidClientTokenId', 403),
      false,
      'ERR_STS_REJECTED',
      'InvalidClientTokenId',
    ],
    [
      '403 HTML',
      { status: 403, body: '<html/>', contentType: 'text/html' },
      false,
      'ERR_STS_REJECTED',
      undefined,
    ],
    [
      '403 oversized',
      { status: 403, body: '', contentType: 'text/xml' },
      true,
      'ERR_STS_REJECTED',
      undefined,
    ],
    ['404', { status: 404, body: '', contentType: null }, false, 'ERR_STS_REJECTED', undefined],
    ['500 InternalFailure', error('InternalFailure', 500), false, 'ERR_STS_UNAVAILABLE', undefined],
    [
      '502 HTML',
      { status: 502, body: '<html/>', contentType: 'text/html' },
      false,
      'ERR_STS_UNAVAILABLE',
      undefined,
    ],
    [
      '503 ServiceUnavailable',
      error('ServiceUnavailable', 503),
      false,
      'ERR_STS_UNAVAILABLE',
      undefined,
    ],
    ['302', { status: 302, body: '', contentType: null }, false, 'ERR_STS_UNAVAILABLE', undefined],
    [
      '204',
      { status: 204, body: '', contentType: null },
      false,
      'ERR_STS_RESPONSE_INVALID',
      undefined,
    ],
    [
      '200 oversized',
      { status: 200, body: '', contentType: 'application/json' },
      true,
      'ERR_STS_RESPONSE_INVALID',
      undefined,
    ],
  ];
  it.each(rows)('%s', (_name, answer, truncated, code, awsCode) => {
    try {
      interpretStsAnswer({ ...answer, truncated }, 'aws');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EksAuthError);
      expect((e as EksAuthError).code).toBe(code);
      if (code !== 'ERR_STS_UNAVAILABLE' && code !== 'ERR_STS_RESPONSE_INVALID') {
        expect((e as { awsCode?: string }).awsCode).toBe(awsCode);
      }
      expect((e as { status?: number }).status ?? answer.status).toBe(answer.status);
    }
  });

  it('never puts the AWS message in the error (it may echo the request)', () => {
    const body =
      '{"Error":{"Code":"SignatureDoesNotMatch","Message":"canonical request X-Amz-Security-Token=SECRET"}}';
    try {
      interpretStsAnswer(
        { status: 403, body, contentType: 'application/json', truncated: false },
        'aws',
      );
    } catch (e) {
      expect(JSON.stringify({ ...(e as object), message: (e as Error).message })).not.toContain(
        'SECRET',
      );
    }
  });
});
