/**
 * `createVerifier` (SPEC 8): a warm-cache `verifier.verify` next to
 * `verifyToken` and a bare `fetch` of the same URL against the loopback STS
 * emulator, the cache hit next to its floor (a `Map` lookup keyed by
 * `parseToken`'s URL), and the STS request counts SPEC 8 requires: 10,000
 * concurrent verifications of one token make 1 request; 1,000,000
 * verifications over 1,000 distinct tokens make 1,000.
 *
 * @module
 */
import { createVerifier, generateToken, parseToken, verifyToken } from 'eks-iam-auth';
import type { VerifiedIdentity } from 'eks-iam-auth';
import { startStsEmulator } from '../test/support/sts-emulator.js';
import type { StsEmulator } from '../test/support/sts-emulator.js';
import { countingFetch } from '../test/verifier/fake-sts.js';
import { soakToken } from '../test/verifier/soak.js';
import { compareConcurrent, compareLatency } from './harness.js';
import { formatMs, formatRate, formatRatio, verdict } from './report.js';
import type { Row, Section } from './report.js';

/** How much work the verifier benchmark does. */
export interface VerifierBenchOptions {
  /** Sequential calls per subject for the network latency percentiles. */
  latencySamples: number;
  /** Sequential calls per subject for the cache-hit latency percentiles. */
  hitSamples: number;
  /** Calls per round at 64 in flight. */
  concurrentTotal: number;
  /** Rounds at 64 in flight. */
  concurrentRounds: number;
  /** Verifications spread over the 1,000 distinct tokens (SPEC 8: 1,000,000). */
  volume: number;
}

const IN_FLIGHT = 64;
const CONCURRENT_SAME_TOKEN = 10_000;
const DISTINCT_TOKENS = 1_000;
const CLUSTER = 'demo';
const REGION = 'us-west-2';

/**
 * 1,000 tokens the emulator accepts, one per extra access key it is given
 * (same principal, distinct keys, so distinct signatures and URLs).
 */
async function distinctSignedTokens(emulator: StsEmulator, signingDate: Date): Promise<string[]> {
  const base = emulator.credentialsFor('iam-user');
  const tokens: string[] = [];
  for (let i = 0; i < DISTINCT_TOKENS; i++) {
    const accessKeyId = `AKIABENCH${i.toString().padStart(11, '0')}`;
    emulator.addPrincipal({
      accessKeyId,
      secretAccessKey: base.secretAccessKey,
      caseId: 'iam-user',
    });
    const generated = await generateToken({
      clusterId: CLUSTER,
      region: REGION,
      credentials: { accessKeyId, secretAccessKey: base.secretAccessKey },
      signingDate,
    });
    tokens.push(generated.token);
  }
  return tokens;
}

