/**
 * examples/webhook metrics: the Go authenticator's `StsRegion` label
 * (pkg/metrics/metrics.go, pkg/token/token.go:712-719, 793-807 at 81b1daba)
 * stays bounded. A token names its STS host, and a host for an invented
 * region (`sts.us-madeup-9.amazonaws.com`) costs nothing to make: each such
 * name used to become a new label value, so a time series per request.
 */
import type { VerifyEvent } from 'eks-iam-auth';
import { describe, expect, it } from 'vitest';
import {
  MAX_STS_REGION_LABELS,
  UNKNOWN_STS_REGION,
  WebhookMetrics,
} from '../../examples/webhook/metrics.js';

function event(stsHost: string, fields: Partial<VerifyEvent> = {}): VerifyEvent {
  return { type: 'verify', result: 'sts_error', cached: false, durationMs: 1, stsHost, ...fields };
}

/** Every `StsRegion` value in the metrics text. */
async function regionLabels(metrics: WebhookMetrics): Promise<Set<string>> {
  const text = await metrics.text();
  return new Set([...text.matchAll(/StsRegion="([^"]*)"/g)].map((m) => m[1] as string));
}

async function value(metrics: WebhookMetrics, line: string): Promise<number | undefined> {
  const found = (await metrics.text()).split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('StsRegion label values are bounded', () => {
  it('1,000 tokens for invented regions that no endpoint answers: one "unknown" series', async () => {
    const metrics = new WebhookMetrics();
    for (let i = 0; i < 1000; i++) metrics.verifyEvent(event(`sts.us-madeup-${i}.amazonaws.com`));
    expect(await regionLabels(metrics)).toEqual(new Set([UNKNOWN_STS_REGION]));
    expect(
      await value(
        metrics,
        `aws_iam_authenticator_sts_connection_failures_total{StsRegion="${UNKNOWN_STS_REGION}"}`,
      ),
    ).toBe(1000);
  });

  it.each<[string, string, Partial<VerifyEvent>, string | undefined, string]>([
    ['the legacy global endpoint', 'sts.amazonaws.com', {}, undefined, 'global'],
    [
      'the server region, before STS ever answered',
      'sts.eu-west-1.amazonaws.com',
      {},
      'eu-west-1',
      'eu-west-1',
    ],
    [
      'a region whose endpoint answered',
      'sts.ap-south-1.amazonaws.com',
      { result: 'success', stsStatus: 200 },
      undefined,
      'ap-south-1',
    ],
    [
      'a FIPS dual-stack host: its region',
      'sts-fips.us-east-2.api.aws',
      { result: 'sts_error', stsStatus: 503 },
      undefined,
      'us-east-2',
    ],
    [
      'a region no endpoint answered yet',
      'sts.ca-west-1.amazonaws.com',
      {},
      undefined,
      UNKNOWN_STS_REGION,
    ],
  ])('%s: %s', async (_name, host, fields, ownRegion, label) => {
    const metrics = new WebhookMetrics({ region: ownRegion });
    metrics.verifyEvent(event(host, fields));
    expect(await regionLabels(metrics)).toEqual(new Set([label]));
  });

  it('a region that answered once keeps its label for its later connection failures', async () => {
    const metrics = new WebhookMetrics();
    metrics.verifyEvent(
      event('sts.us-west-2.amazonaws.com', { result: 'success', stsStatus: 200 }),
    );
    metrics.verifyEvent(event('sts.us-west-2.amazonaws.com'));
    expect(
      await value(
        metrics,
        'aws_iam_authenticator_sts_connection_failures_total{StsRegion="us-west-2"}',
      ),
    ).toBe(1);
  });

  it(`even a fetch that answers for any host makes at most ${MAX_STS_REGION_LABELS} region values`, async () => {
    const metrics = new WebhookMetrics();
    for (let i = 0; i < 500; i++) {
      metrics.verifyEvent(
        event(`sts.us-madeup-${i}.amazonaws.com`, { result: 'success', stsStatus: 200 }),
      );
    }
    const labels = await regionLabels(metrics);
    expect(labels.size).toBe(MAX_STS_REGION_LABELS + 1);
    expect(labels.has(UNKNOWN_STS_REGION)).toBe(true);
  });
});
