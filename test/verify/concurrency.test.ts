/**
 * 1,000 verifications in flight at once against one emulator, with faults
 * mixed in per call: every result is the right identity or the right code,
 * nothing crosses between calls.
 *
 * No outcome here depends on how fast the machine is: every fault is
 * decided by the emulator, not by a deadline (no call has a timeout that
 * could run out while a loaded machine works through 1,000 requests; the
 * timeout is tested in `faults.test.ts` and `retries.test.ts`), and the
 * test's own time limit allows for a slow machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionId } from '../../src/partitions.js';
import { generateToken } from '../../src/token/generate.js';
import { verifyToken } from '../../src/token/verify.js';
import { identityCases, startStsEmulator } from '../support/sts-emulator.js';
import type { FaultKind, StsEmulator } from '../support/sts-emulator.js';

const DATE = new Date('2024-01-15T12:34:56Z');
const CASES = identityCases();
const REGION_OF: Record<string, string> = {
  aws: 'us-east-2',
  'aws-cn': 'cn-northwest-1',
  'aws-us-gov': 'us-gov-east-1',
};

// Per call: [fault, expected code or undefined for success, wrong cluster?]
const MIX: [FaultKind | undefined, string | undefined, boolean][] = [
  [undefined, undefined, false],
  [undefined, undefined, false],
  [undefined, undefined, false],
  ['throttle', 'ERR_STS_THROTTLED', false],
  ['status-503', 'ERR_STS_UNAVAILABLE', false],
  ['redirect', 'ERR_STS_UNAVAILABLE', false],
  ['account-mismatch', 'ERR_STS_RESPONSE_INVALID', false],
  ['oversized-chunked', 'ERR_STS_RESPONSE_INVALID', false],
  ['reset', 'ERR_STS_UNAVAILABLE', false],
  [undefined, 'ERR_STS_REJECTED', true],
  ['delay', undefined, false],
];

let emulator: StsEmulator;
beforeAll(async () => {
  emulator = await startStsEmulator({ now: () => DATE });
});
afterAll(async () => {
  await emulator.close();
});

// setTimeout's largest delay: a call never times out here.
const NO_DEADLINE_MS = 2 ** 31 - 1;

describe('concurrency', () => {
  it('1,000 verifications in flight, faults mixed in', { timeout: 300_000 }, async () => {
    const jobs = await Promise.all(
      Array.from({ length: 1_000 }, async (_, i) => {
        const c = CASES[i % CASES.length]!;
        const [fault, code, wrongCluster] = MIX[i % MIX.length]!;
        const clusterId = `cluster-${i}`;
        const region = REGION_OF[c.partition]!;
        const generated = await generateToken({
          clusterId,
          credentials: emulator.credentialsFor(c.id),
          region,
          signingDate: DATE,
        });
        return { i, c, fault, code, wrongCluster, clusterId, region, token: generated.token };
      }),
    );
    const before = emulator.requests.length;
    const results = await Promise.all(
      jobs.map((job) =>
        verifyToken(job.token, {
          clusterId: job.wrongCluster ? `${job.clusterId}-other` : job.clusterId,
          partition: job.c.partition as PartitionId,
          region: job.region,
          currentDate: DATE,
          retries: 0,
          timeout: NO_DEADLINE_MS,
          fetch:
            job.fault === undefined
              ? emulator.fetch
              : emulator.fetchWith({
                  fault: job.fault === 'delay' ? { kind: 'delay', delayMs: 5 } : job.fault,
                }),
        }).then(
          (identity) => ({ identity, code: undefined as string | undefined }),
          (e: { code?: string }) => ({ identity: undefined, code: e.code ?? String(e) }),
        ),
      ),
    );
    let ok = 0;
    for (const [index, result] of results.entries()) {
      const job = jobs[index]!;
      expect({ i: job.i, code: result.code }).toEqual({ i: job.i, code: job.code });
      if (job.code === undefined) {
        ok++;
        expect(result.identity).toMatchObject({
          arn: job.c.expected.Arn,
          userId: job.c.derivedIdentity.userId,
          accessKeyId: emulator.credentialsFor(job.c.id).accessKeyId,
          partition: job.c.partition,
        });
      }
    }
    expect(ok).toBeGreaterThan(300);
    // One STS request per verification (retries: 0), each with its own cluster id.
    const seen = emulator.requests.slice(before);
    expect(seen).toHaveLength(1_000);
    expect(new Set(seen.map((r) => r.clusterId)).size).toBe(1_000);
  });
});
