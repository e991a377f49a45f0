/**
 * `parseAwsAuth` time and `mapIdentity` lookups per second on `aws-auth`
 * ConfigMaps of 10, 1,000 and 10,000 entries. Lookups must not slow down
 * with size (SPEC 8: index, don't scan).
 *
 * @module
 */
import { mapIdentity, parseAwsAuth } from 'eks-iam-auth';
import type { AwsAuth } from 'eks-iam-auth';
import { account, awsAuthYaml, identities } from './aws-auth-fixture.js';
import { compareThroughput, medianTime } from './harness.js';
import type { ThroughputOptions } from './harness.js';
import { formatMs, formatRate, formatRatio, verdict } from './report.js';
import type { Row, Section } from './report.js';

/** Sizes measured; the first is the baseline the others are compared with. */
export const AWS_AUTH_SIZES: readonly number[] = [10, 1_000, 10_000];

async function sanityCheck(awsAuth: AwsAuth, size: number): Promise<void> {
  if (awsAuth.diagnostics.length > 0) {
    throw new Error(
      `aws-auth of ${size} entries has diagnostics: ${awsAuth.diagnostics[0]?.message}`,
    );
  }
  if (awsAuth.mapRoles.length + awsAuth.mapUsers.length !== size) {
    throw new Error(`aws-auth of ${size} entries parsed to another number of entries`);
  }
  const last = size - 1;
  const arn =
    last % 2 === 0
      ? `arn:aws:sts::${account(last)}:assumed-role/bench-role-${last}/alice@example.com`
      : `arn:aws:iam::${account(last)}:user/bench-user-${last}`;
  const mapping = await mapIdentity(awsAuth, arn);
  const expected =
    last % 2 === 0 ? `bench:${account(last)}:alice-example.com` : `bench-user-${last}`;
  if (mapping?.username !== expected) {
    throw new Error(`mapIdentity on ${size} entries gave ${mapping?.username}, not ${expected}`);
  }
  if ((await mapIdentity(awsAuth, `arn:aws:iam::${account(0)}:user/nobody`)) !== null) {
    throw new Error('an unlisted user was mapped');
  }
}

/** Run the aws-auth benchmark. */
export async function benchMap(options: ThroughputOptions): Promise<Section> {
  const parsed: AwsAuth[] = [];
  const parseTimes: number[] = [];
  for (const size of AWS_AUTH_SIZES) {
    const yaml = awsAuthYaml(size);
    // 10,000 entries are more than one ConfigMap holds (1 MiB): raise the bound.
    const options = { maxInputLength: 4 * 1024 * 1024 };
    const awsAuth = parseAwsAuth(yaml, options);
    await sanityCheck(awsAuth, size);
    parsed.push(awsAuth);
    parseTimes.push(await medianTime(() => parseAwsAuth(yaml, options), size >= 10_000 ? 5 : 15));
  }

  const subjects = AWS_AUTH_SIZES.map((size, s) => {
    const awsAuth = parsed[s] as AwsAuth;
    const list = identities(size);
    let k = 0;
    return {
      name: `${size} entries`,
      fn: () => mapIdentity(awsAuth, list[k++ & 1023] as string),
    };
  });
  const lookups = await compareThroughput(subjects, options);
  const base = lookups[0];
  if (!base) throw new Error('missing results');

  const rows: Row[] = [];
  const missed: string[] = [];
  AWS_AUTH_SIZES.forEach((size, s) => {
    const result = lookups[s];
    if (!result) return;
    const ratio = result.opsPerSec / base.opsPerSec;
    rows.push({
      what: `mapIdentity, ${size.toLocaleString('en-US')} entries`,
      value: formatRate(result.opsPerSec, 'lookups/s'),
      versus: s === 0 ? '—' : `10 entries ${formatRate(base.opsPerSec, 'lookups/s')}`,
      ratio: s === 0 ? '—' : formatRatio(ratio),
      target: size === 10_000 ? '≥ 0.5× of 10 entries' : '—',
      verdict: size === 10_000 ? verdict(ratio >= 0.5) : 'info',
    });
    if (size === 10_000 && ratio < 0.5) {
      missed.push(
        `Lookups on 10,000 entries run at ${formatRatio(ratio)} of 10 entries, missing the 0.5×` +
          ` target by ${((1 - ratio / 0.5) * 100).toFixed(0)}%: lookups slow down with size, so` +
          ' something scans instead of indexing.',
      );
    }
  });
  AWS_AUTH_SIZES.forEach((size, s) => {
    const ms = parseTimes[s] as number;
    rows.push({
      what: `parseAwsAuth, ${size.toLocaleString('en-US')} entries (${(awsAuthYaml(size).length / 1024).toFixed(0)} KiB YAML)`,
      value: formatMs(ms),
      versus: '—',
      ratio: '—',
      target: size === 10_000 ? '< 1 s' : '—',
      verdict: size === 10_000 ? verdict(ms < 1000) : 'info',
    });
    if (size === 10_000 && ms >= 1000) {
      missed.push(
        `Parsing 10,000 entries took ${formatMs(ms)}, ${((ms / 1000 - 1) * 100).toFixed(0)}% over the 1 s target.`,
      );
    }
  });
  return {
    title: 'aws-auth mapping',
    method:
      'A ConfigMap manifest of N entries (half `mapRoles` with `{{AccountID}}`/`{{SessionName}}`' +
      ' username templates, half `mapUsers`) is parsed once; `mapIdentity` is then called with' +
      ' ARN strings cycling through 1,024 seeded identities (45% assumed-role sessions, 45% users,' +
      ' 10% unmapped), each call awaited. Parse time is the median of several `parseAwsAuth`' +
      ' calls on the YAML text.',
    rows,
    notes: [
      ...missed,
      'Each lookup includes canonicalizing the ARN and rendering the templates, so the 10-entry' +
        ' figure is the cost of one mapping, not of an empty scan.',
    ],
  };
}
