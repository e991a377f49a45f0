/**
 * The webhook server: the Go authenticator's endpoints on node:http(s).
 * `POST /authenticate` answers kube-apiserver's TokenReview, `GET /metrics`
 * is the Prometheus text, `GET /healthz` says `ok`. Tokens are verified by a
 * long-lived `createVerifier` (cache, coalescing, STS concurrency cap) and
 * mapped through the ordered sources of `MappingFiles`. Every connection is
 * bounded in time ({@link WebhookTimeouts}): one that sends nothing, or
 * stops half-way, is closed.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createVerifier, isEksAuthError, reviewToken } from 'eks-iam-auth';
import type { TokenReviewResult, Verifier, VerifierOptions } from 'eks-iam-auth';
import { jsonLinesLog } from './log.js';
import type { Log } from './log.js';
import { WebhookMetrics } from './metrics.js';
import type { AuthenticateResult } from './metrics.js';
import { MappingFiles } from './sources.js';
import type { SourceFiles } from './sources.js';

/**
 * How long a connection may take, in milliseconds. The Go server sets only
 * `ReadHeaderTimeout` (60 s, pkg/server/server.go:155), which in Go also
 * bounds the TLS handshake; Node needs one timer per stage, and over HTTPS
 * its header timer covers only connections that finished the handshake.
 */
export interface WebhookTimeouts {
  /**
   * To receive a request's headers, counted from the connection's start for
   * the first request (the TLS handshake is bounded by the same time) and
   * from its first byte for later ones: a connection that sends nothing is
   * answered 408 and closed. kube-apiserver writes a whole TokenReview at
   * once; 10 s is far beyond any real client and holds an idle or
   * slow-loris socket 6 times shorter than Go's 60 s.
   *
   * @defaultValue 10_000
   */
  headersMs: number;
  /**
   * To receive a whole request, body included (a TokenReview is at most
   * 64 KiB here). At least `headersMs`.
   *
   * @defaultValue 30_000
   */
  requestMs: number;
  /**
   * How long a kept-alive connection may wait for its next request. Go sets
   * no `IdleTimeout`, so its idle connections stay until the client drops
   * them; kube-apiserver's client keeps idle connections 90 s and retries a
   * request on one the server closed before answering.
   *
   * @defaultValue 30_000
   */
  keepAliveMs: number;
  /**
   * A connection with no traffic in either direction for this long is
   * destroyed, whatever its stage: the backstop behind the three above.
   * Longer than any answer takes (the verifier's own timeout is 10 s).
   *
   * @defaultValue 60_000
   */
  idleMs: number;
}

/** The defaults of {@link WebhookTimeouts}. */
export const DEFAULT_TIMEOUTS: Readonly<WebhookTimeouts> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 30_000,
  idleMs: 60_000,
});

function timeoutsOf(given: Partial<WebhookTimeouts> | undefined): WebhookTimeouts {
  const t = { ...DEFAULT_TIMEOUTS, ...given };
  for (const [name, value] of Object.entries(t)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`timeouts.${name} must be a positive whole number of milliseconds`);
    }
  }
  // Node refuses a header timeout longer than the request timeout.
  if (t.headersMs > t.requestMs)
    throw new TypeError('timeouts.headersMs must not exceed requestMs');
  return t;
}

/** Options of {@link startWebhook}. */
export interface WebhookOptions extends SourceFiles {
  /** The cluster id tokens must be signed for; defaults to the config file's `clusterID`. */
  clusterId?: string | undefined;
  /** Verifier options beyond the cluster id (region, partition, `fetch`, cache, …). */
  verifier?: Omit<VerifierOptions, 'clusterId' | 'onEvent'> | undefined;
  /** Listen port; 21362 is the Go authenticator's. `0` picks a free one. */
  port?: number | undefined;
  /** Listen address (the Go server's `--address` default is 127.0.0.1). */
  address?: string | undefined;
  /** PEM certificate and key: HTTPS, as kube-apiserver requires. Without: plain HTTP. */
  tls?: { cert: string; key: string } | undefined;
  /** How often the mapping files are polled for changes. */
  reloadIntervalMs?: number | undefined;
  /** Match `sso` entries (the Go authenticator's `SSORoleMatch` feature gate). */
  ssoRoleMatch?: boolean | undefined;
  /** For `{{EC2PrivateDNSName}}` (see `createEC2PrivateDNSNameResolver`). */
  resolveEC2PrivateDNSName?: ((instanceId: string) => Promise<string>) | undefined;
  /** Where log lines go (JSON lines on stdout by default, control characters escaped). */
  log?: Log | undefined;
  /** Connection time limits; each one missing takes its default ({@link DEFAULT_TIMEOUTS}). */
  timeouts?: Partial<WebhookTimeouts> | undefined;
}

/** A running webhook. */
export interface Webhook {
  /** `http(s)://<address>:<port>`. */
  readonly url: string;
  readonly metrics: WebhookMetrics;
  readonly verifier: Verifier;
  readonly mappings: MappingFiles;
  /**
   * Stop accepting connections, let in-flight requests finish (at most
   * `graceMs`, then the rest are cut), stop polling files.
   */
  close(graceMs?: number): Promise<void>;
}

