/**
 * EKS's own code as the oracle. Each case of test/fixtures/go-oracle/ holds a
 * generated hostile ConfigMap, a caller, and what the Go authenticator
 * (kubernetes-sigs/aws-iam-authenticator 81b1daba: ParseMap, saveMap, the
 * ConfigMap mapper, renderTemplate, over go-yaml v2 and sigs.k8s.io/yaml)
 * answered for it; the README there says how they were made. Every case is
 * run through the built package's public exports (parseAwsAuth, then
 * mapIdentity with the case's options) and must give the same outcome
 * (refused, mapped, username, groups, which list matched, the error) and keep
 * the same entries, except where a deviation below says why not.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Package from '../../src/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/go-oracle/', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
/** The oracle's stub for EC2 DescribeInstances (its main.go DefaultEC2PrivateDNSName). */
const EC2_NAME = 'ip-10-0-0-1.ec2.internal';

interface OracleCase {
  id: string;
  tags: string[];
  configMapData?: Record<string, unknown>;
  manifest?: string;
  arn: string;
  accountId?: string;
  sessionName?: string;
  accessKeyId?: string;
  ssoRoleMatch?: boolean;
  ec2PrivateDNSName?: string;
}

interface Outcome {
  mapped: boolean;
  username: string;
  groups: string[] | null;
  matchedBy?: string | null;
  error?: string | null;
}

interface Kept {
  mapRoles: {
    rolearn: string;
    sso: { permissionSetName: string; accountID: string; partition: string } | null;
    username: string;
    groups: string[];
  }[];
  mapUsers: { userarn: string; username: string; groups: string[] }[];
  mapAccounts: string[];
}

interface GoAnswer extends Outcome {
  refused: boolean;
  nondeterministic: boolean;
  alternatives?: Outcome[];
  kept: Kept | null;
}

interface Ours {
  refused: boolean;
  outcome: Outcome;
  kept: Kept | null;
  codes: Set<string>;
}

let pkg: typeof Package;
beforeAll(async () => {
  pkg = (await import(DIST)) as typeof Package;
});

function load(seed: string): { case: OracleCase; go: GoAnswer }[] {
  const text = gunzipSync(readFileSync(path.join(FIXTURES, `seed-${seed}.jsonl.gz`))).toString();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { case: OracleCase; go: GoAnswer });
}

function keptOf(parsed: Package.AwsAuth): Kept {
  return {
    mapRoles: parsed.mapRoles.map((r) => ({
      rolearn: 'roleArn' in r ? (r.roleArn ?? '') : '',
      sso:
        'sso' in r && r.sso !== undefined
          ? {
              permissionSetName: r.sso.permissionSetName,
              accountID: r.sso.accountId,
              // Go keeps the field as written: empty when not given.
              partition: r.sso.partitionWritten === true ? r.sso.partition : '',
            }
          : null,
      username: r.username,
      groups: [...r.groups],
    })),
    mapUsers: parsed.mapUsers.map((u) => ({
      userarn: u.userArn,
      username: u.username,
      groups: [...u.groups],
    })),
    mapAccounts: [...parsed.mapAccounts],
  };
}

async function run(c: OracleCase): Promise<Ours> {
  const input = c.manifest ?? (c.configMapData as Package.AwsAuthInput);
  let parsed: Package.AwsAuth;
  try {
    parsed = pkg.parseAwsAuth(input);
  } catch (error) {
    // Not a ConfigMap at all: kubectl (the oracle's manifest step) refuses it too.
    return {
      refused: true,
      outcome: { mapped: false, username: '', groups: [], error: (error as Error).message },
      kept: null,
      codes: new Set([(error as { code?: string }).code ?? 'thrown']),
    };
  }
  const codes = new Set(parsed.diagnostics.map((d) => d.code ?? ''));
  const refused = parsed.diagnostics.some((d) => d.fatal === true);
  const options = {
    ssoRoleMatch: c.ssoRoleMatch === true,
    ...(c.accessKeyId === undefined ? {} : { accessKeyId: c.accessKeyId }),
    resolveEC2PrivateDNSName: (): string => c.ec2PrivateDNSName ?? EC2_NAME,
    // What EKS does with `<<Name>>`: keeps it literal (SPEC 4.3).
    angleBracketTemplates: false,
  } satisfies Package.MapIdentityOptions;
  let outcome: Outcome;
  try {
    const m = await pkg.mapIdentity(parsed, c.arn, options);
    outcome =
      m === null
        ? { mapped: false, username: '', groups: [], error: 'ErrNotMapped' }
        : { mapped: true, username: m.username, groups: m.groups, matchedBy: m.matchedBy };
  } catch (error) {
    outcome = {
      mapped: false,
      username: '',
      groups: [],
      error: (error as { code?: string }).code ?? null,
    };
  }
  return { refused, outcome, kept: refused ? null : keptOf(parsed), codes };
}

