/**
 * A loopback HTTP server that behaves like AWS STS for presigned
 * `GetCallerIdentity` requests (SPEC 6). Tests and the demo only; never
 * exported from the package.
 *
 * It verifies every request's SigV4 signature itself with
 * `./sigv4-reference.ts` (independent of `src/`), against a table of access
 * keys → secret, session token and principal; checks STS's 15-minute window
 * against an injectable clock; answers the shared response bodies
 * (`test/fixtures/vectors/sts-responses/`), XML by default and JSON for
 * `accept: application/json`; and injects faults on request.
 *
 * Routing: {@link StsEmulator.fetch} rewrites `https://<sts-host>/…` to
 * `http://127.0.0.1:<port>/…` and passes the original host in
 * `x-emulated-host`, which the emulator signs against (a real client would
 * have sent it as `Host`).
 *
 * @module
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { formatAmzDate, verifyPresignedRequest } from './sigv4-reference.js';
import { loadVector } from './vectors.js';

/** Header carrying the host the client meant to reach. */
export const EMULATED_HOST_HEADER = 'x-emulated-host';
/** Header carrying a per-call fault (set by {@link StsEmulator.fetchWith}). */
export const FAULT_HEADER = 'x-emulator-fault';
/** Header forcing a response format for one call. */
export const FORMAT_HEADER = 'x-emulator-format';

/** STS's validity window of a presigned URL, whatever `X-Amz-Expires` says. */
const WINDOW_MS = 15 * 60 * 1000;

/**
 * A fault the emulator can inject.
 * - `delay`: wait {@link FaultSpec.delayMs} (default 60 s), then answer normally.
 * - `reset`: destroy the socket without answering.
 * - `reset-mid-body`: send 200 headers and half a body, then destroy the socket.
 * - `status-500` / `status-502` / `status-503`: that status with an STS error body.
 * - `throttle`: 400 with the shared `Throttling` body.
 * - `throttle-429`: 429 with a `ThrottlingException` body.
 * - `request-limit-exceeded`: 400 `RequestLimitExceeded`.
 * - `forbidden-html`: 403 with an HTML body (no AWS error code).
 * - `redirect`: 302 to another host (must never be followed).
 * - `redirect-307`: 307 to the same URL on another host.
 * - `oversized`: 200, a valid identity padded to 1 MiB, with `content-length`.
 * - `oversized-chunked`: the same, streamed without `content-length`.
 * - `malformed-xml` / `malformed-json`: 200 with a truncated body.
 * - `wrong-content-type`: 200, valid JSON body, `content-type: text/html`.
 * - `missing-fields`: 200 without `UserId`.
 * - `empty-body`: 200 with no body.
 * - `account-mismatch`: `Account` differs from the ARN's account.
 * - `bad-account`: `Account` is not 12 digits.
 * - `partition-mismatch`: the ARN names another partition.
 * - `bad-arn`: the ARN is not a principal ARN.
 * - `userid-without-session`: an assumed-role identity whose `UserId` lacks `:<session>`.
 * - `session-mismatch`: an assumed-role identity whose `UserId` names another session.
 * - `doctype`: XML body with a DOCTYPE declaring entities.
 * - `numeric-fields`: JSON with `Account` as a number.
 *
 * Transport and error faults answer without looking at the signature; body
 * faults (`oversized` … `numeric-fields`) replace the success body only after
 * the request authenticated, as a real 200 would.
 */
export type FaultKind =
  | 'delay'
  | 'reset'
  | 'reset-mid-body'
  | 'status-500'
  | 'status-502'
  | 'status-503'
  | 'throttle'
  | 'throttle-429'
  | 'request-limit-exceeded'
  | 'forbidden-html'
  | 'redirect'
  | 'redirect-307'
  | 'oversized'
  | 'oversized-chunked'
  | 'malformed-xml'
  | 'malformed-json'
  | 'wrong-content-type'
  | 'missing-fields'
  | 'empty-body'
  | 'account-mismatch'
  | 'bad-account'
  | 'partition-mismatch'
  | 'bad-arn'
  | 'userid-without-session'
  | 'session-mismatch'
  | 'doctype'
  | 'numeric-fields';

