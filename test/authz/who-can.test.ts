/**
 * whoCan: every principal the inputs name and the mode lets in, that may
 * make the request. Facts:
 * - under API_AND_CONFIG_MAP an access entry for a principal wins over its
 *   aws-auth entry; under API aws-auth is not read (AWS EKS user guide,
 *   "Change authentication mode to use access entries");
 * - a `mapAccounts` account maps its principals to their own ARN with no
 *   groups (aws-iam-authenticator pkg/mapper/configmap/mapper.go, the
 *   `AutoMappedAWSAccounts` case: username is the canonical ARN);
 * - `{{SessionName}}` renders the session name with "@" as "-"
 *   (pkg/server/server.go `renderTemplate`);
 * - a default STANDARD access-entry username for a role is
 *   `arn:aws:sts::ACCOUNT:assumed-role/ROLE/{{SessionName}}` (AWS EKS user
 *   guide, "Create access entries").
 */
import { describe, expect, it } from 'vitest';
import { whoCan } from '../../src/authz/who-can.js';
import type { AuthorizeOptions, WhoCanPrincipal } from '../../src/authz/types.js';
import { parseAuthenticatorConfig } from '../../src/sources/authenticator-config.js';
import { binding, role, rule, snapshot } from './rbac-snapshot.js';

const A = '111122223333';
const OTHER = '444455556666';
const arn = (name: string, account = A): string => `arn:aws:iam::${account}:role/${name}`;
const policy = (name: string): string => `arn:aws:eks::aws:cluster-access-policy/${name}`;

const rbac = snapshot({
  clusterRoles: [
    role('secret-reader', [
      rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] }),
    ]),
    role('health', [rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] })]),
  ],
  clusterRoleBindings: [
    binding('secret-readers', 'ClusterRole/secret-reader', ['Group:secret-readers']),
    binding('auditor', 'ClusterRole/secret-reader', [`User:${arn('Auditor', OTHER)}`]),
    binding('everyone', 'ClusterRole/health', ['Group:system:authenticated']),
  ],
  roleBindings: [
    binding(
      'alice',
      'ClusterRole/secret-reader',
      ['User:dev:alice', 'User:dev:bob-example.com'],
      'prod',
    ),
    binding(
      'ci',
      'ClusterRole/secret-reader',
      [`User:arn:aws:sts::${A}:assumed-role/Ci/deploy`],
      'prod',
    ),
  ],
});

const accessEntries = {
  accessEntries: [
    {
      principalArn: arn('Admin'),
      accessPolicies: [
        { policyArn: policy('AmazonEKSClusterAdminPolicy'), accessScope: { type: 'cluster' } },
      ],
    },
    { principalArn: arn('Dev'), username: 'dev:{{SessionName}}', kubernetesGroups: ['devs'] },
    {
      principalArn: arn('Viewer'),
      accessPolicies: [
        {
          policyArn: policy('AmazonEKSViewPolicy'),
          accessScope: { type: 'namespace', namespaces: ['prod'] },
        },
      ],
    },
    { principalArn: arn('Ci') },
    {
      principalArn: arn('AutoNode'),
      type: 'EC2',
      accessPolicies: [
        { policyArn: policy('AmazonEKSAutoNodePolicy'), accessScope: { type: 'cluster' } },
      ],
    },
  ],
};

const awsAuth = `mapRoles: |
  - rolearn: ${arn('Admin')}
    username: shadowed
    groups: [secret-readers]
  - rolearn: ${arn('Legacy')}
    username: legacy
    groups: [secret-readers]
  - rolearn: ${arn('Nodes')}
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
mapUsers: |
  - userarn: arn:aws:iam::${A}:user/alice
    username: alice
mapAccounts: |
  - "${OTHER}"
`;

const both: AuthorizeOptions = {
  accessEntries,
  awsAuth,
  authenticationMode: 'API_AND_CONFIG_MAP',
  rbac,
};

const row = (p: WhoCanPrincipal): string =>
  [
    p.principalArn ?? `account ${p.account}`,
    p.decision,
    p.reasons
      .map((r) =>
        r.via === 'rbac'
          ? `rbac:${r.binding.name}`
          : r.via === 'access-policy'
            ? `policy:${r.policyArn.split('/')[1]}`
            : r.via,
      )
      .join(',') || '-',
    p.condition?.description ?? '',
  ].join(' | ');

