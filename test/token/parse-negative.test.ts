/**
 * One named case per structural rule of SPEC 3.3 (and per known attack or
 * quirk), each built by mutating a valid vector's URL and re-encoding it.
 */
import { describe, expect, it } from 'vitest';
import type { TokenFormatReason } from '../../src/errors.js';
import { TokenFormatError } from '../../src/errors.js';
import { parseToken } from '../../src/token/parse.js';
import type { ParseTokenOptions } from '../../src/token/parse.js';
import { loadVector, tokenFromUrl } from '../support/vectors.js';
import type { BotocoreVector, BotocoreVectorFile } from '../support/vectors.js';

const { vectors } = loadVector<BotocoreVectorFile>('botocore-tokens.json');

function vector(id: string): BotocoreVector {
  const found = vectors.find((v) => v.id === id);
  if (!found) throw new Error(`test setup: vector ${id} missing`);
  return found;
}

const SESSION = vector('us-east-1-regional-session-demo');
const GLOBAL = vector('us-east-1-legacy-static-demo');
const WEST = vector('us-west-2-regional-static-demo');
/** Session vector: every parameter present. */
const S = SESSION.expected.presignedUrl;
const G = GLOBAL.expected.presignedUrl;
const W = WEST.expected.presignedUrl;
const S_TOKEN = SESSION.expected.token;
const S_BODY = S_TOKEN.slice('k8s-aws-v1.'.length);

/** Replace the first `from` in `url` by `to`, failing if `from` is absent. */
function edit(url: string, from: string, to: string): string {
  const at = url.indexOf(from);
  if (at === -1) throw new Error(`test setup: "${from}" not found in URL`);
  return url.slice(0, at) + to + url.slice(at + from.length);
}

/** The raw `name=value` pair of `name` in `url`. */
function pair(url: string, name: string): string {
  const match = new RegExp(`[?&](${name}=[^&]*)`).exec(url);
  if (!match?.[1]) throw new Error(`test setup: ${name} not in URL`);
  return match[1];
}

/** `url` with the value of `name` replaced by the raw text `value`. */
function setValue(url: string, name: string, value: string): string {
  return edit(url, pair(url, name), `${name}=${value}`);
}

/** `url` without the pair of `name`. */
function drop(url: string, name: string): string {
  const p = pair(url, name);
  return url.includes(`?${p}&`) ? edit(url, `${p}&`, '') : edit(url, `&${p}`, '');
}

/** A token for `url`. */
const t = tokenFromUrl;

interface Case {
  name: string;
  token: unknown;
  reason: TokenFormatReason;
  options?: ParseTokenOptions;
}

function c(
  name: string,
  token: unknown,
  reason: TokenFormatReason,
  options?: ParseTokenOptions,
): Case {
  return options === undefined ? { name, token, reason } : { name, token, reason, options };
}

/** A base64url body whose last character carries non-zero unused bits. */
function nonCanonicalBody(body: string): string {
  expect(body.length % 4).toBe(2);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(body[body.length - 1] as string);
  expect(last & 0b1111).toBe(0);
  return body.slice(0, -1) + alphabet[last + 1];
}