/** Every {@link FaultKind}, for tables. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'delay',
  'reset',
  'reset-mid-body',
  'status-500',
  'status-502',
  'status-503',
  'throttle',
  'throttle-429',
  'request-limit-exceeded',
  'forbidden-html',
  'redirect',
  'redirect-307',
  'oversized',
  'oversized-chunked',
  'malformed-xml',
  'malformed-json',
  'wrong-content-type',
  'missing-fields',
  'empty-body',
  'account-mismatch',
  'bad-account',
  'partition-mismatch',
  'bad-arn',
  'userid-without-session',
  'session-mismatch',
  'doctype',
  'numeric-fields',
];

/** A fault with its parameters. */
export interface FaultSpec {
  kind: FaultKind;
  /** For `delay`: milliseconds to wait before answering. @default 60000 */
  delayMs?: number;
}

/** Response format: `auto` follows the `accept` header, as STS does. */
export type ResponseFormat = 'auto' | 'xml' | 'json';

/** One access key the emulator knows. */
export interface EmulatorPrincipal {
  accessKeyId: string;
  secretAccessKey: string;
  /** Required in the request when set; refused when absent. */
  sessionToken?: string | undefined;
  /** The `get-caller-identity.json` case whose identity this key has. */
  caseId: string;
  /**
   * Answer this identity instead of the case's (same layout as the case's
   * answer, built here): for tests that need many principals in many
   * accounts.
   */
  identity?: { arn: string; account: string; userId: string } | undefined;
  /** When set, the key works only at this partition's endpoints. */
  partition?: string | undefined;
  /** Answer `ExpiredToken` for this key (expired temporary credentials). */
  expired?: boolean | undefined;
}

/** What the emulator saw and answered, per request. */
export interface RecordedRequest {
  host: string;
  clusterId: string | undefined;
  accept: string | undefined;
  accessKeyId: string | undefined;
  fault: FaultKind | undefined;
  status: number | 'reset';
  awsCode: string | undefined;
}

/** Options of {@link startStsEmulator}. */
export interface StsEmulatorOptions {
  /** The emulator's clock for the 15-minute window. @default () => new Date() */
  now?: () => Date;
  /** Extra principals on top of the defaults. */
  principals?: EmulatorPrincipal[];
  /**
   * Register the keys of the shared token vectors (`AKIDEXAMPLE` → `iam-user`,
   * `ASIAIOSFODNN7EXAMPLE` with its session token → `assumed-role`).
   * @default true
   */
  vectorKeys?: boolean;
  /** @default 'auto' */
  format?: ResponseFormat;
}

/** Credentials a test signs with. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A running emulator. */
export interface StsEmulator {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** A `fetch` that sends `https://<sts-host>/…` here (see module doc). */
  readonly fetch: typeof fetch;
  /** A `fetch` like {@link StsEmulator.fetch} that also asks for a fault or format on every call. */
  fetchWith(options: { fault?: FaultKind | FaultSpec; format?: ResponseFormat }): typeof fetch;
  /** Access key id → principal. */
  readonly principals: Map<string, EmulatorPrincipal>;
  addPrincipal(principal: EmulatorPrincipal): void;
  /** Credentials of the default principal for a `get-caller-identity.json` case. */
  credentialsFor(caseId: string): EmulatorCredentials;
  /** Inject `fault` into the next `times` requests (queued after earlier ones). */
  setFault(fault: FaultKind | FaultSpec, times?: number): void;
  clearFaults(): void;
  /** Change the emulator's clock. */
  setNow(now: Date | (() => Date)): void;
  setFormat(format: ResponseFormat): void;
  /**
   * Accounts STS is throttling: a correctly signed request from a key of one
   * of these accounts is answered `400 Throttling`, as STS counts a
   * presigned call against the account whose key signed it.
   */
  readonly throttledAccounts: Set<string>;
  /** Every request so far. */
  readonly requests: RecordedRequest[];
  /** Stop: cancels delayed answers, drops connections, closes the server. */
  close(): Promise<void>;
}

