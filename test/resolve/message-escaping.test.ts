/**
 * Messages quote what the input wrote with its control characters escaped
 * (`quoteForMessage`): a message is printed by the CLI, logged by a webhook
 * and shown in a review, so a raw ESC or CSI (U+009B) would drive the
 * terminal, a raw RLO (U+202E) would reorder what a reviewer reads and a raw
 * U+2028 would break the line. One row per place that quotes input, each fed
 * every one of those characters; every message, fix and reason must be free
 * of them.
 */
import { describe, expect, it } from 'vitest';
import { parseAccessEntries } from '../../src/access-entries/parse.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { explainIdentity } from '../../src/resolve/explain.js';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { parseAuthenticatorConfig } from '../../src/sources/authenticator-config.js';
import { parseIdentityMappings } from '../../src/sources/identity-mappings.js';
import { mappingSources } from '../../src/sources/ordered.js';
import { findControlCharacter } from '../../src/util/control-characters.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/A`;
const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/A/alice`;

/** Each hostile character, and how a YAML double-quoted scalar writes it. */
const CHARACTERS: readonly [string, string, string][] = [
  ['ESC', '\u001b', '\\e'],
  ['CSI (U+009B)', '\u009b', '\\x9b'],
  ['RLO (U+202E)', '\u202e', '\\u202e'],
  ['LINE SEPARATOR (U+2028)', '\u2028', '\\u2028'],
];

interface Diagnosed {
  readonly diagnostics: readonly { readonly message: string; readonly fix?: string }[];
}

/** Every text a result shows: its diagnostics' messages and fixes. */
function shown(result: Diagnosed): string[] {
  return result.diagnostics.flatMap((d) => [d.message, d.fix ?? '']);
}

/** The message of what `run` throws (or nothing, if it does not). */
async function thrown(run: () => unknown): Promise<string[]> {
  try {
    await run();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** `(raw character, its YAML escape)` → the texts shown for an input carrying it. */
type Path = (raw: string, escaped: string) => Promise<string[]> | string[];

const PATHS: readonly [string, Path][] = [
  [
    'aws-auth: the groups EKS grants after a repeated "groups" (mapping/entries.ts)',
    (_raw, e) =>
      shown(
        parseAwsAuth({
          mapRoles: `- rolearn: ${ROLE}\n  Groups: ["g${e}"]\n  groups: [~, view]\n`,
        }),
      ),
  ],
  [
    'aws-auth: an unknown field name (mapping/entries.ts)',
    (_raw, e) => shown(parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  "x${e}": y\n` })),
  ],
  [
    'aws-auth: an unquoted {x} placeholder read as a map (mapping/entries.ts)',
    (_raw, e) => shown(parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  username: {"x${e}"}\n` })),
  ],
  [
    'aws-auth: an unknown sso.partition (mapping/entries.ts)',
    (_raw, e) =>
      shown(
        parseAwsAuth({
          mapRoles: `- sso: {permissionSetName: A, accountID: '${ACCOUNT}', partition: "p${e}"}\n  username: a\n`,
        }),
      ),
  ],
  [
    'aws-auth: a mapAccounts item that is no account id (mapping/entries.ts)',
    (_raw, e) => shown(parseAwsAuth({ mapAccounts: `- "1${e}"\n` })),
  ],
  [
    'aws-auth: an explicit !!timestamp that is none (mapping/go-yaml.ts)',
    (_raw, e) =>
      shown(parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  username: !!timestamp "t${e}"\n` })),
  ],
  [
    'aws-auth: an explicit !!int that is none (mapping/go-yaml.ts)',
    (_raw, e) =>
      shown(parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  username: !!int "1${e}"\n` })),
  ],
  [
    'aws-auth: an unknown anchor (mapping/yaml.ts)',
    (raw) => shown(parseAwsAuth({ mapRoles: `- *a${raw}\n` })),
  ],
  [
    'aws-auth: an anchor that contains itself (mapping/yaml.ts)',
    (raw) => shown(parseAwsAuth({ mapRoles: `- &a${raw} [*a${raw}]\n` })),
  ],
  [
    'aws-auth: the ARN linter (partition, region, account, service, kind: mapping/lint-arn.ts)',
    (_raw, e) =>
      shown(
        parseAwsAuth({
          mapRoles: [
            `- rolearn: "arn:p${e}:iam::${ACCOUNT}:role/A"`,
            `- rolearn: "arn:aws:iam:r${e}:${ACCOUNT}:role/A"`,
            `- rolearn: "arn:aws:iam::1${e}:role/A"`,
            `- rolearn: "arn:aws:s${e}::${ACCOUNT}:role/A"`,
            `- rolearn: "arn:aws:iam::${ACCOUNT}:k${e}/A"`,
            '',
          ].join('\n'),
        }),
      ),
  ],
  [
    'aws-auth: the fix for an unquoted {{…}} placeholder (aws-auth/yaml-hints.ts)',
    (raw) =>
      shown(
        parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  username: {{SessionName}} # ${raw}\n` }),
      ),
  ],
  [
    'access entries: a group listed twice (access-entries/parse.ts)',
    (raw) =>
      shown(parseAccessEntries([{ principalArn: ROLE, kubernetesGroups: [`g${raw}`, `g${raw}`] }])),
  ],
  [
    'access entries: a username on a node type (access-entries/parse.ts)',
    (raw) =>
      shown(parseAccessEntries([{ principalArn: ROLE, type: 'EC2_LINUX', username: `u${raw}` }])),
  ],
  [
    'access entries: an STS session ARN as principal (access-entries/principal.ts)',
    (raw) =>
      shown(
        parseAccessEntries([
          { principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/A${raw}/s`, username: 'u' },
        ]),
      ),
  ],
  [
    'sources: a username beginning with a reserved prefix (resolve/union.ts, sources/reserved-usernames.ts)',
    async (raw) => {
      const bundle = mappingSources([
        {
          mode: 'EKSConfigMap',
          mappings: parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n  username: "p${raw}x"\n` }),
          reservedUsernamePrefixes: [`p${raw}`],
        },
      ]);
      return [...shown(bundle), ...(await thrown(() => mapIdentity(bundle, CALLER)))];
    },
  ],
  [
    'explainIdentity: the aws-auth identity an access entry shadows (resolve/explain.ts)',
    async (raw, e) => {
      const explained = await explainIdentity(CALLER, {
        authenticationMode: 'API_AND_CONFIG_MAP',
        accessEntries: parseAccessEntries([{ principalArn: ROLE, username: 'entry' }]),
        awsAuth: parseAwsAuth({
          mapRoles: `- rolearn: ${ROLE}\n  username: "u${e}"\n  groups: ["g${e}"]\n`,
        }),
      });
      expect(raw.length).toBe(1);
      return explained.nearMisses.map((m) => m.reason);
    },
  ],
  [
    'authenticator config: a key given twice, an unknown backend mode (sources/authenticator-config.ts)',
    (_raw, e) =>
      shown(
        parseAuthenticatorConfig(
          `clusterID: demo\nserver:\n  "k${e}": 1\n  "k${e}": 2\n  backendMode: ["m${e}"]\n`,
        ),
      ),
  ],
  [
    'IAMIdentityMapping: another kind, an unknown spec field (sources/identity-mappings.ts)',
    (_raw, e) =>
      shown(
        parseIdentityMappings(
          [
            `apiVersion: iamauthenticator.k8s.aws/v1alpha1\nkind: "K${e}"\nspec: {arn: ${ROLE}, username: a}`,
            `apiVersion: iamauthenticator.k8s.aws/v1alpha1\nkind: IAMIdentityMapping\nspec: {arn: ${ROLE}, username: a, "f${e}": 1}`,
          ].join('\n---\n'),
        ),
      ),
  ],
];

describe('messages quote input with control characters escaped', () => {
  const rows = PATHS.flatMap(([path, run]) =>
    CHARACTERS.map(([name, raw, escaped]) => [`${path}: ${name}`, run, raw, escaped] as const),
  );
  it.each(rows)('%s', async (_name, run, raw, escaped) => {
    const texts = await run(raw, escaped);
    expect(texts.join('').length).toBeGreaterThan(0);
    for (const text of texts) expect(findControlCharacter(text)).toBeUndefined();
  });
});