const CASES: Case[] = [
  // 1. Type and size.
  c('undefined', undefined, 'not-a-string'),
  c('null', null, 'not-a-string'),
  c('a number', 42, 'not-a-string'),
  c('a String object', new String(S_TOKEN), 'not-a-string'),
  c('a Uint8Array of the token', new TextEncoder().encode(S_TOKEN), 'not-a-string'),
  c('over the default 16384 characters', `k8s-aws-v1.${'A'.repeat(16_374)}`, 'too-large'),
  c('over the default limit, checked before the prefix', 'x'.repeat(16_385), 'too-large'),
  c('over a custom maxTokenLength by one', S_TOKEN, 'too-large', {
    maxTokenLength: S_TOKEN.length - 1,
  }),
  c('over the Go authenticator limit 4096', `k8s-aws-v1.${'A'.repeat(4096)}`, 'too-large', {
    maxTokenLength: 4096,
  }),

  // 2. Prefix.
  c('empty string', '', 'prefix'),
  c('no prefix', S_BODY, 'prefix'),
  c('upper-case prefix', `K8S-AWS-V1.${S_BODY}`, 'prefix'),
  c('mixed-case prefix', `k8s-AWS-v1.${S_BODY}`, 'prefix'),
  c('version 2 prefix', `k8s-aws-v2.${S_BODY}`, 'prefix'),
  c('prefix without the dot', `k8s-aws-v1${S_BODY}`, 'prefix'),
  c('leading space', ` ${S_TOKEN}`, 'prefix'),
  c('"Bearer " kept in front', `Bearer ${S_TOKEN}`, 'prefix'),

  // 3. Strict base64url.
  c('"=" padding', `${S_TOKEN}==`, 'base64url'),
  c('one "=" padding', `${S_TOKEN}=`, 'base64url'),
  c(
    'non-zero trailing bits (non-canonical)',
    `k8s-aws-v1.${nonCanonicalBody(S_BODY)}`,
    'base64url',
  ),
  c('length 1 mod 4', `${S_TOKEN}AAA`, 'base64url'),
  c('standard alphabet "+"', `k8s-aws-v1.${S_BODY.slice(0, 20)}+${S_BODY.slice(21)}`, 'base64url'),
  c('standard alphabet "/"', `k8s-aws-v1.${S_BODY.slice(0, 20)}/${S_BODY.slice(21)}`, 'base64url'),
  c(
    'standard base64 of the URL',
    `k8s-aws-v1.${Buffer.from(S, 'latin1').toString('base64')}`,
    'base64url',
  ),
  c('trailing newline', `${S_TOKEN}\n`, 'base64url'),
  c('trailing CRLF', `${S_TOKEN}\r\n`, 'base64url'),
  c('inner space', `k8s-aws-v1.${S_BODY.slice(0, 40)} ${S_BODY.slice(40)}`, 'base64url'),
  c('tab after the prefix', `k8s-aws-v1.\t${S_BODY}`, 'base64url'),
  c('non-ASCII character', `${S_TOKEN.slice(0, -2)}é`, 'base64url'),
  c('percent-encoded body', `k8s-aws-v1.${encodeURIComponent(S)}`, 'base64url'),

  // 3b. Decoded bytes: printable ASCII only.
  c('empty body', 'k8s-aws-v1.', 'url'),
  c('raw space in the URL', t(edit(S, 'Action=', 'Action= ')), 'url'),
  c('newline in the URL', t(`${S}\n`), 'url'),
  c('NUL byte in the URL', t(edit(S, '&Version', '\u0000&Version')), 'url'),
  c('byte 0x80 in the URL', t(edit(S, '&Version', '\u0080&Version')), 'url'),
  c('byte 0xff in the host', t(edit(S, 'sts.', 'st\u00ffs.')), 'url'),

  // 4. URL shape, on the raw text.
  c('http scheme', t(edit(S, 'https://', 'http://')), 'url'),
  c('upper-case scheme', t(edit(S, 'https://', 'HTTPS://')), 'url'),
  c('one slash after the scheme', t(edit(S, 'https://', 'https:/')), 'url'),
  c('three slashes after the scheme', t(edit(S, 'https://', 'https:///')), 'url'),
  c('scheme-relative URL', t(edit(S, 'https://', '//')), 'url'),
  c('userinfo', t(edit(S, 'https://', 'https://user@')), 'url'),
  c('userinfo with password', t(edit(S, 'https://', 'https://user:pass@')), 'url'),
  c('userinfo naming another host', t(edit(S, 'https://', 'https://sts.amazonaws.com@')), 'url'),
  c('port :443 (new URL() would drop it)', t(edit(S, '.com/', '.com:443/')), 'url'),
  c('port :8443', t(edit(S, '.com/', '.com:8443/')), 'url'),
  c('empty port', t(edit(S, '.com/', '.com:/')), 'url'),
  c('fragment at the end', t(`${S}#frag`), 'url'),
  c('empty fragment', t(`${S}#`), 'url'),
  c(
    'upper-case host',
    t(edit(S, 'sts.us-east-1.amazonaws.com', 'STS.US-EAST-1.AMAZONAWS.COM')),
    'url',
  ),
  c('one upper-case letter in the host', t(edit(S, 'amazonaws', 'Amazonaws')), 'url'),
  c('trailing dot in the host', t(edit(S, '.com/', '.com./')), 'url'),
  c('empty host label', t(edit(S, 'sts.us-east-1', 'sts..us-east-1')), 'url'),
  c('host label starting with "-"', t(edit(S, 'sts.us-east-1', 'sts.-us-east-1')), 'url'),
  c('host label of 64 characters', t(edit(S, 'sts.', `sts.${'a'.repeat(64)}.`)), 'url'),
  c('percent-encoded host', t(edit(S, 'sts.us', 'sts%2Eus')), 'url'),
  c('IPv6 literal host', t(edit(S, 'sts.us-east-1.amazonaws.com', '[::1]')), 'url'),
  c('path /x', t(edit(S, '.com/?', '.com/x?')), 'url'),
  c('path //', t(edit(S, '.com/?', '.com//?')), 'url'),
  c('path /./', t(edit(S, '.com/?', '.com/./?')), 'url'),
  c('path /%2E/', t(edit(S, '.com/?', '.com/%2E/?')), 'url'),
  c('missing "/" before the query', t(edit(S, '.com/?', '.com?')), 'url'),
  c('backslash instead of "/"', t(edit(S, '.com/?', '.com\\?')), 'url'),
  c('backslash host trick', t(edit(S, 'https://', 'https://evil.example\\@')), 'url'),
  c('no query', t(S.slice(0, S.indexOf('?'))), 'url'),

  // 5. Query syntax, names, duplicates.
  c('";" as a separator', t(edit(S, '&Version=', ';Version=')), 'query'),
  c('";" inside a value', t(edit(S, 'GetCallerIdentity', 'GetCallerIdentity;')), 'query'),
  c('raw "+" in the session token', t(edit(S, '%2BSession', '+Session')), 'query'),
  c('raw "+" as a name suffix', t(edit(S, '&Version=', '&Version+=')), 'query'),
  c('raw "=" in a value', t(edit(S, '%3D%3D', '==')), 'query'),
  c(
    'raw "/" in the credential',
    t(edit(S, 'ASIAIOSFODNN7EXAMPLE%2F', 'ASIAIOSFODNN7EXAMPLE/')),
    'query',
  ),
  c('raw ":" in a value', t(edit(S, 'Version=2011', 'Version=:2011')), 'query'),
  c('second "?" in the query', t(edit(S, 'Action=', 'Action=?')), 'query'),
  c('bad escape %2G', t(edit(S, '%2F20240115', '%2G20240115')), 'query'),
  c('escape with one hex digit at the end', t(`${S}%2`), 'query'),
  c('lone "%" at the end', t(`${S}%`), 'query'),
  c('escape of NUL', t(edit(S, 'Version=2011', 'Version=%002011')), 'query'),
  c('escape of a space', t(edit(S, 'Version=2011', 'Version=%202011')), 'query'),
  c('escape of a non-ASCII byte', t(edit(S, 'Version=2011', 'Version=%FF2011')), 'query'),
  c('escape of a UTF-8 sequence', t(edit(S, 'Version=2011', 'Version=%C3%A92011')), 'query'),
  c('empty pair "&&"', t(edit(S, '&Version=', '&&Version=')), 'query'),
  c('trailing "&"', t(`${S}&`), 'query'),
  c('leading "&"', t(edit(S, '?Action=', '?&Action=')), 'query'),
  c('pair without "="', t(`${S}&flag`), 'query'),
  c('empty name', t(`${S}&=x`), 'query'),
  c('empty query', t(S.slice(0, S.indexOf('?') + 1)), 'query'),
  c('unknown parameter', t(`${S}&X-Amz-Foo=1`), 'unknown-parameter'),
  c(
    'X-Amz-User-Agent (not signed by EKS clients)',
    t(`${S}&X-Amz-User-Agent=aws-cli`),
    'unknown-parameter',
  ),
  c('percent-encoded parameter name', t(edit(S, '&Version=', '&Versio%6E=')), 'unknown-parameter'),
  c('name with a space escape', t(edit(S, '&Version=', '&Version%20=')), 'unknown-parameter'),
  c('lower-case name, strict', t(edit(S, '?Action=', '?action=')), 'unknown-parameter'),
  c('exact duplicate Action', t(`${S}&Action=GetCallerIdentity`), 'duplicate-parameter'),
  c(
    'exact duplicate X-Amz-Signature',
    t(`${S}&${pair(S, 'X-Amz-Signature')}`),
    'duplicate-parameter',
  ),
  c(
    'exact duplicate X-Amz-Date, other value',
    t(`${S}&X-Amz-Date=20240115T123500Z`),
    'duplicate-parameter',
  ),
  c('duplicate X-Amz-Security-Token', t(`${S}&X-Amz-Security-Token=x`), 'duplicate-parameter'),
  // CVE-2022-2385: the verifier read the first spelling, STS another.
  c('CVE-2022-2385 Action/action, strict', t(`${S}&action=GetCallerIdentity`), 'unknown-parameter'),
  c(
    'CVE-2022-2385 Action/action, non-strict',
    t(`${S}&action=GetCallerIdentity`),
    'duplicate-parameter',
    { strictParameterCase: false },
  ),
  c(
    'CVE-2022-2385 X-Amz-SignedHeaders/x-amz-signedheaders, strict',
    t(`${S}&x-amz-signedheaders=host`),
    'unknown-parameter',
  ),
  c(
    'CVE-2022-2385 X-Amz-SignedHeaders/x-amz-signedheaders, non-strict',
    t(`${S}&x-amz-signedheaders=host`),
    'duplicate-parameter',
    { strictParameterCase: false },
  ),
  c(
    'CVE-2022-2385 X-Amz-Credential/x-amz-credential, strict',
    t(`${S}&x-amz-credential=AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fsts%2Faws4_request`),
    'unknown-parameter',
  ),
  c(
    'CVE-2022-2385 X-Amz-Credential/x-amz-credential, non-strict',
    t(`${S}&x-amz-credential=AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fsts%2Faws4_request`),
    'duplicate-parameter',
    { strictParameterCase: false },
  ),
  c(
    'CVE-2022-2385 lower-case spelling first, non-strict',
    t(edit(S, '?Action=', '?action=GetCallerIdentity&Action=')),
    'duplicate-parameter',
    { strictParameterCase: false },
  ),
  c(
    'two case variants, neither canonical, non-strict',
    t(edit(S, '?Action=', '?ACTION=GetCallerIdentity&action=')),
    'duplicate-parameter',
    { strictParameterCase: false },
  ),
  c('unknown parameter, non-strict', t(`${S}&x-amz-foo=1`), 'unknown-parameter', {
    strictParameterCase: false,
  }),

  // 6. Presence and fixed values.
  ...(
    [
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ] as const
  ).flatMap((name) => [
    c(`missing ${name}`, t(drop(S, name)), 'missing-parameter'),
    c(`empty ${name}`, t(setValue(S, name, '')), 'missing-parameter'),
  ]),
  c('empty X-Amz-Security-Token', t(setValue(S, 'X-Amz-Security-Token', '')), 'parameter-value'),
  c('Action=AssumeRole', t(setValue(S, 'Action', 'AssumeRole')), 'parameter-value'),
  c('Action in lower case', t(setValue(S, 'Action', 'getcalleridentity')), 'parameter-value'),
  c('Version 2011-06-16', t(setValue(S, 'Version', '2011-06-16')), 'parameter-value'),
  c(
    'X-Amz-Algorithm HMAC-SHA512',
    t(setValue(S, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA512')),
    'parameter-value',
  ),
  c(
    'X-Amz-Algorithm SigV4a',
    t(setValue(S, 'X-Amz-Algorithm', 'AWS4-ECDSA-P256-SHA256')),
    'parameter-value',
  ),

  // 7. Time fields.
  c('X-Amz-Date 30 February', t(setValue(S, 'X-Amz-Date', '20240230T123456Z')), 'date'),
  c(
    'X-Amz-Date 29 February, not a leap year',
    t(setValue(S, 'X-Amz-Date', '20230229T123456Z')),
    'date',
  ),
  c(
    'X-Amz-Date 29 February 1900 (century)',
    t(setValue(S, 'X-Amz-Date', '19000229T123456Z')),
    'date',
  ),
  c('X-Amz-Date 31 April', t(setValue(S, 'X-Amz-Date', '20240431T123456Z')), 'date'),
  c('X-Amz-Date month 13', t(setValue(S, 'X-Amz-Date', '20241315T123456Z')), 'date'),
  c('X-Amz-Date month 00', t(setValue(S, 'X-Amz-Date', '20240015T123456Z')), 'date'),
  c('X-Amz-Date day 00', t(setValue(S, 'X-Amz-Date', '20240100T123456Z')), 'date'),
  c('X-Amz-Date hour 24', t(setValue(S, 'X-Amz-Date', '20240115T243456Z')), 'date'),
  c('X-Amz-Date minute 60', t(setValue(S, 'X-Amz-Date', '20240115T126056Z')), 'date'),
  c('X-Amz-Date leap second 60', t(setValue(S, 'X-Amz-Date', '20240115T123460Z')), 'date'),
  c('X-Amz-Date without Z', t(setValue(S, 'X-Amz-Date', '20240115T123456')), 'date'),
  c('X-Amz-Date lower-case t and z', t(setValue(S, 'X-Amz-Date', '20240115t123456z')), 'date'),
  c(
    'X-Amz-Date in ISO 8601 extended form',
    t(setValue(S, 'X-Amz-Date', '2024-01-15T12%3A34%3A56Z')),
    'date',
  ),
  c('X-Amz-Date with milliseconds', t(setValue(S, 'X-Amz-Date', '20240115T123456.000Z')), 'date'),
  c('X-Amz-Date with a five-digit year', t(setValue(S, 'X-Amz-Date', '020240115T123456Z')), 'date'),
  c('X-Amz-Date as Unix seconds', t(setValue(S, 'X-Amz-Date', '1705322096')), 'date'),
  c('X-Amz-Expires 901', t(setValue(S, 'X-Amz-Expires', '901')), 'expires'),
  c('X-Amz-Expires 3600', t(setValue(S, 'X-Amz-Expires', '3600')), 'expires'),
  c('X-Amz-Expires -1', t(setValue(S, 'X-Amz-Expires', '-1')), 'expires'),
  c('X-Amz-Expires %2B60 (encoded plus sign)', t(setValue(S, 'X-Amz-Expires', '%2B60')), 'expires'),
  c('X-Amz-Expires raw +60', t(setValue(S, 'X-Amz-Expires', '+60')), 'query'),
  // A leading zero is rejected: no signer writes one, and one spelling per value keeps tokens canonical.
  c('X-Amz-Expires 060 (leading zero)', t(setValue(S, 'X-Amz-Expires', '060')), 'expires'),
  c('X-Amz-Expires 00', t(setValue(S, 'X-Amz-Expires', '00')), 'expires'),
  c('X-Amz-Expires 60.0', t(setValue(S, 'X-Amz-Expires', '60.0')), 'expires'),
  c('X-Amz-Expires 1e2', t(setValue(S, 'X-Amz-Expires', '1e2')), 'expires'),
  c('X-Amz-Expires 0x10', t(setValue(S, 'X-Amz-Expires', '0x10')), 'expires'),
  c('X-Amz-Expires huge', t(setValue(S, 'X-Amz-Expires', '9'.repeat(400))), 'expires'),

  // 8. Credential scope.
  c('credential date one day later', t(edit(S, '%2F20240115%2F', '%2F20240116%2F')), 'credential'),
  c(
    'credential date in another format',
    t(edit(S, '%2F20240115%2F', '%2F2024-01-15%2F')),
    'credential',
  ),
  c(
    'credential region us-west-2 on sts.us-east-1',
    t(edit(S, '%2Fus-east-1%2F', '%2Fus-west-2%2F')),
    'credential',
  ),
  c(
    'credential region us-west-2 on sts.amazonaws.com',
    t(edit(G, '%2Fus-east-1%2F', '%2Fus-west-2%2F')),
    'credential',
  ),
  c(
    'credential region us-east-1 on sts.us-west-2',
    t(edit(W, '%2Fus-west-2%2F', '%2Fus-east-1%2F')),
    'credential',
  ),
  c(
    'credential region in upper case',
    t(edit(S, '%2Fus-east-1%2F', '%2FUS-EAST-1%2F')),
    'credential',
  ),
  c('credential service s3', t(edit(S, '%2Fsts%2F', '%2Fs3%2F')), 'credential'),
  c('credential service STS', t(edit(S, '%2Fsts%2F', '%2FSTS%2F')), 'credential'),
  c(
    'credential terminator aws4_request2',
    t(edit(S, 'aws4_request', 'aws4_request2')),
    'credential',
  ),
  c('credential terminator upper case', t(edit(S, 'aws4_request', 'AWS4_REQUEST')), 'credential'),
  c('credential without terminator', t(edit(S, '%2Fsts%2Faws4_request', '%2Fsts')), 'credential'),
  c(
    'credential with an extra segment',
    t(edit(S, 'aws4_request', 'aws4_request%2Fx')),
    'credential',
  ),
  c(
    'credential with an empty access key id',
    t(edit(S, 'ASIAIOSFODNN7EXAMPLE%2F', '%2F')),
    'credential',
  ),
  c(
    'access key id with "-"',
    t(edit(S, 'ASIAIOSFODNN7EXAMPLE', 'ASIA-IOSFODNN7EXAMPLE')),
    'credential',
  ),
  c(
    'access key id with "."',
    t(edit(S, 'ASIAIOSFODNN7EXAMPLE', 'ASIA.IOSFODNN7EXAMPLE')),
    'credential',
  ),
  c(
    'access key id of 129 characters',
    t(edit(S, 'ASIAIOSFODNN7EXAMPLE', 'A'.repeat(129))),
    'credential',
  ),

  // 9. Signed headers and signature.
  c(
    'extra signed header x-amz-date',
    t(setValue(S, 'X-Amz-SignedHeaders', 'host%3Bx-k8s-aws-id%3Bx-amz-date')),
    'signed-headers',
  ),
  c('x-k8s-aws-id not signed', t(setValue(S, 'X-Amz-SignedHeaders', 'host')), 'signed-headers'),
  c('host not signed', t(setValue(S, 'X-Amz-SignedHeaders', 'x-k8s-aws-id')), 'signed-headers'),
  c(
    'signed headers out of order',
    t(setValue(S, 'X-Amz-SignedHeaders', 'x-k8s-aws-id%3Bhost')),
    'signed-headers',
  ),
  c(
    'signed headers in upper case',
    t(setValue(S, 'X-Amz-SignedHeaders', 'Host%3BX-K8S-AWS-ID')),
    'signed-headers',
  ),
  c(
    'signed headers separated by ","',
    t(setValue(S, 'X-Amz-SignedHeaders', 'host%2Cx-k8s-aws-id')),
    'signed-headers',
  ),
  c(
    'upper-case signature',
    t(setValue(S, 'X-Amz-Signature', SESSION.expected.signature.toUpperCase())),
    'signature',
  ),
  c(
    'short signature (63)',
    t(setValue(S, 'X-Amz-Signature', SESSION.expected.signature.slice(1))),
    'signature',
  ),
  c(
    'long signature (65)',
    t(setValue(S, 'X-Amz-Signature', `${SESSION.expected.signature}0`)),
    'signature',
  ),
  c(
    'non-hex signature',
    t(setValue(S, 'X-Amz-Signature', `g${SESSION.expected.signature.slice(1)}`)),
    'signature',
  ),
  c('base64 signature', t(setValue(S, 'X-Amz-Signature', 'YWJj')), 'signature'),

  // Check order: the earliest failing rule is reported.
  c('order: bad host and bad query → url', t(edit(`${S};`, 'sts.', 'STS.')), 'url'),
  c(
    'order: unknown parameter before missing one',
    t(`${drop(S, 'Action')}&X=1`),
    'unknown-parameter',
  ),
  c(
    'order: bad date and bad signature → date',
    t(setValue(setValue(S, 'X-Amz-Date', 'x'), 'X-Amz-Signature', 'x')),
    'date',
  ),
  c(
    'order: bad Action and bad date → parameter-value',
    t(setValue(setValue(S, 'X-Amz-Date', 'x'), 'Action', 'x')),
    'parameter-value',
  ),
  c(
    'order: bad credential and bad signed headers → credential',
    t(setValue(edit(S, 'sts%2F', 's3%2F'), 'X-Amz-SignedHeaders', 'host')),
    'credential',
  ),
];

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe(`parseToken rejects malformed tokens (${CASES.length} cases)`, () => {
  it('has unique case names', () => {
    expect(new Set(CASES.map((k) => k.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    const error = thrown(() => parseToken(k.token as string, k.options));
    expect(error).toBeInstanceOf(TokenFormatError);
    expect(error).toMatchObject({
      code: k.reason === 'too-large' ? 'ERR_TOKEN_TOO_LARGE' : 'ERR_TOKEN_MALFORMED',
      reason: k.reason,
    });
  });
});

describe('error messages carry no secret', () => {
  const signature = SESSION.expected.signature;
  const sessionToken = SESSION.input.sessionToken ?? '';
  const encodedSessionToken = pair(S, 'X-Amz-Security-Token').slice('X-Amz-Security-Token='.length);
  // 16 characters of a secret are enough to count as a leak.
  const secrets = [signature, sessionToken, encodedSessionToken].flatMap((s) => [
    s.slice(0, 16),
    s.slice(-16),
  ]);

  it.each(CASES.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    const error = thrown(() => parseToken(k.token as string, k.options)) as Error;
    expect(error.message.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(error.message).not.toContain(secret);
    if (typeof k.token === 'string' && k.token.length > 24) {
      expect(error.message).not.toContain(k.token.slice(11, 43));
    }
    expect(JSON.stringify(error)).not.toContain(signature);
  });
});