/** One `get-caller-identity.json` case (fields used here). */
export interface IdentityCase {
  id: string;
  description: string;
  partition: string;
  httpStatus: number;
  expected: { Account: string; Arn: string; UserId: string; RequestId: string };
  derivedIdentity: {
    principalType: string;
    canonicalArn: string;
    userId: string;
    sessionName: string | null;
  };
  xml: { headers: Record<string, string>; body: string };
  json: { headers: Record<string, string>; body: string };
}

/** One `errors.json` case. */
export interface ErrorCase {
  id: string;
  httpStatus: number;
  expected: { Code: string; Message: string; Type: string; RequestId: string };
  xml: { headers: Record<string, string>; body: string };
  json: { headers: Record<string, string>; body: string };
}

/** Load `sts-responses/get-caller-identity.json` cases. */
export function identityCases(): IdentityCase[] {
  return loadVector<{ cases: IdentityCase[] }>('sts-responses/get-caller-identity.json').cases;
}

/** Load `sts-responses/errors.json` cases. */
export function errorCases(): ErrorCase[] {
  return loadVector<{ cases: ErrorCase[] }>('sts-responses/errors.json').cases;
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Region an STS host serves (its SigV4 signing region), by the emulator's own reading. */
function regionOfHost(host: string): string | undefined {
  if (host === 'sts.amazonaws.com') return 'us-east-1';
  return /^sts(?:-fips)?\.([a-z0-9-]+)\.[a-z0-9.-]+$/.exec(host)?.[1];
}

/** Partition of a region, by prefix; enough for the emulator's key scoping. */
function partitionOfRegion(region: string): string {
  const prefixes: [string, string][] = [
    ['cn-', 'aws-cn'],
    ['us-gov-', 'aws-us-gov'],
    ['us-isob-', 'aws-iso-b'],
    ['us-isof-', 'aws-iso-f'],
    ['us-iso-', 'aws-iso'],
    ['eu-isoe-', 'aws-iso-e'],
    ['eusc-', 'aws-eusc'],
  ];
  return prefixes.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface IdentityFields {
  Arn?: string;
  Account?: string | number;
  UserId?: string;
}

function renderIdentity(fields: IdentityFields, format: 'xml' | 'json', requestId: string): string {
  if (format === 'json') {
    return JSON.stringify({
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: fields,
        ResponseMetadata: { RequestId: requestId },
      },
    });
  }
  const lines = Object.entries(fields).map(
    ([name, value]) => `    <${name}>${xmlEscape(String(value))}</${name}>\n`,
  );
  return (
    `<GetCallerIdentityResponse xmlns="${XMLNS}">\n  <GetCallerIdentityResult>\n` +
    lines.join('') +
    `  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n` +
    `  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`
  );
}

function renderError(
  code: string,
  message: string,
  type: 'Sender' | 'Receiver',
  format: 'xml' | 'json',
  requestId: string,
): string {
  if (format === 'json') {
    return JSON.stringify({
      Error: { Code: code, Message: message, Type: type },
      RequestId: requestId,
    });
  }
  return (
    `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n` +
    `    <Message>${xmlEscape(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`
  );
}

function contentTypeOf(format: 'xml' | 'json'): string {
  return format === 'json' ? 'application/json' : 'text/xml';
}

function parseFault(value: string | undefined): FaultSpec | undefined {
  if (!value) return undefined;
  const [kind, delay] = value.split(':');
  if (!FAULT_KINDS.includes(kind as FaultKind)) return undefined;
  return delay === undefined
    ? { kind: kind as FaultKind }
    : { kind: kind as FaultKind, delayMs: Number(delay) };
}

function toSpec(fault: FaultKind | FaultSpec): FaultSpec {
  return typeof fault === 'string' ? { kind: fault } : fault;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * A `fetch` that sends `https://<sts-host>/…` to the emulator listening at
 * `base` (`http://127.0.0.1:<port>`, in this process or another), with the
 * host in {@link EMULATED_HOST_HEADER} and `extraHeaders` added; any other
 * URL goes to the real `fetch`. What {@link StsEmulator.fetch} is.
 */
export function fetchToEmulator(
  base: string,
  extraHeaders: Record<string, string> = {},
): typeof fetch {
  return (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const match = /^https:\/\/([^/?#]+)(.*)$/s.exec(href);
    if (!match) return globalThis.fetch(input, init);
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    headers.set(EMULATED_HOST_HEADER, match[1] as string);
    for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
    const path = match[2] === '' ? '/' : (match[2] as string);
    return globalThis.fetch(base + path, { ...init, headers });
  };
}

/** Start an emulator on 127.0.0.1, on a free port. */
export async function startStsEmulator(options: StsEmulatorOptions = {}): Promise<StsEmulator> {
  let now: () => Date = options.now ?? (() => new Date());
  let format: ResponseFormat = options.format ?? 'auto';
  const faultQueue: FaultSpec[] = [];
  const requests: RecordedRequest[] = [];
  const throttledAccounts = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const cases = new Map(identityCases().map((c) => [c.id, c]));
  const errorList = errorCases();
  const principals = new Map<string, EmulatorPrincipal>();
  const defaults = new Map<string, EmulatorCredentials>();
  let requestCounter = 0;

  // One principal per shared case. Temporary (ASIA + session token) for
  // sessions, long-term (AKIA) otherwise; secrets and tokens contain
  // characters that need percent-encoding, to exercise the encoders.
  let index = 0;
  for (const c of cases.values()) {
    index++;
    const temporary =
      c.expected.Arn.includes(':assumed-role/') || c.expected.Arn.includes(':federated-user/');
    const accessKeyId = `${temporary ? 'ASIA' : 'AKIA'}EMULATOR${String(index).padStart(7, '0')}`;
    const credentials: EmulatorCredentials = {
      accessKeyId,
      secretAccessKey: `emulator/secret+${c.id}=`,
      ...(temporary ? { sessionToken: `IQoJb3JpZ2luX2Vj//session+${c.id}/token==` } : {}),
    };
    defaults.set(c.id, credentials);
    principals.set(accessKeyId, { ...credentials, caseId: c.id, partition: c.partition });
  }
  if (options.vectorKeys !== false) {
    principals.set('AKIDEXAMPLE', {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      caseId: 'iam-user',
    });
    principals.set('ASIAIOSFODNN7EXAMPLE', {
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
      sessionToken:
        'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQDexample+Session/Token+For+EKS+vectors/AbCdEfGh0123==',
      caseId: 'assumed-role',
    });
  }
  for (const p of options.principals ?? []) principals.set(p.accessKeyId, p);

  function handle(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => {});
    const host = header(req, EMULATED_HOST_HEADER) ?? header(req, 'host') ?? '';
    const accept = header(req, 'accept');
    const perCall = parseFault(header(req, FAULT_HEADER));
    const fault = perCall ?? faultQueue.shift();
    const forced = header(req, FORMAT_HEADER) as ResponseFormat | undefined;
    const effectiveFormat = forced ?? format;
    const fmt: 'xml' | 'json' =
      effectiveFormat === 'auto'
        ? accept?.toLowerCase().includes('application/json')
          ? 'json'
          : 'xml'
        : effectiveFormat;
    const requestId = `emulator-${String(++requestCounter).padStart(8, '0')}`;
    const record: RecordedRequest = {
      host,
      clusterId: header(req, 'x-k8s-aws-id'),
      accept,
      accessKeyId: undefined,
      fault: fault?.kind,
      status: 0,
      awsCode: undefined,
    };
    requests.push(record);

    const send = (
      status: number,
      body: string,
      contentType: string,
      extra: Record<string, string> = {},
    ): void => {
      record.status = status;
      res.writeHead(status, {
        'content-type': contentType,
        'content-length': String(Buffer.byteLength(body)),
        'x-amzn-requestid': requestId,
        ...extra,
      });
      res.end(body);
    };
    const sendError = (
      status: number,
      code: string,
      message: string,
      type: 'Sender' | 'Receiver' = 'Sender',
    ): void => {
      record.awsCode = code;
      // The shared bodies where they fit (same status, code and message),
      // otherwise the same layout built here.
      const shared = errorList.find(
        (c) =>
          c.httpStatus === status && c.expected.Code === code && c.expected.Message === message,
      );
      if (shared) {
        send(status, shared[fmt].body, contentTypeOf(fmt));
      } else {
        send(status, renderError(code, message, type, fmt, requestId), contentTypeOf(fmt));
      }
    };

    if (fault?.kind === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, fault.delayMs ?? 60_000);
      timers.add(timer);
      // The client gave up (timeout, abort): drop the pending answer.
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    answer();

    function answer(): void {
      switch (fault?.kind) {
        case 'reset':
          record.status = 'reset';
          req.socket.destroy();
          return;
        case 'status-500':
          return sendError(
            500,
            'InternalFailure',
            'The request processing has failed because of an unknown error.',
            'Receiver',
          );
        case 'status-502':
          return send(502, '<html><body>Bad Gateway</body></html>', 'text/html');
        case 'status-503':
          return sendError(
            503,
            'ServiceUnavailable',
            'Service is unable to handle request.',
            'Receiver',
          );
        case 'throttle':
          return sendError(400, 'Throttling', 'Rate exceeded');
        case 'throttle-429':
          return sendError(429, 'ThrottlingException', 'Rate exceeded');
        case 'request-limit-exceeded':
          return sendError(400, 'RequestLimitExceeded', 'Request limit exceeded.');
        case 'forbidden-html':
          return send(403, '<html><body>Forbidden</body></html>', 'text/html');
        case 'redirect':
          return send(302, '', 'text/plain', { location: 'https://attacker.example/' });
        case 'redirect-307':
          return send(307, '', 'text/plain', {
            location: `https://attacker.example${req.url ?? '/'}`,
          });
        default:
          break;
      }
      authenticateAndAnswer();
    }

    function authenticateAndAnswer(): void {
      if (req.method !== 'GET' && req.method !== 'POST') {
        return sendError(405, 'InvalidAction', 'Unsupported method');
      }
      const target = req.url ?? '/';
      const q = target.indexOf('?');
      const rawPath = q === -1 ? target : target.slice(0, q);
      const rawQuery = q === -1 ? '' : target.slice(q + 1);
      const headers: Record<string, string | undefined> = {};
      for (const name of Object.keys(req.headers)) headers[name] = header(req, name);
      headers.host = host;
      const verdict = verifyPresignedRequest(
        { method: req.method, rawPath, rawQuery, headers },
        (id) => principals.get(id)?.secretAccessKey,
      );
      if (!verdict.ok) {
        const status =
          verdict.code === 'InvalidClientTokenId' || verdict.code === 'SignatureDoesNotMatch'
            ? 403
            : 400;
        return sendError(status, verdict.code, verdict.message);
      }
      record.accessKeyId = verdict.accessKeyId;
      const principal = principals.get(verdict.accessKeyId) as EmulatorPrincipal;
      const hostRegion = regionOfHost(host);
      if (verdict.scopeService !== 'sts') {
        return sendError(
          403,
          'SignatureDoesNotMatch',
          "Credential should be scoped to correct service: 'sts'.",
        );
      }
      if (hostRegion === undefined || verdict.scopeRegion !== hostRegion) {
        return sendError(
          403,
          'SignatureDoesNotMatch',
          'Credential should be scoped to a valid region.',
        );
      }
      // STS accepts a presigned URL for 15 minutes after X-Amz-Date, and
      // refuses one dated more than 15 minutes ahead.
      const current = now();
      const signed = verdict.signedAt.getTime();
      if (current.getTime() > signed + WINDOW_MS) {
        return sendError(
          403,
          'SignatureDoesNotMatch',
          `Signature expired: ${formatAmzDate(verdict.signedAt)} is now earlier than ` +
            `${formatAmzDate(new Date(current.getTime() - WINDOW_MS))} (${formatAmzDate(current)} - 15 min.)`,
        );
      }
      if (signed > current.getTime() + WINDOW_MS) {
        return sendError(
          403,
          'SignatureDoesNotMatch',
          `Signature not yet current: ${formatAmzDate(verdict.signedAt)} is still later than ` +
            `${formatAmzDate(new Date(current.getTime() + WINDOW_MS))} (${formatAmzDate(current)} + 15 min.)`,
        );
      }
      // Access keys live in one partition: another partition's STS does not know them.
      if (
        principal.partition !== undefined &&
        partitionOfRegion(hostRegion) !== principal.partition
      ) {
        return sendError(
          403,
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
        );
      }
      if (verdict.params.get('X-Amz-Security-Token') !== principal.sessionToken) {
        return sendError(
          403,
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
        );
      }
      if (principal.expired) {
        return sendError(
          403,
          'ExpiredToken',
          'The security token included in the request is expired',
        );
      }
      if (
        verdict.params.get('Action') !== 'GetCallerIdentity' ||
        verdict.params.get('Version') !== '2011-06-15'
      ) {
        return sendError(400, 'InvalidAction', 'Could not find operation for this version');
      }
      const identity = cases.get(principal.caseId);
      if (!identity) return sendError(500, 'InternalFailure', 'unknown principal case', 'Receiver');
      const account = principal.identity?.account ?? identity.expected.Account;
      if (throttledAccounts.has(account)) return sendError(400, 'Throttling', 'Rate exceeded');
      if (principal.identity !== undefined && fault === undefined) {
        const { arn, account: Account, userId } = principal.identity;
        record.status = 200;
        return send(
          200,
          renderIdentity({ Arn: arn, Account, UserId: userId }, fmt, requestId),
          contentTypeOf(fmt),
        );
      }
      answerIdentity(identity);
    }

    function answerIdentity(identity: IdentityCase): void {
      const { Arn, Account, UserId } = identity.expected;
      const base: IdentityFields = { Arn, UserId, Account };
      const partition = Arn.split(':')[1] as string;
      const assumed = {
        Arn: `arn:${partition}:sts::${Account}:assumed-role/emulated-role/emulated-session`,
        Account,
      };
      const ct = contentTypeOf(fmt);
      switch (fault?.kind) {
        case undefined:
        case 'delay':
          record.status = 200;
          res.writeHead(200, {
            ...Object.fromEntries(
              Object.entries(identity[fmt].headers).map(([k, v]) => [k.toLowerCase(), v]),
            ),
            'content-length': String(Buffer.byteLength(identity[fmt].body)),
          });
          res.end(identity[fmt].body);
          return;
        case 'oversized':
          return send(200, renderIdentity(base, fmt, requestId) + ' '.repeat(1 << 20), ct);
        case 'oversized-chunked': {
          record.status = 200;
          res.writeHead(200, { 'content-type': ct, 'x-amzn-requestid': requestId });
          res.write(renderIdentity(base, fmt, requestId));
          const chunk = ' '.repeat(64 * 1024);
          for (let i = 0; i < 16 && !res.destroyed; i++) res.write(chunk);
          res.end();
          return;
        }
        case 'reset-mid-body': {
          const body = renderIdentity(base, fmt, requestId);
          record.status = 'reset';
          res.writeHead(200, {
            'content-type': ct,
            'content-length': String(Buffer.byteLength(body)),
          });
          res.write(body.slice(0, body.length >> 1), () => req.socket.destroy());
          return;
        }
        case 'malformed-xml':
          return send(200, renderIdentity(base, 'xml', requestId).slice(0, 120), 'text/xml');
        case 'malformed-json':
          return send(
            200,
            renderIdentity(base, 'json', requestId).slice(0, 60),
            'application/json',
          );
        case 'wrong-content-type':
          return send(200, renderIdentity(base, 'json', requestId), 'text/html');
        case 'missing-fields':
          return send(200, renderIdentity({ Arn, Account }, fmt, requestId), ct);
        case 'empty-body':
          return send(200, '', ct);
        case 'account-mismatch':
          return send(
            200,
            renderIdentity(
              { ...base, Account: Account === '210987654321' ? '123456789012' : '210987654321' },
              fmt,
              requestId,
            ),
            ct,
          );
        case 'bad-account':
          return send(
            200,
            renderIdentity({ ...base, Account: Account.slice(1) }, fmt, requestId),
            ct,
          );
        case 'partition-mismatch': {
          const other = partition === 'aws' ? 'aws-cn' : 'aws';
          return send(
            200,
            renderIdentity(
              { ...base, Arn: Arn.replace(`arn:${partition}:`, `arn:${other}:`) },
              fmt,
              requestId,
            ),
            ct,
          );
        }
        case 'bad-arn':
          return send(
            200,
            renderIdentity({ ...base, Arn: `arn:${partition}:s3:::bucket` }, fmt, requestId),
            ct,
          );
        case 'userid-without-session':
          return send(
            200,
            renderIdentity({ ...assumed, UserId: 'AROAEMULATEDROLE00001' }, fmt, requestId),
            ct,
          );
        case 'session-mismatch':
          return send(
            200,
            renderIdentity(
              { ...assumed, UserId: 'AROAEMULATEDROLE00001:other-session' },
              fmt,
              requestId,
            ),
            ct,
          );
        case 'doctype':
          return send(
            200,
            `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "arn:${partition}:iam::${Account}:user/Injected">]>\n` +
              renderIdentity({ ...base, Arn: '&a;' }, 'xml', requestId).replace('&amp;a;', '&a;'),
            'text/xml',
          );
        case 'numeric-fields':
          return send(
            200,
            renderIdentity({ ...base, Account: Number(Account) }, 'json', requestId),
            'application/json',
          );
        default:
          return send(500, 'emulator: unhandled fault', 'text/plain');
      }
    }
  }

  const server: Server = createServer({ keepAlive: true }, handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: tests open a thousand connections at once.
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  const makeFetch = (extraHeaders: Record<string, string>): typeof fetch =>
    fetchToEmulator(base, extraHeaders);

  return {
    url: base,
    port,
    fetch: makeFetch({}),
    fetchWith({ fault, format: forced }) {
      const extra: Record<string, string> = {};
      if (fault !== undefined) {
        const spec = toSpec(fault);
        extra[FAULT_HEADER] =
          spec.delayMs === undefined ? spec.kind : `${spec.kind}:${spec.delayMs}`;
      }
      if (forced !== undefined) extra[FORMAT_HEADER] = forced;
      return makeFetch(extra);
    },
    principals,
    addPrincipal(principal) {
      principals.set(principal.accessKeyId, principal);
    },
    credentialsFor(caseId) {
      const credentials = defaults.get(caseId);
      if (!credentials) throw new Error(`emulator: no case ${caseId}`);
      return credentials;
    },
    setFault(fault, times = 1) {
      for (let i = 0; i < times; i++) faultQueue.push(toSpec(fault));
    },
    clearFaults() {
      faultQueue.length = 0;
    },
    setNow(value) {
      now = typeof value === 'function' ? value : () => value;
    },
    setFormat(value) {
      format = value;
    },
    throttledAccounts,
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