/** Complete `total` calls of `fn(i)` with `inFlight` lanes. */
async function drive(
  total: number,
  inFlight: number,
  fn: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total) await fn(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Run the verifier benchmark. */
export async function benchVerifier(options: VerifierBenchOptions): Promise<Section> {
  const { token, now } = soakToken();
  const emulator = await startStsEmulator({ now: () => now });
  try {
    const fetch = emulator.fetch;
    const url = parseToken(token).url;
    // A new verifier with the default cache, on the bench's clock.
    const fresh = (through: typeof fetch): ReturnType<typeof createVerifier> =>
      createVerifier({ clusterId: CLUSTER, region: REGION, currentDate: now, fetch: through });
    const verifier = fresh(fetch);
    const warm = (): Promise<VerifiedIdentity> => verifier.verify(token);
    const direct = (): Promise<VerifiedIdentity> =>
      verifyToken(token, { clusterId: CLUSTER, region: REGION, currentDate: now, fetch });
    const bare = async (): Promise<string> => {
      const response = await fetch(url, {
        headers: { 'x-k8s-aws-id': CLUSTER, accept: 'application/json' },
        redirect: 'manual',
      });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`emulator answered ${response.status}`);
      return body;
    };
    // The floor of a cache hit: parse the token (which every hit must do:
    // the structure and clock checks are never cached) and look its URL up
    // in a Map. Async like verify, so both pay one await.
    const floorMap = new Map<string, VerifiedIdentity>([[url, await warm()]]);
    const floor = async (): Promise<VerifiedIdentity | undefined> =>
      floorMap.get(parseToken(token).url);

    // Everything must succeed before it is timed.
    const identity = await direct();
    if (identity.arn !== 'arn:aws:iam::123456789012:user/Alice') {
      throw new Error(`verifyToken returned an unexpected identity: ${identity.arn}`);
    }
    await bare();
    if ((await floor()) === undefined) throw new Error('the floor missed');

    const [warmLatency, directLatency, bareLatency] = await compareLatency(
      [
        { name: 'verifier.verify (warm)', fn: warm },
        { name: 'verifyToken', fn: direct },
        { name: 'bare fetch', fn: bare },
      ],
      options.latencySamples,
      Math.min(500, options.latencySamples),
    );
    const [hitLatency, floorLatency] = await compareLatency(
      [
        { name: 'cache hit', fn: warm },
        { name: 'Map + parseToken', fn: floor },
      ],
      options.hitSamples,
      Math.min(2_000, options.hitSamples),
    );
    const [warmRate, directRate, bareRate] = await compareConcurrent(
      [
        { name: 'verifier.verify (warm)', fn: warm },
        { name: 'verifyToken', fn: direct },
        { name: 'bare fetch', fn: bare },
      ],
      { total: options.concurrentTotal, inFlight: IN_FLIGHT, rounds: options.concurrentRounds },
    );
    if (
      !warmLatency ||
      !directLatency ||
      !bareLatency ||
      !hitLatency ||
      !floorLatency ||
      !warmRate ||
      !directRate ||
      !bareRate
    ) {
      throw new Error('missing results');
    }

    // SPEC 8: STS requests for 10,000 concurrent verifications of one token.
    const sameFetch = countingFetch(fetch);
    const cold = fresh(sameFetch);
    await Promise.all(Array.from({ length: CONCURRENT_SAME_TOKEN }, () => cold.verify(token)));

    // SPEC 8: STS requests for `volume` verifications over 1,000 distinct tokens.
    const tokens = await distinctSignedTokens(emulator, new Date(now.getTime() - 30_000));
    const volumeFetch = countingFetch(fetch);
    const serving = fresh(volumeFetch);
    const volumeStarted = performance.now();
    await drive(options.volume, IN_FLIGHT, (i) =>
      serving.verify(tokens[(i * 7919) % DISTINCT_TOKENS] as string),
    );
    const volumeSeconds = (performance.now() - volumeStarted) / 1000;
    const volumeStats = serving.stats();

    const hitRatio = hitLatency.p50 / floorLatency.p50;
    const rows: Row[] = [
      {
        what: 'cache hit p50 (verifier.verify, warm)',
        value: formatMs(hitLatency.p50),
        versus: `Map lookup + parseToken ${formatMs(floorLatency.p50)}`,
        ratio: formatRatio(hitRatio),
        target: '≤ 2× the floor',
        verdict: verdict(hitRatio <= 2),
      },
      {
        what: 'cache hit p90 / p99',
        value: `${formatMs(hitLatency.p90)} / ${formatMs(hitLatency.p99)}`,
        versus: `floor ${formatMs(floorLatency.p90)} / ${formatMs(floorLatency.p99)}`,
        ratio: '—',
        target: '—',
        verdict: 'info',
      },
      {
        what: 'verifier.verify p50 (warm) vs verifyToken, sequential',
        value: formatMs(warmLatency.p50),
        versus: `verifyToken ${formatMs(directLatency.p50)}`,
        ratio: formatRatio(warmLatency.p50 / directLatency.p50),
        target: '—',
        verdict: 'info',
      },
      {
        what: 'verifier.verify p50 (warm) vs a bare fetch, sequential',
        value: formatMs(warmLatency.p50),
        versus: `bare fetch ${formatMs(bareLatency.p50)}`,
        ratio: formatRatio(warmLatency.p50 / bareLatency.p50),
        target: '—',
        verdict: 'info',
      },
      {
        what: `throughput, ${IN_FLIGHT} in flight: verifier.verify (warm)`,
        value: formatRate(warmRate.opsPerSec, 'verifications/s'),
        versus:
          `verifyToken ${formatRate(directRate.opsPerSec, 'verifications/s')};` +
          ` bare fetch ${formatRate(bareRate.opsPerSec, 'requests/s')}`,
        ratio: `${formatRatio(warmRate.opsPerSec / directRate.opsPerSec)} verifyToken`,
        target: '—',
        verdict: 'info',
      },
      {
        what: `STS requests for ${CONCURRENT_SAME_TOKEN.toLocaleString('en-US')} concurrent verifications of one token`,
        value: sameFetch.count.toLocaleString('en-US'),
        versus: '—',
        ratio: '—',
        target: '= 1',
        verdict: verdict(sameFetch.count === 1),
      },
      {
        what:
          `STS requests for ${options.volume.toLocaleString('en-US')} verifications over` +
          ` ${DISTINCT_TOKENS.toLocaleString('en-US')} distinct tokens`,
        value: volumeFetch.count.toLocaleString('en-US'),
        versus: '—',
        ratio: '—',
        target: `= ${DISTINCT_TOKENS.toLocaleString('en-US')}`,
        verdict: verdict(volumeFetch.count === DISTINCT_TOKENS),
      },
    ];
    return {
      title: 'Serving at scale: createVerifier',
      method:
        'One long-lived `createVerifier` on the botocore vector token (`AKIDEXAMPLE` → IAM user' +
        ' Alice), `fetch` routed to the loopback STS emulator, fixed `currentDate` one minute after' +
        ' signing. "Warm" means the token is already cached, so a call is the local checks' +
        ' (parseToken, host policy, clock), the SHA-256 cache key and the lookup. Its floor is an' +
        ' async function doing `map.get(parseToken(token).url)` on a one-entry `Map`: the least a' +
        ' safe cache can do, since the structure and clock checks are never cached. verifyToken and' +
        ' the bare `fetch` pay the emulator round trip every call. The request counts come from a' +
        ' counting `fetch` in front of the emulator, with fresh verifiers and the default cache.',
      rows,
      notes: [
        'What a hit adds to its floor: the SHA-256 of the cache key (the cache holds hashes, never' +
          ' the replayable URL), the host policy and clock checks of verifyToken (rerun on every' +
          ' call so that nothing is served past its token), the LRU touch and a fresh copy of the' +
          ' identity for the caller (so no caller can alter what the next one gets).',
        `Cache-hit latency: ${options.hitSamples.toLocaleString('en-US')} calls per subject,` +
          ' alternating, after a warm-up; network latency: ' +
          `${options.latencySamples.toLocaleString('en-US')} calls per subject; throughput: median` +
          ` of ${options.concurrentRounds} rounds of ${options.concurrentTotal} calls per subject.`,
        `Volume run: ${options.volume.toLocaleString('en-US')} calls, ${IN_FLIGHT} in flight, over` +
          ` ${DISTINCT_TOKENS.toLocaleString('en-US')} tokens each signed with its own access key;` +
          ` ${volumeStats.hits.toLocaleString('en-US')} cache hits,` +
          ` ${volumeStats.coalesced.toLocaleString('en-US')} coalesced,` +
          ` ${volumeStats.misses.toLocaleString('en-US')} misses, in ${volumeSeconds.toFixed(1)} s` +
          ` (${formatRate(options.volume / volumeSeconds, 'verifications/s')}).`,
        `The 10,000 concurrent calls: ${cold.stats().coalesced.toLocaleString('en-US')} joined` +
          ' the one request in flight.',
      ],
    };
  } finally {
    await emulator.close();
  }
}
