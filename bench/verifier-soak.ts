/**
 * The verifier's memory soak (SPEC 3.6: "memory stays flat whatever the
 * traffic"): 1,000,000 verifications of 100,000 distinct tokens with
 * `cache.maxEntries: 10,000`, through the built package, against an
 * in-process fake STS (so the soak measures the verifier, not HTTP). The
 * loop itself is `test/verifier/soak.ts`, which the test suite runs at a
 * tenth of the size.
 *
 * @module
 */
import { createVerifier } from 'eks-iam-auth';
import { runVerifierSoak } from '../test/verifier/soak.js';
import { formatBytes, formatRate, verdict } from './report.js';
import type { Section } from './report.js';

/** Growth allowed over the whole soak before it counts as a leak. */
const NOISE_BYTES = 2_000_000;
const MAX_ENTRIES = 10_000;

/** Run the soak: `verifications` calls over `distinct` tokens. */
export async function benchVerifierSoak(verifications: number, distinct: number): Promise<Section> {
  const result = await runVerifierSoak(createVerifier, {
    verifications,
    distinct,
    maxEntries: MAX_ENTRIES,
    samples: 10,
    inFlight: 64,
  });
  const heaps = result.samples.map((s) => s.heapUsed);
  const first = heaps[0] ?? 0;
  const last = heaps[heaps.length - 1] ?? 0;
  const growth = last - first;
  const { stats } = result;
  return {
    title: 'Verifier memory soak',
    method:
      `${verifications.toLocaleString('en-US')} \`verifier.verify\` calls (64 in flight) over` +
      ` ${distinct.toLocaleString('en-US')} distinct tokens in a fixed pseudo-random order, with` +
      ` \`cache.maxEntries: ${MAX_ENTRIES.toLocaleString('en-US')}\`, against an in-process fake` +
      ' STS that answers at once (test/verifier/fake-sts.ts). `heapUsed` after two forced' +
      ` collections, sampled ${result.samples.length - 1} times after a warm-up that fills the` +
      ' cache; the 100,000 token strings themselves are on the heap throughout.',
    rows: [
      {
        what: 'heapUsed after warm-up → at the end',
        value: `${formatBytes(first)} → ${formatBytes(last)}`,
        versus: '—',
        ratio: `${(growth / verifications).toFixed(3)} B/verification`,
        target: `growth < ${formatBytes(NOISE_BYTES)}`,
        verdict: verdict(growth < NOISE_BYTES),
      },
      {
        what: 'heapUsed range over the samples',
        value: `${formatBytes(Math.min(...heaps))} – ${formatBytes(Math.max(...heaps))}`,
        versus: '—',
        ratio: '—',
        target: '—',
        verdict: 'info',
      },
      {
        what: 'cache entries, largest sample',
        value: result.maxEntriesSeen.toLocaleString('en-US'),
        versus: '—',
        ratio: '—',
        target: `≤ ${MAX_ENTRIES.toLocaleString('en-US')}`,
        verdict: verdict(result.maxEntriesSeen <= MAX_ENTRIES),
      },
    ],
    notes: [
      `${stats.hits.toLocaleString('en-US')} hits, ${stats.misses.toLocaleString('en-US')} misses,` +
        ` ${stats.coalesced.toLocaleString('en-US')} coalesced;` +
        ` ${result.stsRequests.toLocaleString('en-US')} requests reached the fake STS.`,
      `The soak took ${result.seconds.toFixed(1)} s` +
        ` (${formatRate(verifications / result.seconds, 'verifications/s')}, mostly misses: each` +
        ' miss is a full verifyToken exchange with the fake STS).',
      `Samples (verifications: heapUsed, entries): ${result.samples
        .map(
          (s) =>
            `${s.after.toLocaleString('en-US')}: ${formatBytes(s.heapUsed)}, ${s.entries.toLocaleString('en-US')}`,
        )
        .join('; ')}.`,
    ],
  };
}
