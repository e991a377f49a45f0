/**
 * examples/webhook closes connections that send nothing or stop half-way,
 * as the Go server's `ReadHeaderTimeout` (pkg/server/server.go:155 at
 * 81b1daba) does there; Go also bounds the TLS handshake by it (net/http
 * `tlsHandshakeTimeout`). Driven with raw sockets against short limits; each
 * test waits for the server to close the socket (an event, not a clock).
 * The issue: over HTTPS, a connection that completed its TLS handshake and
 * then sent nothing stayed open (the timeouts were set after the server was
 * made, which Node's HTTPS server never applied).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhook } from '../../examples/webhook/server.js';
import type { Webhook, WebhookTimeouts } from '../../examples/webhook/server.js';
import { selfSignedCertificate } from '../support/https-api-server.js';

const TIMEOUTS: WebhookTimeouts = {
  headersMs: 300,
  requestMs: 600,
  keepAliveMs: 300,
  idleMs: 5_000,
};
// Far longer than any limit above: only a connection that is never closed hits it.
const WAIT = { timeout: 15_000 };

let dir: string;
let https: Webhook;
let http: Webhook;

function start(tlsFiles?: { cert: string; key: string }): Promise<Webhook> {
  return startWebhook({
    configFile: path.join(dir, 'config.yaml'),
    port: 0,
    verifier: { region: 'us-west-2' },
    timeouts: TIMEOUTS,
    log: () => undefined,
    ...(tlsFiles === undefined ? {} : { tls: tlsFiles }),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-timeouts-'));
  writeFileSync(path.join(dir, 'config.yaml'), 'clusterID: demo\n');
  const { cert, key } = selfSignedCertificate(dir);
  https = await start({ cert, key });
  http = await start();
});
afterAll(async () => {
  await https?.close(0);
  await http?.close(0);
  rmSync(dir, { recursive: true, force: true });
});

function portOf(webhook: Webhook): number {
  return Number(new URL(webhook.url).port);
}

/** Everything the server sent until it closed the socket. */
function untilClosed(socket: net.Socket): Promise<string> {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined); // a reset is a close too
  return new Promise((resolve) => socket.on('close', () => resolve(received)));
}

function tcp(webhook: Webhook): net.Socket {
  return net.connect(portOf(webhook), '127.0.0.1');
}

async function tlsSocket(): Promise<tls.TLSSocket> {
  const socket = tls.connect({ port: portOf(https), host: '127.0.0.1', rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

describe('connections that send nothing are closed', () => {
  it('HTTPS, TLS handshake done, then nothing: 408 and closed', WAIT, async () => {
    const socket = await tlsSocket();
    expect(await untilClosed(socket)).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('HTTPS, TCP only (no TLS handshake ever): closed', WAIT, async () => {
    const socket = tcp(https);
    await untilClosed(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('HTTP, nothing at all: 408 and closed', WAIT, async () => {
    expect(await untilClosed(tcp(http))).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('HTTPS, headers begun and never finished (slow loris): 408 and closed', WAIT, async () => {
    const socket = await tlsSocket();
    const closed = untilClosed(socket);
    socket.write('POST /authenticate HTTP/1.1\r\nHost: webhook\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('HTTP, a body that never ends: 408 and closed', WAIT, async () => {
    const socket = tcp(http);
    const closed = untilClosed(socket);
    socket.write(
      'POST /authenticate HTTP/1.1\r\nHost: webhook\r\nContent-Length: 1000\r\n\r\n{"apiVersion"',
    );
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('HTTPS, kept alive after an answer, then nothing: closed', WAIT, async () => {
    const socket = await tlsSocket();
    const closed = untilClosed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});

describe('timeouts option', () => {
  it.each<[string, Partial<WebhookTimeouts>]>([
    ['zero', { headersMs: 0 }],
    ['not whole', { idleMs: 1.5 }],
    ['headers longer than the request (Node refuses)', { headersMs: 2_000, requestMs: 1_000 }],
  ])('%s: TypeError', async (_name, timeouts) => {
    await expect(
      startWebhook({ configFile: path.join(dir, 'config.yaml'), port: 0, timeouts }),
    ).rejects.toThrow(TypeError);
  });
});
