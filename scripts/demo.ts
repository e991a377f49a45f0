/**
 * `npm run demo`: the main job end to end, against the built package.
 *
 *   generate a token (as `aws eks get-token` would) → print the ExecCredential
 *   → parse it → verify it against a local STS emulator on 127.0.0.1
 *   → map the identity through a sample aws-auth ConfigMap
 *   → print the TokenReview a webhook would return.
 *
 * Then two failures a cluster operator meets in real life: an IAM user that
 * aws-auth does not map ("error: You must be logged in to the server
 * (Unauthorized)"), and a token for another cluster. Last, the same developer
 * on a cluster that reads access entries first (API_AND_CONFIG_MAP).
 *
 * Credentials are the fake ones the emulator knows; nothing leaves loopback.
 */
import { readFile } from 'node:fs/promises';
import {
  formatExecCredential,
  generateToken,
  isEksAuthError,
  mapIdentity,
  parseAccessEntries,
  parseAwsAuth,
  parseToken,
  resolveIdentity,
  reviewToken,
  verifyToken,
} from 'eks-iam-auth';
import { startStsEmulator } from '../test/support/sts-emulator.js';

const CLUSTER = 'demo';
const REGION = 'us-west-2';

function section(title: string): void {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);
}

function show(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** Tokens are bearer credentials: print only their start. */
function shorten(token: string): string {
  return `${token.slice(0, 48)}…(${token.length} chars)`;
}

const emulator = await startStsEmulator();
try {
  const awsAuthText = await readFile(new URL('../examples/aws-auth.yaml', import.meta.url), 'utf8');
  const awsAuth = parseAwsAuth(awsAuthText);
  const verifyOptions = { clusterId: CLUSTER, region: REGION, fetch: emulator.fetch };

  section('1. generateToken: a developer who assumed role my-role-name');
  const developer = emulator.credentialsFor('assumed-role');
  const generated = await generateToken({
    clusterId: CLUSTER,
    region: REGION,
    credentials: developer,
  });
  const execCredential = formatExecCredential(generated, { execInfo: '' });
  show({
    ...execCredential,
    status: { ...execCredential.status, token: shorten(execCredential.status.token) },
  });

  section('2. parseToken: what the token says, before anyone trusts it');
  const parsed = parseToken(generated.token);
  show({
    host: parsed.host,
    region: parsed.region,
    partition: parsed.partition,
    endpointKind: parsed.endpointKind,
    accessKeyId: parsed.accessKeyId,
    signedAt: parsed.signedAt,
    expiresAt: parsed.expiresAt,
    signedHeaders: parsed.signedHeaders,
    hasSessionToken: parsed.hasSessionToken,
  });

  section(`3. verifyToken: STS (emulated at ${emulator.url}) vouches for the caller`);
  const identity = await verifyToken(generated.token, verifyOptions);
  show(identity);

  section('4. mapIdentity: through examples/aws-auth.yaml');
  console.log(
    `aws-auth: ${awsAuth.mapRoles.length} role, ${awsAuth.mapUsers.length} user and ` +
      `${awsAuth.mapAccounts.length} account entries, ${awsAuth.diagnostics.length} diagnostics`,
  );
  show(await mapIdentity(awsAuth, identity));

  section('5. reviewToken: the TokenReview answer a webhook would send');
  const review = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token: generated.token },
  };
  show(await reviewToken(review, { ...verifyOptions, awsAuth }));

  section('6. The classic "Unauthorized": an IAM user that aws-auth does not map');
  const backendDeveloper = emulator.credentialsFor('iam-user-with-path');
  const unmapped = await generateToken({
    clusterId: CLUSTER,
    region: REGION,
    credentials: backendDeveloper,
  });
  const unmappedIdentity = await verifyToken(unmapped.token, verifyOptions);
  console.log(`STS says: ${unmappedIdentity.arn}`);
  console.log(`mapIdentity: ${JSON.stringify(await mapIdentity(awsAuth, unmappedIdentity))}`);
  const denied = await reviewToken(
    { ...review, spec: { token: unmapped.token } },
    { ...verifyOptions, awsAuth },
  );
  console.log(`reviewToken → HTTP ${denied.status}`);
  show(denied.body);

  section('7. A token for cluster "demo" presented to cluster "prod"');
  try {
    await verifyToken(generated.token, { ...verifyOptions, clusterId: 'prod' });
    throw new Error('the verifier accepted a token for another cluster');
  } catch (error) {
    if (!isEksAuthError(error)) throw error;
    const awsCode = 'awsCode' in error ? ` (${String(error.awsCode)})` : '';
    console.log(`rejected: ${error.code}${awsCode}: ${error.message}`);
  }

  section('8. Access entries: the same developer on an API_AND_CONFIG_MAP cluster');
  // As `aws eks describe-access-entry` prints it; the role's path is kept, STS reports none.
  const roleName = identity.canonicalArn.slice(identity.canonicalArn.lastIndexOf('/') + 1);
  const accessEntries = parseAccessEntries({
    authenticationMode: 'API_AND_CONFIG_MAP',
    accessEntries: [
      {
        principalArn: `arn:aws:iam::${identity.accountId}:role/developers/${roleName}`,
        type: 'STANDARD',
        username: 'dev:{{SessionName}}',
        kubernetesGroups: ['developers'],
        accessPolicies: [
          {
            policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
            accessScope: { type: 'namespace', namespaces: ['team-a', 'dev-*'] },
          },
        ],
      },
    ],
  });
  show(await resolveIdentity(identity, { accessEntries, awsAuth }));
  const viaEntries = await reviewToken(review, { ...verifyOptions, awsAuth, accessEntries });
  console.log(
    `reviewToken → HTTP ${viaEntries.status}, user ${viaEntries.body.status.user?.username ?? '-'}`,
  );
} finally {
  await emulator.close();
}
