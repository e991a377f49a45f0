/**
 * STS `AssumeRole` for `eks-iam-auth token --role-arn`, as `aws eks get-token
 * --role-arn` does it: the default credentials assume the role, and the
 * role's temporary credentials sign the token.
 *
 * A small SigV4-signed `POST`, signed with `node:crypto` and the library's
 * signing-key derivation, instead of `@aws-sdk/client-sts`, which would add
 * megabytes and hundreds of milliseconds to every kubectl call.
 *
 * @module
 */
import { createHash, createHmac } from 'node:crypto';
import type { XMLParser } from 'fast-xml-parser';
import {
  SigningError,
  StsRejectedError,
  StsResponseError,
  StsThrottledError,
  StsUnavailableError,
} from '../errors.js';
import type { AwsCredentials } from '../token/credentials.js';
import { SIGNING_ALGORITHM } from '../token/constants.js';
import { amzDate, nodeSigningKey } from '../token/presigner.js';
import { encodeRfc3986 } from '../token/sigv4.js';

/** What {@link assumeRole} needs. */
export interface AssumeRoleRequest {
  /** The credentials that assume the role (the default chain's). */
  credentials: AwsCredentials;
  /** `RoleArn`. */
  roleArn: string;
  /** `RoleSessionName`: 2–64 of `[\w+=,.@-]`. */
  sessionName: string;
  /** `ExternalId`, when the role's trust policy asks for one. */
  externalId?: string | undefined;
  /** The STS host to call, e.g. `sts.us-west-2.amazonaws.com`. */
  host: string;
  /** The SigV4 scope region for `host`. */
  signingRegion: string;
  /** The `fetch` to send with. */
  fetch: typeof globalThis.fetch;
  /** Milliseconds for the whole call. */
  timeout: number;
}

/** Temporary credentials of the assumed role. */
export interface AssumedRoleCredentials extends AwsCredentials {
  /** The role session's token: always present for assumed-role credentials. */
  readonly sessionToken: string;
  /** When STS says the role session ends. */
  readonly expiration: Date;
}

const MAX_RESPONSE_BYTES = 64 * 1024;
const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded']);

// STS's documented limits: names shorter or with other characters are
// rejected by STS anyway; checking first gives a clearer message.
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * Why `--session-name` or `--external-id` would be refused by STS, checked
 * before any network call; `undefined` when both are fine.
 */
export function assumeRoleInputProblem(
  sessionName: string,
  externalId?: string,
): string | undefined {
  if (!SESSION_NAME.test(sessionName)) {
    return '--session-name must be 2 to 64 characters of letters, digits and +=,.@_-';
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    return '--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/_-';
  }
  return undefined;
}

/**
 * Call STS `AssumeRole` and return the role's temporary credentials.
 *
 * @throws {@link StsRejectedError} (4xx, with the AWS error code, e.g.
 *   `AccessDenied`), {@link StsThrottledError}, {@link StsUnavailableError}
 *   (network, timeout, redirect, 5xx), {@link StsResponseError} (a 200 without
 *   usable credentials), {@link SigningError}.
 */
export async function assumeRole(request: AssumeRoleRequest): Promise<AssumedRoleCredentials> {
  const form: [string, string][] = [
    ['Action', 'AssumeRole'],
    ['Version', '2011-06-15'],
    ['RoleArn', request.roleArn],
    ['RoleSessionName', request.sessionName],
  ];
  if (request.externalId !== undefined) form.push(['ExternalId', request.externalId]);
  const body = form.map(([k, v]) => `${k}=${encodeRfc3986(v)}`).join('&');

  const headers = sign(request, body);
  let response: Response;
  let text: string;
  const signal = AbortSignal.timeout(request.timeout);
  try {
    response = await request.fetch(`https://${request.host}/`, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal,
    });
    text = await readLimited(response);
  } catch (error) {
    throw new StsUnavailableError(`STS AssumeRole at ${request.host} could not be reached`, {
      cause: error,
    });
  }
  const xml = await xmlParser();
  if (response.status === 200) return parseCredentials(xml, text);
  const { code, message } = parseError(xml, text);
  const detail = code ? `${code}${message ? `: ${message}` : ''}` : `HTTP ${response.status}`;
  if (response.status === 429 || (code !== undefined && THROTTLING_CODES.has(code))) {
    throw new StsThrottledError(response.status, code, `STS throttled AssumeRole (${detail})`);
  }
  if (response.status >= 400 && response.status < 500) {
    throw new StsRejectedError(response.status, code, `STS rejected AssumeRole (${detail})`);
  }
  throw new StsUnavailableError(`STS AssumeRole failed with HTTP ${response.status}`, {
    status: response.status,
  });
}

const CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
const REGION = /^[a-z0-9-]+$/;

/**
 * SigV4 header signing of the AssumeRole `POST`, as the AWS SDK's STS client
 * signs it: `content-type`, `host`, `x-amz-date` (and `x-amz-security-token`)
 * signed, the body's SHA-256 as payload hash, no `x-amz-content-sha256`
 * header (an S3 habit). Returns the headers to send; fetch sets `Host`
 * itself, to the same value.
 */
function sign(request: AssumeRoleRequest, body: string, now = new Date()): Record<string, string> {
  const { accessKeyId, secretAccessKey, sessionToken } = request.credentials;
  try {
    if (!REGION.test(request.signingRegion)) throw new RangeError('bad signing region');
    const date = amzDate(now);
    const day = date.slice(0, 8);
    const scope = `${day}/${request.signingRegion}/sts/aws4_request`;
    const headers: [string, string][] = [
      ['content-type', CONTENT_TYPE],
      ['host', request.host],
      ['x-amz-date', date],
    ];
    if (sessionToken) headers.push(['x-amz-security-token', sessionToken]);
    const signedHeaders = headers.map(([name]) => name).join(';');
    const canonicalRequest =
      `POST\n/\n\n${headers.map(([name, value]) => `${name}:${value.trim()}\n`).join('')}\n` +
      `${signedHeaders}\n${createHash('sha256').update(body).digest('hex')}`;
    const stringToSign = `${SIGNING_ALGORITHM}\n${date}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const key = nodeSigningKey(
      { createHash, createHmac },
      secretAccessKey,
      day,
      request.signingRegion,
    );
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    const result: Record<string, string> = {};
    for (const [name, value] of headers) if (name !== 'host') result[name] = value;
    result['authorization'] =
      `${SIGNING_ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return result;
  } catch (error) {
    // Never echo credentials.
    throw new SigningError('SigV4 signing of the AssumeRole request failed', { cause: error });
  }
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error(`response is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

let parser: XMLParser | undefined;

/** The XML parser, imported on the first AssumeRole answer (never by plain `token`). */
async function xmlParser(): Promise<XMLParser> {
  if (parser === undefined) {
    const { XMLParser } = await import('fast-xml-parser');
    // parseTagValue: false keeps every value a string (an account id such as
    // 012345678901 would otherwise become a number and lose its zero).
    parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, processEntities: true });
  }
  return parser;
}

function parseXml(parser: XMLParser, text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = parser.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function child(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function parseCredentials(parser: XMLParser, text: string): AssumedRoleCredentials {
  const credentials = child(
    child(child(parseXml(parser, text), 'AssumeRoleResponse'), 'AssumeRoleResult'),
    'Credentials',
  );
  const accessKeyId = child(credentials, 'AccessKeyId');
  const secretAccessKey = child(credentials, 'SecretAccessKey');
  const sessionToken = child(credentials, 'SessionToken');
  const expirationText = child(credentials, 'Expiration');
  const expiration = typeof expirationText === 'string' ? new Date(expirationText) : undefined;
  if (
    typeof accessKeyId !== 'string' ||
    accessKeyId === '' ||
    typeof secretAccessKey !== 'string' ||
    secretAccessKey === '' ||
    typeof sessionToken !== 'string' ||
    sessionToken === '' ||
    expiration === undefined ||
    Number.isNaN(expiration.getTime())
  ) {
    throw new StsResponseError(
      'STS AssumeRole answered 200 without AccessKeyId, SecretAccessKey, SessionToken and Expiration',
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiration };
}

function parseError(parser: XMLParser, text: string): { code?: string; message?: string } {
  const error = child(child(parseXml(parser, text), 'ErrorResponse'), 'Error');
  const code = child(error, 'Code');
  const message = child(error, 'Message');
  return {
    ...(typeof code === 'string' && code !== '' ? { code: code.slice(0, 100) } : {}),
    ...(typeof message === 'string' && message !== '' ? { message: message.slice(0, 500) } : {}),
  };
}
