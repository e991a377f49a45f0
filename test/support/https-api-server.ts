/**
 * A loopback HTTPS server that plays the Kubernetes API server for kubectl,
 * just enough for end-to-end tests of the exec credential plugin.
 *
 * It authenticates every request the way an API server with a token webhook
 * does: the bearer token goes into a `TokenReview`, and the `review` function
 * (in tests: `reviewToken` wired to the STS emulator and an `aws-auth`) answers
 * it. Authenticated requests get `/api`, `/version` and `SelfSubjectReview`
 * (`kubectl auth whoami`); everything else is 401 `Unauthorized`, which is
 * what kubectl prints for a rejected token.
 *
 * The certificate is self-signed, generated per server with `openssl` into a
 * temporary directory (node:crypto can make keys but not certificates).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The user a successful review names (the `TokenReview` `status.user`). */
export interface ReviewedUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** What the server's `review` function answers: `reviewToken`'s result shape. */
export interface ReviewAnswer {
  status: number;
  body: unknown;
}

/** Options of {@link startHttpsApiServer}. */
export interface HttpsApiServerOptions {
  /** Answers a `TokenReview` request object (pass `reviewToken` bound to its options). */
  review: (tokenReview: unknown) => Promise<ReviewAnswer>;
}

/** One request the server saw, for assertions. */
export interface SeenRequest {
  method: string;
  path: string;
  /** Whether a bearer token came with it. */
  hadToken: boolean;
  /** SHA-256 (hex) of the bearer token, to tell tokens apart without keeping them. */
  tokenSha256: string | undefined;
  /** The authenticated user, when the review said so. */
  user: ReviewedUser | undefined;
  /** The HTTP status answered. */
  status: number;
}

/** A running server. */
export interface HttpsApiServer {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** PEM file of the self-signed certificate, usable as the kubeconfig CA. */
  caFile: string;
  /** Every request so far, in order. */
  requests: SeenRequest[];
  /** Stop the server and remove the certificate directory. */
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost, written into `dir` by `openssl`. */
export function selfSignedCertificate(dir: string): {
  key: string;
  cert: string;
  certFile: string;
} {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=eks-iam-auth-test-apiserver',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'pipe' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer (\S+)$/.exec(header);
  return match?.[1];
}

async function authenticate(
  req: IncomingMessage,
  review: HttpsApiServerOptions['review'],
): Promise<ReviewedUser | undefined> {
  const token = bearerToken(req);
  if (token === undefined) return undefined;
  const answer = await review({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token },
  });
  const status = (answer.body as { status?: { authenticated?: boolean; user?: ReviewedUser } })
    ?.status;
  return answer.status === 200 && status?.authenticated === true ? status.user : undefined;
}

/** Read and discard a request body (no route here needs one). */
async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // discard
  }
}

/** Start the server on an ephemeral loopback port. */
export async function startHttpsApiServer(options: HttpsApiServerOptions): Promise<HttpsApiServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-apiserver-'));
  const { key, cert, certFile } = selfSignedCertificate(dir);
  const requests: SeenRequest[] = [];
  let address = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const token = bearerToken(req);
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      hadToken: token !== undefined,
      tokenSha256:
        token === undefined ? undefined : createHash('sha256').update(token).digest('hex'),
      user: undefined,
      status: 0,
    };
    requests.push(seen);
    await drain(req);
    const user = await authenticate(req, options.review).catch(() => undefined);
    seen.user = user;
    const answer = (status: number, value: unknown): void => {
      seen.status = status;
      sendJson(res, status, value);
    };
    if (user === undefined) return answer(401, UNAUTHORIZED);
    if (req.method === 'GET' && url.pathname === '/api') {
      return answer(200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }],
      });
    }
    if (req.method === 'GET' && url.pathname === '/version') {
      return answer(200, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-eks-iam-auth-test',
        platform: 'linux/amd64',
      });
    }
    if (
      req.method === 'POST' &&
      url.pathname === '/apis/authentication.k8s.io/v1/selfsubjectreviews'
    ) {
      // kubectl may send protobuf; the answer's version is the path's.
      return answer(201, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
        metadata: { creationTimestamp: null },
        status: { userInfo: user },
      });
    }
    return answer(404, { ...UNAUTHORIZED, message: 'not found', reason: 'NotFound', code: 404 });
  };

  const server = createServer({ key, cert }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { message: 'internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `https://${address}`,
    caFile: certFile,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
