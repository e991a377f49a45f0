/**
 * Identity lookups against their floor (SPEC 8): `mapIdentity` and
 * `resolveIdentity` per second on 10 and 10,000 entries, next to the least
 * any lookup must do — one `Map.get` on the lower-cased canonical ARN plus
 * one template render — and `canonicalizeArn` alone. Target: each lookup
 * within 4× the floor's time.
 *
 * @module
 */
import { canonicalizeArn, mapIdentity, parseAccessEntries, parseAwsAuth } from 'eks-iam-auth';
import type { AccessEntries, AwsAuth, ResolveIdentityOptions } from 'eks-iam-auth';
import { resolveIdentity } from 'eks-iam-auth';
import { account, awsAuthYaml, identities } from './aws-auth-fixture.js';
import { compareThroughput } from './harness.js';
import type { Subject, ThroughputOptions } from './harness.js';
import { formatRate, formatRatio, verdict } from './report.js';
import type { Row, Section } from './report.js';

/** Entry counts measured. */
export const LOOKUP_SIZES: readonly number[] = [10, 10_000];

/** The target: a lookup may take at most this many times the floor's time. */
const TARGET = 4;

/** What the floor knows of an entry: its username and group templates. */
interface FloorEntry {
  readonly username: string;
  readonly groups: readonly string[];
}

