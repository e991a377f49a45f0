/**
 * botocore's STS endpoint data (`test/fixtures/sts-fips/`): which regions
 * have an `sts-fips` host, and what each FIPS variant is called.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './vectors.js';

interface Variant {
  hostname: string;
  tags: string[];
}
interface EndpointEntry {
  hostname?: string;
  deprecated?: boolean;
  variants?: Variant[];
}
/** One partition of the extract. */
export interface BotocoreStsPartition {
  partition: string;
  dnsSuffix: string;
  sts?: { endpoints: Record<string, EndpointEntry>; defaults?: { variants?: Variant[] } };
}

/** The extract's partitions. */
export function loadBotocoreStsEndpoints(): BotocoreStsPartition[] {
  const file = path.join(repoRoot, 'test/fixtures/sts-fips/botocore-sts-endpoints.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { partitions: BotocoreStsPartition[] })
    .partitions;
}

/** Each region's FIPS hostname (the variant tagged `fips` alone), by partition. */
export function botocoreStsFipsHosts(): { partition: string; region: string; host: string }[] {
  return loadBotocoreStsEndpoints().flatMap((p) =>
    Object.entries(p.sts?.endpoints ?? {}).flatMap(([region, entry]) =>
      (entry.variants ?? [])
        .filter((v) => v.tags.length === 1 && v.tags[0] === 'fips')
        .map((v) => ({ partition: p.partition, region, host: v.hostname })),
    ),
  );
}

/** The regions botocore gives an `sts-fips.<region>` host. */
export function botocoreStsFipsRegions(): string[] {
  return botocoreStsFipsHosts()
    .filter((h) => h.host.startsWith('sts-fips.'))
    .map((h) => h.region);
}
