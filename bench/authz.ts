/**
 * Authorization (SPEC 4.9, 8): `authorize` decisions per second on an RBAC
 * snapshot of 10,000 bindings (target ≥ 50,000/s: the index by subject and
 * namespace, never a scan), and one `whoCan` over 1,000 principals and
 * those 10,000 bindings (target < 1 s: from the request to the granted
 * subjects, then to principals).
 *
 * @module
 */
import { authorize, parseAccessEntries, parseAwsAuth, parseRbac, whoCan } from 'eks-iam-auth';
import type { AuthorizeOptions, AuthzRequestObject, Rbac } from 'eks-iam-auth';
import { compareThroughput, medianTime } from './harness.js';
import type { ThroughputOptions } from './harness.js';
import { formatMs, formatRate, verdict } from './report.js';
import type { Row, Section } from './report.js';

const ACCOUNT = '111122223333';
const NAMESPACES = 1_000;
const TEAMS = 200;
const BINDINGS = 10_000;
const PRINCIPALS = 1_000;

const RBAC_API = 'rbac.authorization.k8s.io/v1';
type Manifest = Record<string, unknown>;

const rule = (verbs: string[], apiGroups: string[], resources: string[]): Manifest => ({
  verbs,
  apiGroups,
  resources,
});
const subject = (kind: 'User' | 'Group', name: string): Manifest => ({
  kind,
  name,
  apiGroup: 'rbac.authorization.k8s.io',
});

/**
 * A cluster of 1,000 namespaces, as one `kind: List` of manifests: 9
 * RoleBindings in each (to a local Role or a shared ClusterRole, for a team
 * group and a user) and 1,000 ClusterRoleBindings (to 50 custom
 * ClusterRoles, for users and groups): 10,000 bindings, plus Kubernetes'
 * default roles and bindings, which `parseRbac` adds.
 */
export function benchRbacList(): Manifest {
  const read = ['get', 'list', 'watch'];
  const write = ['create', 'update', 'patch', 'delete'];
  const items: Manifest[] = [
    {
      apiVersion: RBAC_API,
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
      rules: [
        rule(read, [''], ['pods', 'configmaps', 'services']),
        rule(read, ['apps'], ['deployments', 'replicasets']),
      ],
    },
    {
      apiVersion: RBAC_API,
      kind: 'ClusterRole',
      metadata: { name: 'editor' },
      rules: [
        rule([...read, ...write], [''], ['pods', 'configmaps', 'services']),
        rule([...read, ...write], ['apps'], ['deployments']),
      ],
    },
    {
      apiVersion: RBAC_API,
      kind: 'ClusterRole',
      metadata: { name: 'secret-reader' },
      rules: [rule(read, [''], ['secrets'])],
    },
  ];
  for (let k = 0; k < 50; k += 1) {
    items.push({
      apiVersion: RBAC_API,
      kind: 'ClusterRole',
      metadata: { name: `custom-${k}` },
      rules: Array.from({ length: 5 }, (_, r) =>
        rule(read, [`group${r}.example.com`], [`things${k}`]),
      ),
    });
  }
  let roleBindings = 0;
  for (let n = 0; n < NAMESPACES; n += 1) {
    const namespace = `ns-${n}`;
    items.push({
      apiVersion: RBAC_API,
      kind: 'Role',
      metadata: { name: 'local', namespace },
      rules: [rule(read, ['batch'], ['jobs', 'cronjobs'])],
    });
    for (let b = 0; b < 9; b += 1) {
      const i = n * 9 + b;
      const toRole = b % 3 === 0;
      items.push({
        apiVersion: RBAC_API,
        kind: 'RoleBinding',
        metadata: { name: `rb-${b}`, namespace },
        roleRef: {
          kind: toRole ? 'Role' : 'ClusterRole',
          name: toRole ? 'local' : b % 3 === 1 ? 'reader' : b === 8 ? 'secret-reader' : 'editor',
          apiGroup: 'rbac.authorization.k8s.io',
        },
        subjects: [
          subject('Group', `team-${i % TEAMS}`),
          subject('User', `user-${i % PRINCIPALS}`),
        ],
      });
      roleBindings += 1;
    }
  }
  for (let c = 0; c < BINDINGS - roleBindings; c += 1) {
    items.push({
      apiVersion: RBAC_API,
      kind: 'ClusterRoleBinding',
      metadata: { name: `crb-${c}` },
      roleRef: {
        kind: 'ClusterRole',
        name: `custom-${c % 50}`,
        apiGroup: 'rbac.authorization.k8s.io',
      },
      subjects: [
        subject(
          c % 2 === 0 ? 'Group' : 'User',
          c % 2 === 0 ? `ops-${c % 97}` : `user-${c % PRINCIPALS}`,
        ),
      ],
    });
  }
  return { apiVersion: 'v1', kind: 'List', items };
}

/**
 * 1,000 principals: 500 access entries (half with a literal username
 * `user-i`, half with EKS's default session username; a team group each;
 * one in five with AmazonEKSViewPolicy on a namespace) and 500 aws-auth
 * roles (username `user-i`, a team group), under API_AND_CONFIG_MAP.
 */