/** The floor's caller: everything a lookup reads, worked out before timing. */
interface FloorCaller {
  readonly canonicalArn: string;
  readonly accountId: string;
  readonly sessionName: string;
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** One template render: a single regex pass, as small as rendering gets. */
function render(template: string, caller: FloorCaller): string {
  return template.replace(PLACEHOLDER, (raw, name: string) =>
    name === 'AccountID'
      ? caller.accountId
      : name === 'SessionName'
        ? caller.sessionName.replaceAll('@', '-')
        : raw,
  );
}

/** The floor: one `Map.get` on the lower-cased canonical ARN, then render the entry. */
function floorLookup(
  table: ReadonlyMap<string, FloorEntry>,
  caller: FloorCaller,
): { username: string; groups: string[] } | null {
  const entry = table.get(caller.canonicalArn.toLowerCase());
  if (entry === undefined) return null;
  return {
    username: render(entry.username, caller),
    groups: entry.groups.map((g) => render(g, caller)),
  };
}

function floorTable(awsAuth: AwsAuth): Map<string, FloorEntry> {
  const table = new Map<string, FloorEntry>();
  for (const e of awsAuth.mapRoles)
    if (e.roleArn !== undefined) table.set(e.roleArn.toLowerCase(), e);
  for (const e of awsAuth.mapUsers) table.set(e.userArn.toLowerCase(), e);
  return table;
}

/**
 * Access entries for the even (role) entries of the fixture, the same
 * username and groups as their aws-auth entries: under
 * `API_AND_CONFIG_MAP` roles are answered by their access entry, users by
 * aws-auth after the access entries miss.
 */
function accessEntriesFor(size: number): AccessEntries {
  const accessEntries = [];
  for (let i = 0; i < size; i += 2) {
    accessEntries.push({
      principalArn: `arn:aws:iam::${account(i)}:role/bench-role-${i}`,
      type: 'STANDARD',
      username: 'bench:{{AccountID}}:{{SessionName}}',
      kubernetesGroups: [`team-${i % 10}`, 'bench:authenticated'],
    });
  }
  return parseAccessEntries({ accessEntries });
}

/** Every subject must give the floor's answer before anything is timed. */
async function sanityCheck(
  size: number,
  list: readonly string[],
  callers: readonly FloorCaller[],
  table: ReadonlyMap<string, FloorEntry>,
  awsAuth: AwsAuth,
  resolveOptions: ResolveIdentityOptions,
): Promise<void> {
  for (const [k, arn] of list.entries()) {
    const want = floorLookup(table, callers[k] as FloorCaller);
    const mapped = await mapIdentity(awsAuth, arn);
    const resolved = await resolveIdentity(arn, resolveOptions);
    for (const [name, got] of [
      ['mapIdentity', mapped],
      ['resolveIdentity', resolved],
    ] as const) {
      if (
        JSON.stringify(got && [got.username, got.groups]) !==
        JSON.stringify(want && [want.username, want.groups])
      ) {
        throw new Error(`${name} on ${size} entries disagrees with the floor for ${arn}`);
      }
    }
  }
}

/** Run the lookup benchmark. */
export async function benchLookup(options: ThroughputOptions): Promise<Section> {
  const subjects: Subject[] = [];
  for (const size of LOOKUP_SIZES) {
    // 10,000 entries are more than one ConfigMap holds (1 MiB): raise the bound.
    const awsAuth = parseAwsAuth(awsAuthYaml(size), { maxInputLength: 4 * 1024 * 1024 });
    const resolveOptions: ResolveIdentityOptions = {
      authenticationMode: 'API_AND_CONFIG_MAP',
      accessEntries: accessEntriesFor(size),
      awsAuth,
    };
    const list = identities(size);
    const callers = list.map((arn): FloorCaller => {
      const c = canonicalizeArn(arn);
      return {
        canonicalArn: c.canonicalArn,
        accountId: c.accountId,
        sessionName: c.sessionName ?? '',
      };
    });
    const table = floorTable(awsAuth);
    await sanityCheck(size, list, callers, table, awsAuth, resolveOptions);
    let f = 0;
    let m = 0;
    let r = 0;
    subjects.push(
      { name: `floor ${size}`, fn: () => floorLookup(table, callers[f++ & 1023] as FloorCaller) },
      { name: `mapIdentity ${size}`, fn: () => mapIdentity(awsAuth, list[m++ & 1023] as string) },
      {
        name: `resolveIdentity ${size}`,
        fn: () => resolveIdentity(list[r++ & 1023] as string, resolveOptions),
      },
    );
  }
  const arns = identities(10);
  let c = 0;
  subjects.push({ name: 'canonicalizeArn', fn: () => canonicalizeArn(arns[c++ & 1023] as string) });

  // Lookups only compute: timed by CPU time, so other work on the machine does not skew them.
  const results = await compareThroughput(subjects, { ...options, clock: 'cpu' });
  const rate = (name: string): number => {
    const found = results.find((x) => x.name === name);
    if (found === undefined) throw new Error(`missing result ${name}`);
    return found.opsPerSec;
  };

  const rows: Row[] = [];
  const notes: string[] = [];
  for (const size of LOOKUP_SIZES) {
    const floor = rate(`floor ${size}`);
    const entries = size.toLocaleString('en-US');
    for (const api of ['mapIdentity', 'resolveIdentity'] as const) {
      const ours = rate(`${api} ${size}`);
      const slowdown = floor / ours;
      rows.push({
        what: `${api}, ${entries} entries`,
        value: formatRate(ours, 'lookups/s'),
        versus: `floor ${formatRate(floor, 'lookups/s')}`,
        ratio: `${formatRatio(slowdown)} the floor's time`,
        target: `≤ ${TARGET}× the floor’s time`,
        verdict: verdict(slowdown <= TARGET),
      });
      if (slowdown > TARGET) {
        notes.push(
          `${api} on ${entries} entries misses the ${TARGET}× target by` +
            ` ${((slowdown / TARGET - 1) * 100).toFixed(0)}%` +
            ` (${(1e6 / ours - (TARGET * 1e6) / floor).toFixed(2)} µs per lookup too many).`,
        );
      }
    }
  }
  const canonical = rate('canonicalizeArn');
  rows.push({
    what: 'canonicalizeArn alone',
    value: `${(1e6 / canonical).toFixed(2)} µs per ARN`,
    versus: `floor (10 entries) ${(1e6 / rate('floor 10')).toFixed(2)} µs per lookup`,
    ratio: `${formatRatio(rate('floor 10') / canonical)} the floor's time`,
    target: '—',
    verdict: 'info',
  });
  return {
    title: 'Identity lookups against the floor',
    method:
      'The aws-auth fixture of the mapping section at 10 and 10,000 entries, parsed once.' +
      ' `mapIdentity(awsAuth, arn)` and `resolveIdentity(arn, options)` are called with ARN' +
      ' strings cycling through the same 1,024 seeded identities, each call awaited;' +
      ' `resolveIdentity` runs under `API_AND_CONFIG_MAP` with an access entry for every role' +
      ' (roles are answered by access entries, users by aws-auth after the access entries miss).' +
      ' The floor is the least a lookup can do: given the canonical ARN, account and session name' +
      ' worked out before timing, one `Map.get` on the lower-cased canonical ARN and one regex' +
      ' pass rendering the username and groups. Every subject gives the floor’s answer for every' +
      ' identity before timing. All subjects run interleaved in one process, timed by the' +
      ' process’s CPU time (`process.cpuUsage()`): every subject only computes, and time spent' +
      ' waiting for a core on a shared machine is no subject’s.',
    rows,
    notes: [
      ...notes,
      'The floor does not read the ARN at all; a lookup from an ARN string has to parse and' +
        ' canonicalize it (the last row), check its arguments and return a fresh, complete answer.',
    ],
  };
}
