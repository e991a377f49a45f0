/**
 * The memory soak's child process (run by bench/soak.ts under
 * `node --expose-gc --import tsx`): generate, parse and map `iterations`
 * times in one loop, sampling `heapUsed` after forced collections, and print
 * the samples as one JSON line on standard output.
 *
 * @module
 */
import type * as Library from 'eks-iam-auth';
import type { AwsCredentials } from 'eks-iam-auth';
import { awsAuthYaml, identities } from './aws-auth-fixture.js';
import { DIST_ENV } from './soak-protocol.js';
import type { SoakSamples } from './soak-protocol.js';

// The runner's private copy of dist/ when it passes one, else the package.
const { generateToken, mapIdentity, parseAwsAuth, parseToken } = (await import(
  process.env[DIST_ENV] ?? 'eks-iam-auth'
)) as typeof Library;

const gc = (globalThis as { gc?: () => void }).gc;

function collect(): number {
  if (!gc) throw new Error('run with --expose-gc');
  // Two passes: the first may only promote what the second frees.
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 1_000_000);
  const sampleEvery = Math.max(1, Math.floor(iterations / 10));
  const credentials: AwsCredentials = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  };
  const awsAuth = parseAwsAuth(awsAuthYaml(1_000));
  const arns = identities(1_000);
  let checksum = 0;
  const step = async (i: number): Promise<void> => {
    const generated = await generateToken({ clusterId: 'demo', region: 'us-west-2', credentials });
    const parsed = parseToken(generated.token);
    const mapping = await mapIdentity(awsAuth, arns[i & 1023] as string);
    checksum += parsed.host.length + (mapping?.groups.length ?? 0);
  };
  // Warm-up: fill caches, tier up the JIT, so the first sample is steady state.
  for (let i = 0; i < 20_000; i++) await step(i);
  const samples: [number, number][] = [[0, collect()]];
  const start = performance.now();
  for (let i = 1; i <= iterations; i++) {
    await step(i);
    if (i % sampleEvery === 0) samples.push([i, collect()]);
  }
  const seconds = (performance.now() - start) / 1000;
  if (checksum === 0) throw new Error('nothing was computed');
  const result: SoakSamples = { iterations, samples, seconds };
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