describe('whoCan', () => {
  it('get secrets -n prod: every path, shadowing and conditions', async () => {
    const result = await whoCan('get secrets -n prod', both);
    expect(result.principals.map(row)).toEqual([
      `${arn('Admin')} | allow | policy:AmazonEKSClusterAdminPolicy | `,
      `${arn('Dev')} | allow | rbac:alice | role sessions named "alice"`,
      `${arn('Dev')} | allow | rbac:alice | role sessions named "bob-example.com" (or with "@" for any "-")`,
      `${arn('Ci')} | allow | rbac:ci | role sessions named "deploy"`,
      `${arn('AutoNode')} | unknown | - | `,
      `${arn('Legacy')} | allow | rbac:secret-readers | `,
      // No Nodes row: the Node authorizer refuses a secret without a name
      // (node_authorizer.go `authorize`: "No Object name found"), live objects or not.
      `${arn('Auditor', OTHER)} | allow | rbac:auditor | `,
    ]);
  });

  it('a condition names the template, the name it must render and the values', async () => {
    const result = await whoCan('get secrets -n prod', both);
    const ci = result.principals.find((p) => p.principalArn === arn('Ci'));
    expect(ci?.condition).toEqual({
      template: `arn:aws:sts::${A}:assumed-role/Ci/{{SessionName}}`,
      renders: `arn:aws:sts::${A}:assumed-role/Ci/deploy`,
      values: { SessionName: 'deploy' },
      description: 'role sessions named "deploy"',
    });
    expect(ci?.via).toEqual({ source: 'accessEntry', matchedBy: 'accessEntry', entryIndex: 3 });
  });

  it('unknown rows name what might allow', async () => {
    // A named secret: the Node authorizer's graph decides (node_authorizer.go `hasPathFrom`).
    const result = await whoCan('get secrets db -n prod', both);
    const auto = result.principals.find((p) => p.principalArn === arn('AutoNode'));
    expect(auto?.caveats.map((c) => c.code)).toEqual(['node-authorizer', 'undocumented-policy']);
    const nodes = result.principals.find((p) => p.principalArn === arn('Nodes'));
    expect(nodes?.username).toBe('system:node:{{EC2PrivateDNSName}}');
    expect(nodes?.caveats.map((c) => c.code)).toEqual(['node-authorizer']);
  });

  it('under API, aws-auth principals and mapAccounts are not let in', async () => {
    const result = await whoCan('get secrets -n prod', { ...both, authenticationMode: 'API' });
    expect(result.principals.map((p) => p.principalArn)).toEqual([
      arn('Admin'),
      arn('Dev'),
      arn('Dev'),
      arn('Ci'),
      arn('AutoNode'),
    ]);
  });

  it('under CONFIG_MAP, the aws-auth entry of Admin answers (no access entries), with the creator caveat', async () => {
    const result = await whoCan('get secrets -n prod', { awsAuth, rbac });
    expect(result.principals.map(row)).toEqual([
      `${arn('Admin')} | allow | rbac:secret-readers | `,
      `${arn('Legacy')} | allow | rbac:secret-readers | `,
      `${arn('Auditor', OTHER)} | allow | rbac:auditor | `,
    ]);
    expect(result.caveats.map((c) => c.code)).toEqual(['cluster-creator']);
  });

  // kube-apiserver adds system:authenticated to every authenticated user but
  // system:anonymous (staging/src/k8s.io/apiserver/pkg/authentication/group/
  // authenticated_group_adder.go at kubernetes/kubernetes@2e090810, `AuthenticateRequest`).
  it('a grant to system:authenticated reaches every principal, and each mapAccounts account', async () => {
    const result = await whoCan('get /healthz', both);
    expect(result.principals.map((p) => p.principalArn ?? `account ${p.account}`)).toEqual([
      arn('Admin'),
      arn('Dev'),
      arn('Viewer'),
      arn('Ci'),
      arn('AutoNode'),
      arn('Legacy'),
      arn('Nodes'),
      `arn:aws:iam::${A}:user/alice`,
      `account ${OTHER}`,
    ]);
    const account = result.principals.at(-1);
    expect(account).toMatchObject({ username: '(its own ARN)', groups: [], decision: 'allow' });
  });

  it('an ARN in a mapAccounts account that an entry names is that entry, not the account', async () => {
    const result = await whoCan('get secrets -n prod', {
      ...both,
      awsAuth: `${awsAuth}  - "${A}"\n`,
      rbac: snapshot({
        clusterRoles: [
          role('r', [rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] })]),
        ],
        clusterRoleBindings: [
          binding('legacy-by-arn', 'ClusterRole/r', [
            `User:${arn('Legacy')}`,
            `User:${arn('Stranger')}`,
          ]),
        ],
      }),
    });
    // Legacy is mapped by its entry (username "legacy"), so a binding to its ARN does not reach it;
    // Stranger is in a mapAccounts account and no entry names it, so it authenticates as its ARN.
    expect(result.principals.map(row)).toEqual([
      `${arn('Admin')} | allow | policy:AmazonEKSClusterAdminPolicy | `,
      `${arn('AutoNode')} | unknown | - | `,
      `${arn('Stranger')} | allow | rbac:legacy-by-arn | `,
    ]);
  });

  it("the Go authenticator's ordered sources: the first source that maps a principal wins", async () => {
    const config = parseAuthenticatorConfig(
      `server:\n  mapRoles:\n  - roleARN: ${arn('Legacy')}\n    username: plain\n`,
    );
    const result = await whoCan('get secrets -n prod', {
      awsAuth: [
        config,
        {
          mode: 'EKSConfigMap',
          mappings: (await import('../../src/aws-auth/parse.js')).parseAwsAuth(awsAuth),
        },
      ],
      rbac,
    });
    // Legacy maps through the config file first (no groups): the ConfigMap's secret-readers never applies.
    expect(result.principals.map((p) => p.principalArn)).not.toContain(arn('Legacy'));
    expect(result.principals.map((p) => p.principalArn)).toContain(arn('Admin'));
  });

  // plugin/pkg/auth/authorizer/node/node_authorizer.go at kubernetes/kubernetes@cb852924,
  // `Authorize`: a node's request on a resource it does not subdivide is allowed by the
  // static system:node rules (services: list), and anything else gets no opinion.
  it("nodes: the Node authorizer's static rules allow, its graph is unknown, beyond it nothing", async () => {
    const services = await whoCan('list services -A', both);
    expect(
      services.principals
        .filter((p) => p.reasons[0]?.via === 'node-authorizer')
        .map((p) => p.principalArn),
    ).toEqual([arn('AutoNode'), arn('Nodes')]);
    // Only AutoNode's undocumented AmazonEKSAutoNodePolicy might; the Node authorizer has no opinion.
    const crb = await whoCan('create clusterrolebindings', both);
    expect(crb.principals.map((p) => [p.principalArn, p.decision])).toEqual([
      [arn('Admin'), 'allow'],
      [arn('AutoNode'), 'unknown'],
    ]);
    expect(crb.principals[1]?.caveats.map((c) => c.code)).toEqual(['undocumented-policy']);
  });

  // The privileged-group authorizer runs first and allows system:masters anything
  // (pkg/kubeapiserver/authorizer/config.go at kubernetes/kubernetes@77a8c258, `NewPrivilegedGroups`).
  it('system:masters is allowed everything', async () => {
    const result = await whoCan('delete nodes x', {
      awsAuth: `mapRoles: |\n  - rolearn: ${arn('Root')}\n    username: root\n    groups: [system:masters]\n`,
      rbac,
    });
    expect(result.principals).toEqual([
      expect.objectContaining({
        principalArn: arn('Root'),
        decision: 'allow',
        reasons: [{ via: 'privileged-group', group: 'system:masters' }],
      }),
    ]);
  });

  it('a template with two kinds of session placeholder: a binding it may match is unknown, not guessed', async () => {
    const result = await whoCan('get secrets -n prod', {
      accessEntries: {
        accessEntries: [
          { principalArn: arn('Dev'), username: 'dev:{{SessionName}}-{{SessionNameRaw}}' },
        ],
      },
      rbac: snapshot({
        clusterRoles: [
          role('r', [rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] })]),
        ],
        clusterRoleBindings: [binding('b', 'ClusterRole/r', ['User:dev:ab-ab'])],
      }),
    });
    expect(result.principals.map((p) => [p.decision, p.caveats.map((c) => c.code)])).toEqual([
      ['unknown', ['template-undecidable']],
    ]);
  });

  it('a session value no caller can have is no condition', async () => {
    const result = await whoCan('get secrets -n prod', {
      accessEntries: {
        accessEntries: [{ principalArn: arn('Dev'), username: 'dev:{{SessionName}}' }],
      },
      rbac: snapshot({
        clusterRoles: [
          role('r', [rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] })]),
        ],
        clusterRoleBindings: [
          // ":" and "/" are not session-name characters; one character is too short.
          binding('b', 'ClusterRole/r', [
            'User:dev:a:b',
            'User:dev:a/b',
            'User:dev:x',
            'User:dev:ok',
          ]),
        ],
      }),
    });
    expect(result.principals.map((p) => p.condition?.values)).toEqual([{ SessionName: 'ok' }]);
  });
});