/** A TokenReview carries one token (a few KiB); anything far larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

/** The Go authenticator's latency label for a review's outcome (its pkg/server/server.go). */
function resultLabel(result: TokenReviewResult): AuthenticateResult {
  if (result.status === 200) return 'success';
  if (result.status === 400) return 'malformed_request';
  const code = isEksAuthError(result.error) ? result.error.code : undefined;
  switch (code) {
    case 'ERR_STS_THROTTLED':
      return 'sts_throttling';
    case 'ERR_STS_REJECTED':
    case 'ERR_STS_UNAVAILABLE':
    case 'ERR_STS_RESPONSE_INVALID':
    case 'ERR_ARN_INVALID':
      return 'sts_error';
    case undefined:
    case 'ERR_AWS_AUTH_INVALID':
    case 'ERR_TEMPLATE':
      // Verified but not mapped (or the mapping refused): the Go server's "uknown_user".
      return 'uknown_user';
    default:
      return 'invalid_token';
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Start the webhook: load the mappings (the config file must load), then listen. */
export async function startWebhook(options: WebhookOptions): Promise<Webhook> {
  const log = options.log ?? jsonLinesLog();
  const timeouts = timeoutsOf(options.timeouts);
  const reloadIntervalMs = options.reloadIntervalMs ?? 1000;
  const metrics = new WebhookMetrics({ region: options.verifier?.region });
  const mappings = new MappingFiles(options, log, metrics);
  await mappings.load(reloadIntervalMs);
  const clusterId = options.clusterId ?? mappings.config.clusterId;
  if (clusterId === undefined || clusterId === '') {
    throw new Error('a cluster id is required (--cluster-id, or clusterID in the config file)');
  }
  const verifier = createVerifier({
    ...options.verifier,
    clusterId,
    onEvent: (event) => metrics.verifyEvent(event),
  });
  let closing = false;

  async function authenticate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const done = (result: AuthenticateResult): void =>
      metrics.authenticated(result, (performance.now() - started) / 1000);
    if (req.method !== 'POST') {
      res
        .writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'POST' })
        .end('expected POST\n');
      done('malformed_request');
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      res
        .writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
        .end('request body too large\n');
      req.destroy();
      done('malformed_request');
      return;
    }
    const result = await reviewToken(body, {
      verifier,
      awsAuth: mappings.current,
      ...(options.ssoRoleMatch === undefined ? {} : { ssoRoleMatch: options.ssoRoleMatch }),
      ...(options.resolveEC2PrivateDNSName === undefined
        ? {}
        : { resolveEC2PrivateDNSName: options.resolveEC2PrivateDNSName }),
    });
    const user = result.body.status.user;
    if (user !== undefined) {
      // The Go server sends the principal id under this key too.
      user.extra['sigs.k8s.io/aws-iam-authenticator/principalId'] = user.extra['principalId'] ?? [];
      log({
        level: 'info',
        msg: 'access granted',
        username: user.username,
        uid: user.uid,
        groups: user.groups,
      });
    } else {
      // result.error is for logs only: its code and message never hold the token.
      const reason = isEksAuthError(result.error)
        ? `${result.error.code}: ${result.error.message}`
        : (result.body.status.error ?? 'denied');
      // Who was refused, when STS vouched for them (as the Go server logs "arn"); never in the body.
      const who = result.identity;
      log({
        level: 'warn',
        msg: 'access denied',
        status: result.status,
        reason,
        ...(who === undefined
          ? {}
          : {
              arn: who.arn,
              canonicalArn: who.canonicalArn,
              accountId: who.accountId,
              userId: who.userId,
            }),
      });
    }
    const text = JSON.stringify(result.body);
    res.writeHead(result.status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      ...(closing ? { connection: 'close' } : {}),
    });
    res.end(text);
    done(resultLabel(result));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/authenticate') return authenticate(req, res);
    if (path === '/metrics' && req.method === 'GET') {
      const text = await metrics.text();
      res.writeHead(200, { 'content-type': metrics.contentType }).end(text);
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      log({
        level: 'error',
        msg: 'unexpected error',
        reason: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      else res.destroy();
    });
  };
  // Given at construction: set afterwards, Node's HTTPS server never closed a
  // connection that finished its TLS handshake and then sent nothing.
  const http = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    // How often expired requests are looked for (Node's default is 30 s).
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeouts.headersMs / 4))),
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          ...http,
          cert: options.tls.cert,
          key: options.tls.key,
          // Go bounds the handshake by ReadHeaderTimeout too (net/http tlsHandshakeTimeout).
          handshakeTimeout: timeouts.headersMs,
        },
        listener,
      )
    : createHttpServer(http, listener);
  server.keepAliveTimeout = timeouts.keepAliveMs;
  // Idle sockets with no listener for 'timeout' are destroyed.
  server.timeout = timeouts.idleMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 21362, options.address ?? '127.0.0.1', () => resolve());
  });
  mappings.watch(reloadIntervalMs);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  log({
    level: 'info',
    msg: 'listening',
    url: `${url}/authenticate`,
    clusterId,
    backendMode: mappings.backendMode,
  });

  return {
    url,
    metrics,
    verifier,
    mappings,
    close: async (graceMs = 5_000) => {
      if (closing) return;
      closing = true;
      mappings.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold close() open; busy ones finish their request.
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      log({ level: 'info', msg: 'stopped' });
    },
  };
}
