/**
 * The AWS SDK's partition data, as `@aws-sdk/util-endpoints` uses it, for
 * tests that check the package's hand-kept copies (`src/partitions.ts`,
 * `src/sts/regions.ts`) against it on every run.
 *
 * The SDK exposes `partition(region)` publicly but not the data itself
 * (region list, `regionRegex`), so it is read from the file behind
 * `@aws-sdk/core/client`; if the SDK moves it, loading throws and says so.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** One partition of the SDK's `partitions.json`. */
export interface SdkPartition {
  id: string;
  regionRegex: string;
  regions: Record<string, { description?: string }>;
  outputs: { name: string; dnsSuffix: string; dualStackDnsSuffix: string };
}

/** The SDK's partitions, in its order. */
export function loadSdkPartitions(): SdkPartition[] {
  const require = createRequire(import.meta.url);
  const coreRoot = path.dirname(require.resolve('@aws-sdk/core/package.json'));
  const file = path.join(
    coreRoot,
    'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
  );
  const source = readFileSync(file, 'utf8');
  const prefix = 'export const partitionsInfo = ';
  if (!source.startsWith(prefix)) throw new Error(`unexpected layout of ${file}`);
  const json = source.slice(prefix.length).trim().replace(/;$/, '');
  return (JSON.parse(json) as { partitions: SdkPartition[] }).partitions;
}

/** The real regions of an SDK partition (the `*-global` entries are endpoint aliases, not regions). */
export function sdkRegionsOf(partition: SdkPartition): string[] {
  return Object.keys(partition.regions).filter((r) => !r.endsWith('-global'));
}
