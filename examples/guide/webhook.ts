/**
 * Guide §2.4: the heart of a TokenReview webhook. A complete server (the Go
 * authenticator's endpoints, sources and metrics) is examples/webhook/.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  createEC2PrivateDNSNameResolver,
  isEksAuthError,
  parseAwsAuth,
  reviewToken,
} from 'eks-iam-auth';

// Parse once at start (and again when the file changes), never per request.
const awsAuth = parseAwsAuth(readFileSync('aws-auth.yaml', 'utf8'));
const resolveEC2PrivateDNSName = createEC2PrivateDNSNameResolver({ region: 'us-west-2' });

// Bound every connection: one that sends nothing is answered 408 and closed.
const limits = { headersTimeout: 10_000, requestTimeout: 30_000 };

createServer(limits, async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/authenticate') {
    res.writeHead(404).end();
    return;
  }
  let request = '';
  for await (const chunk of req) {
    request += String(chunk);
    if (request.length > 1 << 20) {
      res.writeHead(413).end();
      return;
    }
  }
  // Never throws: every outcome is a status and a TokenReview body.
  const { status, body, error, identity } = await reviewToken(request, {
    clusterId: 'demo',
    region: 'us-west-2',
    awsAuth,
    resolveEC2PrivateDNSName,
    timeout: 5_000, // answer 503 yourself before the API server gives up on you
  });
  if (status !== 200) {
    // For your logs only; the body says just enough (and never the token).
    // `identity`: who STS vouched for, when the refusal came after that.
    console.warn(
      JSON.stringify({
        status,
        reason: isEksAuthError(error) ? `${error.code} ${error.message}` : body.status.error,
        arn: identity?.arn,
      }),
    );
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}).listen(21362);
