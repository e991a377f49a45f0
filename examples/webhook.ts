/**
 * A complete Kubernetes webhook token authenticator for EKS IAM tokens, on
 * node:http(s) and `reviewToken`. An example to copy, not part of the package.
 *
 *   CLUSTER_ID=my-cluster AWS_REGION=eu-west-1 AWS_AUTH_FILE=aws-auth.yaml \
 *   TLS_CERT_FILE=tls.crt TLS_KEY_FILE=tls.key node webhook.js
 *
 * The API server points `--authentication-token-webhook-config-file` at a
 * kubeconfig whose server is `https://<host>:21362/authenticate`. It POSTs a
 * TokenReview; this answers 200 (authenticated), 403 (invalid or not mapped),
 * 429/503 (STS throttled/unavailable: the API server retries later) or 400.
 *
 * `kill -HUP <pid>` reloads aws-auth.yaml.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  createEC2PrivateDNSNameResolver,
  isEksAuthError,
  parseAwsAuth,
  reviewToken,
} from 'eks-iam-auth';
import type { AwsAuth, ReviewTokenOptions } from 'eks-iam-auth';

const env = process.env;
const clusterId = env['CLUSTER_ID'];
if (!clusterId) {
  console.error('set CLUSTER_ID to the EKS cluster name');
  process.exit(2);
}
const region = env['AWS_REGION'];
const awsAuthFile = env['AWS_AUTH_FILE'] ?? 'aws-auth.yaml';
// 21362 is the Go aws-iam-authenticator's port.
const port = Number(env['PORT'] ?? 21362);
// A TokenReview carries one token (a few KiB); anything much larger is not one.
const MAX_BODY_BYTES = 64 * 1024;

/** Parse aws-auth.yaml once (and on SIGHUP); reviews reuse the parsed index. */
function loadAwsAuth(): AwsAuth {
  const parsed = parseAwsAuth(readFileSync(awsAuthFile, 'utf8'));
  for (const d of parsed.diagnostics) {
    const where = [d.key, d.index, d.line === undefined ? undefined : `line ${d.line}`].filter(
      (x) => x !== undefined,
    );
    console.warn(`aws-auth ${d.severity} (${where.join(', ')}): ${d.message}`);
  }
  console.log(
    `aws-auth: ${parsed.mapRoles.length} roles, ${parsed.mapUsers.length} users, ${parsed.mapAccounts.length} accounts`,
  );
  return parsed;
}

let awsAuth = loadAwsAuth();
process.on('SIGHUP', () => {
  try {
    awsAuth = loadAwsAuth();
  } catch (error) {
    // Keep serving with the last good mappings rather than locking everyone out.
    console.error(
      'aws-auth reload failed, keeping the previous one:',
      isEksAuthError(error) ? error.message : error,
    );
  }
});

// Batches and caches the EC2 look-ups behind system:node:{{EC2PrivateDNSName}}.
const resolveEC2PrivateDNSName = createEC2PrivateDNSNameResolver(
  region === undefined ? {} : { region },
);

function options(): ReviewTokenOptions {
  return {
    clusterId: clusterId as string,
    ...(region === undefined ? {} : { region }),
    awsAuth,
    resolveEC2PrivateDNSName,
    ssoRoleMatch: env['SSO_ROLE_MATCH'] === 'true',
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The request body as text, or undefined when it is over the limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (path !== '/authenticate') {
    send(res, 404, { error: 'not found' });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    send(res, 405, { error: 'expected POST' });
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    send(res, 413, { error: `request body over ${MAX_BODY_BYTES} bytes` });
    req.destroy();
    return;
  }
  const started = performance.now();
  const result = await reviewToken(body, options());
  const ms = (performance.now() - started).toFixed(0);
  const user = result.body.status.user;
  if (user !== undefined) {
    console.log(
      `${result.status} ${user.username} [${user.groups.join(',')}] uid=${user.uid} ${ms}ms`,
    );
  } else {
    // result.error is for logs only: its code and message never contain the token.
    const reason = isEksAuthError(result.error)
      ? `${result.error.code}: ${result.error.message}`
      : result.body.status.error;
    console.warn(`${result.status} denied: ${reason} ${ms}ms`);
  }
  send(res, result.status, result.body);
}

const listener = (req: IncomingMessage, res: ServerResponse): void => {
  handle(req, res).catch((error: unknown) => {
    console.error('unexpected error', error);
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
    else res.destroy();
  });
};

const certFile = env['TLS_CERT_FILE'];
const keyFile = env['TLS_KEY_FILE'];
// The API server only talks to webhooks over HTTPS; plain HTTP is for local tries.
const server =
  certFile && keyFile
    ? createHttpsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, listener)
    : createHttpServer(listener);
server.requestTimeout = 30_000;
server.headersTimeout = 10_000;
server.listen(port, () => {
  console.log(
    `token webhook for cluster ${clusterId} on ${certFile ? 'https' : 'http'}://0.0.0.0:${port}/authenticate`,
  );
});