export function benchIdentityOptions(rbac: Rbac): AuthorizeOptions {
  const entries = Array.from({ length: PRINCIPALS / 2 }, (_, i) => ({
    principalArn: `arn:aws:iam::${ACCOUNT}:role/bench-${i}`,
    ...(i % 2 === 0 ? { username: `user-${i}` } : {}),
    kubernetesGroups: [`team-${i % TEAMS}`],
    accessPolicies:
      i % 5 === 0
        ? [
            {
              policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              accessScope: { type: 'namespace', namespaces: [`ns-${i}`] },
            },
          ]
        : [],
  }));
  const roles = Array.from({ length: PRINCIPALS / 2 }, (_, j) => {
    const i = j + PRINCIPALS / 2;
    return `  - rolearn: arn:aws:iam::${ACCOUNT}:role/bench-${i}\n    username: user-${i}\n    groups: [team-${i % TEAMS}]\n`;
  });
  return {
    accessEntries: parseAccessEntries({ accessEntries: entries }),
    awsAuth: parseAwsAuth(`mapRoles: |\n${roles.join('')}`),
    authenticationMode: 'API_AND_CONFIG_MAP',
    rbac,
  };
}

/** How many bindings Kubernetes' defaults bring. */
function bootstrapBindings(): number {
  const defaults = parseRbac([]);
  return defaults.clusterRoleBindings.length + defaults.roleBindings.length;
}

/** Run the authorization benchmark. */
export async function benchAuthz(options: ThroughputOptions, whoCanRuns: number): Promise<Section> {
  const list = benchRbacList();
  const rbac = parseRbac(list);
  const own = rbac.clusterRoleBindings.length + rbac.roleBindings.length - bootstrapBindings();
  if (own !== BINDINGS)
    throw new Error(`the snapshot has ${own} bindings of its own, not ${BINDINGS}`);
  if (rbac.diagnostics.some((d) => d.severity === 'error'))
    throw new Error('the RBAC list has errors');
  const parseMs = await medianTime(() => parseRbac(list), 5);
  const identityOptions = benchIdentityOptions(rbac);
  const callers = Array.from(
    { length: 1024 },
    (_, k) => `arn:aws:sts::${ACCOUNT}:assumed-role/bench-${(k * 7919) % PRINCIPALS}/session-${k}`,
  );
  const verbs = ['get', 'list', 'delete', 'create'];
  const resources = ['pods', 'secrets', 'jobs', 'deployments'];
  const requests: AuthzRequestObject[] = Array.from({ length: 1024 }, (_, k) => ({
    verb: verbs[k % 4] as string,
    resource: resources[(k >> 2) % 4] as string,
    namespace: `ns-${(k * 31) % NAMESPACES}`,
  }));
  // Sanity: the snapshot decides as built.
  const allowed = await authorize(
    `arn:aws:sts::${ACCOUNT}:assumed-role/bench-0/s`,
    { verb: 'get', resource: 'pods', namespace: 'ns-0' },
    identityOptions,
  );
  if (allowed.decision !== 'allow')
    throw new Error(`bench identity 0 should read pods in ns-0: ${allowed.decision}`);
  let k = 0;
  const [decisions] = await compareThroughput(
    [
      {
        name: 'authorize',
        fn: () => {
          k = (k + 1) & 1023;
          return authorize(
            callers[k] as string,
            requests[k] as AuthzRequestObject,
            identityOptions,
          );
        },
      },
    ],
    options,
  );
  if (decisions === undefined) throw new Error('missing results');
  let listed = 0;
  const whoCanMs = await medianTime(async () => {
    const result = await whoCan('get secrets -n ns-8', identityOptions);
    listed = result.principals.length;
  }, whoCanRuns);
  const rows: Row[] = [
    {
      what: 'authorize, 10,000 bindings, 1,000 principals',
      value: formatRate(decisions.opsPerSec, 'decisions/s'),
      versus: '—',
      ratio: '—',
      target: '≥ 50,000 decisions/s',
      verdict: verdict(decisions.opsPerSec >= 50_000),
    },
    {
      what: 'parseRbac, 10,000 bindings (a kind: List of objects, defaults added)',
      value: formatMs(parseMs),
      versus: '—',
      ratio: '—',
      target: '—',
      verdict: 'info',
    },
    {
      what: `whoCan "get secrets -n ns-8", 1,000 principals × 10,000 bindings (${listed} allowed)`,
      value: formatMs(whoCanMs),
      versus: '—',
      ratio: '—',
      target: '< 1 s',
      verdict: verdict(whoCanMs < 1000),
    },
  ];
  const notes: string[] = [];
  if (decisions.opsPerSec < 50_000) {
    notes.push(
      `authorize ran at ${formatRate(decisions.opsPerSec, 'decisions/s')}, below the 50,000/s target.`,
    );
  }
  if (whoCanMs >= 1000) notes.push(`whoCan took ${formatMs(whoCanMs)}, over the 1 s target.`);
  return {
    title: 'Authorization',
    method:
      'An RBAC snapshot of 10,000 bindings (9 RoleBindings in each of 1,000 namespaces, 1,000' +
      " ClusterRoleBindings to 50 custom ClusterRoles; parseRbac adds Kubernetes' defaults) and" +
      ' 1,000 principals (500 access entries,' +
      ' a fifth with a namespace-scoped AmazonEKSViewPolicy; 500 aws-auth roles) under' +
      ' API_AND_CONFIG_MAP, all parsed once. `authorize` is called with session ARNs and request' +
      ' objects cycling through 1,024 of each (identity resolved on every call), each call' +
      ' awaited; `whoCan` time is the median of several whole calls.',
    rows,
    notes,
  };
}