/** Go's error, in the package's terms. */
function errorKind(error: string | null | undefined): string | undefined {
  if (error === null || error === undefined || error === '') return undefined;
  if (error.startsWith('renderTemplates')) return 'ERR_TEMPLATE';
  if (error.startsWith('ErrNotMapped')) return 'ErrNotMapped';
  if (error.startsWith('token verification')) return 'ERR_ARN_INVALID';
  return error;
}

function sameOutcome(go: Outcome, ours: Outcome): boolean {
  if (go.mapped !== ours.mapped) return false;
  if (!go.mapped) return errorKind(go.error) === errorKind(ours.error);
  return (
    go.username === ours.username &&
    JSON.stringify(go.groups ?? []) === JSON.stringify(ours.groups ?? []) &&
    (go.matchedBy ?? undefined) === (ours.matchedBy ?? undefined)
  );
}

/** Go's possible answers: one, or every one its random map order can give (configmap.go:262-289). */
function goOutcomes(go: GoAnswer): Outcome[] {
  return go.nondeterministic && go.alternatives !== undefined ? go.alternatives : [go];
}

/**
 * Where the package and EKS knowingly part, each with its reason. A case
 * differing for any other reason fails the test.
 */
const DEVIATIONS: readonly {
  name: string;
  reason: string;
  applies: (c: OracleCase, go: GoAnswer, ours: Ours) => boolean;
}[] = [
  {
    name: 'nesting past 1,000 levels',
    reason:
      'this package reads YAML nested at most 1,000 levels deep (aliases expanded included) and says so (yaml-too-deep); go-yaml reads up to 10,000 (scannerc.go:895, 929) and EKS keeps the well-formed entries of such a list',
    applies: (_c, _go, ours) => ours.codes.has('yaml-too-deep'),
  },
];

interface Difference {
  id: string;
  tags: string[];
  what: 'outcome' | 'kept';
  go: unknown;
  ours: unknown;
}

async function compare(seed: string): Promise<{
  total: number;
  agreed: number;
  deviations: Map<string, number>;
  differences: Difference[];
}> {
  const deviations = new Map<string, number>();
  const differences: Difference[] = [];
  let agreed = 0;
  const cases = load(seed);
  for (const { case: c, go } of cases) {
    const ours = await run(c);
    const outcomeOk =
      go.refused === ours.refused &&
      (go.refused || goOutcomes(go).some((o) => sameOutcome(o, ours.outcome)));
    const keptOk = go.refused || JSON.stringify(go.kept) === JSON.stringify(ours.kept);
    if (outcomeOk && keptOk) {
      agreed += 1;
      continue;
    }
    const deviation = DEVIATIONS.find((d) => d.applies(c, go, ours));
    if (deviation !== undefined) {
      deviations.set(deviation.name, (deviations.get(deviation.name) ?? 0) + 1);
      continue;
    }
    differences.push({
      id: c.id,
      tags: c.tags,
      what: outcomeOk ? 'kept' : 'outcome',
      go: outcomeOk ? go.kept : goOutcomes(go),
      ours: outcomeOk ? ours.kept : ours.outcome,
    });
  }
  return { total: cases.length, agreed, deviations, differences };
}

const SEEDS = readdirSync(FIXTURES)
  .map((f) => /^seed-(\d+)\.jsonl\.gz$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

describe('agreement with the Go authenticator on generated hostile ConfigMaps', () => {
  it('the corpus holds seeds 101-106 of 1,000 cases each, and more', () => {
    expect(SEEDS).toEqual(expect.arrayContaining(['101', '102', '103', '104', '105', '106']));
    expect(SEEDS.length).toBeGreaterThan(6);
  });

  it.each(SEEDS)(
    'seed %s: same outcome and same kept entries as EKS, but for the listed deviations',
    async (seed) => {
      const result = await compare(seed);
      expect(result.total).toBe(1000);
      expect(result.differences.slice(0, 5)).toEqual([]);
      expect(result.agreed + [...result.deviations.values()].reduce((a, b) => a + b, 0)).toBe(
        result.total,
      );
    },
    60_000,
  );

  it('every deviation says why', () => {
    for (const d of DEVIATIONS) expect(d.reason.length).toBeGreaterThan(40);
  });
});
