/**
 * Access entries EKS refuses to create are dropped with their diagnostic,
 * never repaired. `CreateAccessEntry` fails for them, so no such entry exists
 * on any cluster: keeping one with the default username (what the parser did
 * before) made `resolveIdentity` grant an identity EKS never gives.
 *
 * Each row names the rule and the AWS page that states it (read 2026-05):
 * - [create] "Create access entries",
 *   https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 *   ("If you specify your own username: It can't start with system:, eks:,
 *   aws:, amazon:, or iam:"; "the username must include a colon before
 *   {{SessionName}}"; "If the type of the access entry is STANDARD, you can
 *   specify a username"; "You can't use the --kubernetes-groups option when
 *   you specify a type other than STANDARD");
 * - [custom] "Set a custom username for EKS access entries",
 *   https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html
 *   (the same two username rules, for {{SessionName}} and {{SessionNameRaw}});
 * - [api] CreateAccessEntry, Amazon EKS API reference,
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html
 *   (`username`: String; `kubernetesGroups`: Array of strings; `type`: "If you
 *   set the value to EC2_LINUX or EC2_WINDOWS, you can't specify values for
 *   kubernetesGroups");
 * - [group] the API's answer to a `system:` group, InvalidParameterException
 *   "The kubernetes group name system:masters is invalid, it cannot start with
 *   system:" (terraform-aws-modules/terraform-aws-eks#2915, eksctl-io/eksctl#7446).
 */
import { describe, expect, it } from 'vitest';
import { parseAccessEntries, parseAwsAuth, resolveIdentity } from '../../src/index.js';
import type { AccessEntryRefusalCode } from '../../src/index.js';

const ROLE = 'arn:aws:iam::111122223333:role/team/dev-role';
const CALLER = 'arn:aws:sts::111122223333:assumed-role/dev-role/alice';
const GOOD = 'arn:aws:iam::111122223333:user/ops';

// The same role in aws-auth: what the cluster answers when no access entry exists.
const AWS_AUTH = parseAwsAuth(`apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/dev-role
      username: cm:{{SessionName}}
      groups: [cm-viewers]
`);

describe('entries EKS refuses to create are dropped, with a located diagnostic', () => {
  it.each<[string, Record<string, unknown>, AccessEntryRefusalCode, string]>([
    [
      '[create][custom] username starting with system:',
      { username: 'system:admin' },
      'username-reserved',
      'username',
    ],
    [
      '[create][custom] username starting with eks:',
      { username: 'eks:{{SessionName}}' },
      'username-reserved',
      'username',
    ],
    [
      '[create][custom] username starting with aws:',
      { username: 'aws:dev' },
      'username-reserved',
      'username',
    ],
    [
      '[create][custom] username starting with amazon:',
      { username: 'amazon:dev' },
      'username-reserved',
      'username',
    ],
    [
      '[create][custom] username starting with iam:',
      { username: 'iam:dev' },
      'username-reserved',
      'username',
    ],
    [
      '[create][custom] {{SessionName}} with no colon before it',
      { username: 'john{{SessionName}}' },
      'username-session-colon',
      'username',
    ],
    [
      '[create][custom] a colon only after {{SessionName}}',
      { username: '{{SessionName}}:dev' },
      'username-session-colon',
      'username',
    ],
    [
      '[custom] {{SessionNameRaw}} with no colon before it',
      { username: 'dev-{{SessionNameRaw}}' },
      'username-session-colon',
      'username',
    ],
    ['[api] username that is not a string', { username: 42 }, 'username-not-a-string', 'username'],
    [
      '[create] a username on a node type (only STANDARD entries take one)',
      { type: 'EC2_LINUX', username: 'node' },
      'username-on-node-type',
      'username',
    ],
    [
      '[create][api] groups on a node type other than those EKS grants',
      { type: 'EC2_WINDOWS', kubernetesGroups: ['admins'] },
      'groups-on-node-type',
      'kubernetesGroups[0]',
    ],
    [
      '[group] a system: group on a STANDARD entry',
      { kubernetesGroups: ['viewers', 'system:masters'] },
      'group-reserved',
      'kubernetesGroups[1]',
    ],
    [
      '[api] kubernetesGroups that is not a list',
      { kubernetesGroups: 'viewers' },
      'groups-not-a-list',
      'kubernetesGroups',
    ],
    [
      '[api] a group that is not a string',
      { kubernetesGroups: ['viewers', { name: 'admins' }] },
      'group-not-a-string',
      'kubernetesGroups[1]',
    ],
  ])('%s', async (_rule, fields, code, field) => {
    const accessEntries = parseAccessEntries({
      accessEntries: [{ principalArn: GOOD }, { principalArn: ROLE, ...fields }],
    });
    // The refused entry is gone; the good one before it stays.
    expect(accessEntries.entries.map((e) => e.principalArn)).toEqual([GOOD]);
    expect(accessEntries.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', index: 1, field, code }),
    );
    const refusal = accessEntries.diagnostics.find((d) => d.code === code);
    expect(refusal?.message).toMatch(
      /^EKS refuses to create this entry: .*; the entry is ignored$/,
    );

    // So the cluster maps nobody through it: under API the caller is unknown,
    // under API_AND_CONFIG_MAP aws-auth answers, as for a role with no entry.
    expect(await resolveIdentity(CALLER, { authenticationMode: 'API', accessEntries })).toBeNull();
    expect(
      await resolveIdentity(CALLER, {
        authenticationMode: 'API_AND_CONFIG_MAP',
        accessEntries,
        awsAuth: AWS_AUTH,
      }),
    ).toMatchObject({ source: 'aws-auth', username: 'cm:alice', groups: ['cm-viewers'] });
  });

  // [api]: CreateAccessEntry answers ResourceInUseException only for a principal
  // that already has an entry; a create the API refused leaves none behind.
  // That a refused create holds nothing is observed API behaviour, stated on
  // no public page.
  it('a refused entry does not hold its principal: a later valid entry for it is kept', () => {
    const parsed = parseAccessEntries([
      { principalArn: ROLE, username: 'system:admin' },
      { principalArn: ROLE, username: 'dev:{{SessionName}}' },
    ]);
    expect(parsed.entries).toMatchObject([{ index: 1, username: 'dev:{{SessionName}}' }]);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['username-reserved']);
  });

  // [create]: for EC2_LINUX, EC2_WINDOWS and FARGATE_LINUX EKS sets the username
  // and groups itself; describe-access-entry then reports them (the
  // DescribeAccessEntry answer in the [api] reference). Reading that answer
  // back as input is no custom username: observed API output, not a rule
  // the pages state.
  it('what describe-access-entry reports for node types is not a refusal', () => {
    const parsed = parseAccessEntries({
      accessEntries: [
        {
          principalArn: ROLE,
          type: 'EC2_LINUX',
          username: 'system:node:{{EC2PrivateDNSName}}',
          kubernetesGroups: ['system:nodes'],
        },
      ],
    });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.entries).toHaveLength(1);
  });

  // [custom] lists the placeholders EKS substitutes and refuses only the two
  // username rules above; no page says other {{…}} text is refused, and
  // CreateAccessEntry accepts it (observed API behaviour, no public source).
  it('an undocumented placeholder is a warning, not a refusal: the entry stays', () => {
    const parsed = parseAccessEntries([{ principalArn: ROLE, username: 'team:{{AccountID}}' }]);
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', undefined]]);
  });
});
