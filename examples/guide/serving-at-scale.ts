/**
 * Guide §2.6: one long-lived verifier per server. Repeated tokens are
 * answered from its cache, concurrent identical calls share one STS request,
 * STS requests are capped and backed off after throttling, and every call
 * reports an event with the Go authenticator's result labels.
 */
import { subscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import {
  StsThrottledError,
  VERIFY_CHANNEL,
  createVerifier,
  parseAwsAuth,
  reviewToken,
} from 'eks-iam-auth';
import type { VerifyEvent } from 'eks-iam-auth';

const counts = new Map<string, number>();

const verifier = createVerifier({
  clusterId: 'demo',
  region: 'us-west-2',
  timeout: 5_000,
  cache: { maxEntries: 10_000, ttl: 120, negativeTtl: 10 }, // the defaults
  maxConcurrentStsRequests: 64,
  maxQueue: 1024,
  onEvent(event) {
    // e.g. aws_iam_authenticator_authenticate_latency_seconds{result}
    const label = `${event.result}${event.cached ? ' (cached)' : ''}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  },
});

// The same events, for any subscriber in the process (APM agents, loggers).
subscribe(VERIFY_CHANNEL, (message) => {
  const event = message as VerifyEvent;
  if (event.result === 'sts_throttling') console.warn(`STS throttling at ${event.stsHost}`);
});

const awsAuth = parseAwsAuth({
  mapUsers: '- userarn: arn:aws:iam::123456789012:user/Alice\n  username: alice\n',
});

createServer(async (req, res) => {
  let request = '';
  for await (const chunk of req) request += chunk;
  // The verifier's own options apply; reviewToken maps and builds the answer.
  const { status, body, error } = await reviewToken(request, { verifier, awsAuth });
  // While the verifier backs off a throttling STS host it says until when.
  if (error instanceof StsThrottledError && error.retryAt !== undefined) {
    const seconds = Math.ceil((error.retryAt.getTime() - Date.now()) / 1000);
    res.setHeader('retry-after', String(Math.max(1, seconds)));
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}).listen(21362);

setInterval(() => console.log(verifier.stats(), Object.fromEntries(counts)), 60_000).unref();
