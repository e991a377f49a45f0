/**
 * examples/webhook: the drop-in for the Go authenticator's server, driven the
 * way kube-apiserver drives a token webhook (a TokenReview POST to
 * /authenticate), against the STS emulator. Go facts cite
 * kubernetes-sigs/aws-iam-authenticator at 81b1daba.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhook } from '../../examples/webhook/server.js';
import type { Webhook } from '../../examples/webhook/server.js';
import type { Log } from '../../examples/webhook/log.js';
import type { StsEmulator } from '../support/sts-emulator.js';
import { generateToken } from '../../src/token/generate.js';
import { NOW, REGION, SIGNED_AT, startEmulator, tokenFor } from '../verifier/support.js';

const ACCOUNT = '123456789012';
const CONFIG = `clusterID: demo
server:
  backendMode: [MountedFile, CRD, EKSConfigMap, DynamicFile]
  dynamicfilepath: DYNAMIC
  reservedPrefixConfig:
  - backendmode: CRD
    usernamePrefixReserveList: ["system:"]
  mapUsers:
  - userarn: arn:aws:iam::${ACCOUNT}:user/Alice
    username: alice
    groups: [eks-admins]
`;
const CRD = `apiVersion: iamauthenticator.k8s.aws/v1alpha1
kind: IAMIdentityMapping
metadata:
  name: my-role
spec:
  arn: arn:aws:iam::${ACCOUNT}:role/my-role-name
  username: crd:{{SessionName}}
  groups: [developers]
`;
const AWS_AUTH = (username: string): string => `apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::${ACCOUNT}:role/eks-node-role
      username: ${username}
      groups: [system:nodes]
`;
const DYNAMIC = (username: string): string =>
  JSON.stringify({
    LastUpdatedDateTime: '1700000000',
    Version: '1',
    mapRoles: [{ rolearn: `arn:aws:iam::${ACCOUNT}:role/PathRole`, username, groups: [] }],
  });

let dir: string;
let dynamicPath: string;
let emulator: StsEmulator;
let webhook: Webhook;
const logs: Parameters<Log>[0][] = [];
const waiters: { test: (r: Parameters<Log>[0]) => boolean; resolve: () => void }[] = [];
const log: Log = (record) => {
  logs.push(record);
  for (const w of waiters.splice(0)) {
    if (w.test(record)) w.resolve();
    else waiters.push(w);
  }
};
/** Resolves at the next log line that passes `test` (written after this call). */
function nextLog(test: (r: Parameters<Log>[0]) => boolean): Promise<void> {
  return new Promise((resolve) => waiters.push({ test, resolve }));
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** What kube-apiserver POSTs (k8s.io/apiserver webhook token authenticator). */
async function review(token: string, apiVersion = 'authentication.k8s.io/v1') {
  const response = await fetch(`${webhook.url}/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, */*' },
    body: JSON.stringify({
      apiVersion,
      kind: 'TokenReview',
      metadata: { creationTimestamp: null },
      spec: { token, audiences: ['https://kubernetes.default.svc'] },
      status: { user: {} },
    }),
  });
  const body = (await response.json()) as {
    apiVersion: string;
    status: {
      authenticated: boolean;
      user?: { username: string; uid: string; groups: string[]; extra: Record<string, string[]> };
    };
  };
  return { status: response.status, body };
}

async function metric(line: string): Promise<number | undefined> {
  const text = await (await fetch(`${webhook.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

/** The emulator for real STS hosts; a host for an invented region does not resolve, as in DNS. */
const dnsFetch: typeof fetch = (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  if (new URL(url).hostname.includes('madeup')) {
    return Promise.reject(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      }),
    );
  }
  return emulator.fetch(input, init);
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-webhook-'));
  emulator = await startEmulator();
  dynamicPath = file('dynamic.json', DYNAMIC('dynamic-v1'));
  webhook = await startWebhook({
    configFile: file('config.yaml', CONFIG.replace('DYNAMIC', dynamicPath)),
    identityMappingsFile: file('crd.yaml', CRD),
    awsAuthFile: file('aws-auth.yaml', AWS_AUTH('node-v1')),
    port: 0,
    reloadIntervalMs: 20,
    verifier: { region: REGION, fetch: dnsFetch, currentDate: NOW, retries: 0 },
    log,
  });
});
afterAll(async () => {
  await webhook?.close();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TokenReview answers (pkg/server/server.go:337-464)', () => {
  it('a user from the config file (MountedFile): 200 with the Go uid and extra (server.go:425-449)', async () => {
    const { status, body } = await review(await tokenFor(emulator, { caseId: 'iam-user' }));
    expect(status).toBe(200);
    expect(body.apiVersion).toBe('authentication.k8s.io/v1');
    expect(body.status.authenticated).toBe(true);
    expect(body.status.user).toMatchObject({
      username: 'alice',
      groups: ['eks-admins'],
      uid: `aws-iam-authenticator:${ACCOUNT}:AIDACKCEVSQ6C2EXAMPLE`,
    });
    expect(body.status.user?.extra).toMatchObject({
      principalId: ['AIDACKCEVSQ6C2EXAMPLE'],
      'sigs.k8s.io/aws-iam-authenticator/principalId': ['AIDACKCEVSQ6C2EXAMPLE'],
    });
  });

  it('a role from the IAMIdentityMapping file (CRD), v1beta1 request', async () => {
    const { status, body } = await review(
      await tokenFor(emulator, { caseId: 'assumed-role' }),
      'authentication.k8s.io/v1beta1',
    );
    expect(status).toBe(200);
    expect(body.apiVersion).toBe('authentication.k8s.io/v1beta1');
    expect(body.status.user).toMatchObject({
      username: 'crd:my-role-session-name',
      groups: ['developers'],
    });
  });

  it('an identity no source maps: 403, counted as the Go label "uknown_user" (server.go:414-423, metrics.go:16)', async () => {
    const before =
      (await metric(
        'aws_iam_authenticator_authenticate_latency_seconds_count{result="uknown_user"}',
      )) ?? 0;
    const { status, body } = await review(await tokenFor(emulator, { caseId: 'federated-user' }));
    expect(status).toBe(403);
    expect(body.status.authenticated).toBe(false);
    expect(
      await metric(
        'aws_iam_authenticator_authenticate_latency_seconds_count{result="uknown_user"}',
      ),
    ).toBe(before + 1);
  });

  // The Go server logs the caller's ARN with "access denied" (server.go:410-417);
  // the body tells kube-apiserver no more than before.
  it('an identity no source maps: the access-denied log names the verified ARN, the body does not', async () => {
    const denied = nextLog((r) => r.msg === 'access denied');
    const { body } = await review(await tokenFor(emulator, { caseId: 'federated-user' }));
    await denied;
    const line = logs.filter((r) => r.msg === 'access denied').at(-1);
    expect(line).toMatchObject({
      status: 403,
      arn: expect.stringMatching(/^arn:aws:sts::\d{12}:federated-user\//),
      accountId: expect.stringMatching(/^\d{12}$/),
    });
    expect(JSON.stringify(body)).not.toContain(String(line?.['arn']));
  });

  it('a token for another cluster: 403, "sts_error" (STS refuses the signature)', async () => {
    const { status } = await review(
      await tokenFor(emulator, { caseId: 'iam-user', clusterId: 'other' }),
    );
    expect(status).toBe(403);
    expect(
      await metric('aws_iam_authenticator_authenticate_latency_seconds_count{result="sts_error"}'),
    ).toBe(1);
  });

  it('not a token: 403, "invalid_token"', async () => {
    expect((await review('k8s-aws-v1.bm90LWEtdXJs')).status).toBe(403);
    expect(
      await metric(
        'aws_iam_authenticator_authenticate_latency_seconds_count{result="invalid_token"}',
      ),
    ).toBe(1);
  });

  it.each([
    ['GET', undefined, 405],
    ['POST', '{not json', 400],
    ['POST', '{"apiVersion":"v1","kind":"Pod"}', 400],
  ])('%s %s: %s, "malformed_request" (server.go:345-369)', async (method, body, status) => {
    const before =
      (await metric(
        'aws_iam_authenticator_authenticate_latency_seconds_count{result="malformed_request"}',
      )) ?? 0;
    const response = await fetch(`${webhook.url}/authenticate`, {
      method,
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status).toBe(status);
    expect(
      await metric(
        'aws_iam_authenticator_authenticate_latency_seconds_count{result="malformed_request"}',
      ),
    ).toBe(before + 1);
  });

  // Signed for eu-west-1: the verifier's backoff after throttling is per STS host, so
  // the other tests (us-west-2) are not held back by it.
  it('STS throttling: 429 and the STS counters with the Go labels (pkg/token/token.go:712-719, 793-807)', async () => {
    emulator.setFault('throttle', 1);
    const { token } = await generateToken({
      clusterId: 'demo',
      region: 'eu-west-1',
      credentials: emulator.credentialsFor('iam-user'),
      signingDate: SIGNED_AT,
    });
    const { status } = await review(token);
    expect(status).toBe(429);
    expect(await metric('aws_iam_authenticator_sts_throttling_total{StsRegion="eu-west-1"}')).toBe(
      1,
    );
    expect(
      await metric(
        'aws_iam_authenticator_sts_responses_total{ResponseCode="400",StsRegion="eu-west-1"}',
      ),
    ).toBe(1);
    expect(
      await metric(
        'aws_iam_authenticator_authenticate_latency_seconds_count{result="sts_throttling"}',
      ),
    ).toBe(1);
  });

  it('/healthz says ok, unknown paths 404, /metrics is Prometheus text (server.go:255-260)', async () => {
    expect(await (await fetch(`${webhook.url}/healthz`)).text()).toBe('ok');
    expect((await fetch(`${webhook.url}/nope`)).status).toBe(404);
    const response = await fetch(`${webhook.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'aws_iam_authenticator_authenticate_latency_seconds',
      'aws_iam_authenticator_sts_responses_total',
      'aws_iam_authenticator_sts_throttling_total',
      'aws_iam_authenticator_sts_connection_failures_total',
      'aws_iam_authenticator_dynamicfile_failures_total',
      'aws_iam_authenticator_configmap_watch_failures_total',
      'aws_iam_authenticator_dynamic_e2e_latency_seconds',
      'aws_iam_authenticator_dynamic_file_enabled',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(
      await metric(
        'aws_iam_authenticator_sts_responses_total{ResponseCode="200",StsRegion="us-west-2"}',
      ),
    ).toBeGreaterThanOrEqual(2);
    expect(await metric('aws_iam_authenticator_dynamic_file_enabled')).toBe(1);
  });

  it('tokens for invented regions never become StsRegion label values (metrics.go)', async () => {
    for (const region of ['us-madeup-1', 'us-madeup-2', 'eu-nowhere-7']) {
      const { token } = await generateToken({
        clusterId: 'demo',
        region: region.replace('nowhere', 'madeup'),
        credentials: emulator.credentialsFor('iam-user'),
        signingDate: SIGNED_AT,
      });
      // 503 while the host policy lets the name through and it resolves
      // nowhere; 403 where the policy knows the partition's regions.
      expect([403, 503]).toContain((await review(token)).status);
    }
    const text = await (await fetch(`${webhook.url}/metrics`)).text();
    expect(text).not.toContain('madeup');
  });
});

describe('reload on file change: swapped whole, a bad file keeps the last good one', () => {
  const nodeToken = (): Promise<string> => tokenFor(emulator, { caseId: 'ec2-instance-role' });
  // The EKSConfigMap entry maps the node role; CRD and MountedFile do not.
  it('a changed aws-auth file is used for the next review', async () => {
    expect((await review(await nodeToken())).body.status.user?.username).toBe('node-v1');
    const reloaded = nextLog((r) => r.msg === 'mappings reloaded');
    file('aws-auth.yaml', AWS_AUTH('node-v2-reloaded'));
    await reloaded;
    expect((await review(await nodeToken())).body.status.user?.username).toBe('node-v2-reloaded');
  });

  it('an aws-auth file that is not YAML: logged, the last good mappings stay', async () => {
    const refused = nextLog(
      (r) => r.msg.startsWith('mapping file refused') && r['source'] === 'EKSConfigMap',
    );
    file('aws-auth.yaml', 'data: [unclosed\n');
    await refused;
    expect(logs.find((r) => r.msg.startsWith('mapping file refused'))?.['reason']).toMatch(
      /not valid YAML/,
    );
    expect((await review(await nodeToken())).body.status.user?.username).toBe('node-v2-reloaded');
    expect(await metric('aws_iam_authenticator_configmap_watch_failures_total')).toBe(1);
  });

  it('a ConfigMap Kubernetes would refuse (missing "|"): logged, the last good mappings stay, never empty ones', async () => {
    const refused = nextLog(
      (r) => r.msg.startsWith('mapping file refused') && r['source'] === 'EKSConfigMap',
    );
    file('aws-auth.yaml', AWS_AUTH('node-v3').replace('mapRoles: |', 'mapRoles:'));
    await refused;
    expect(logs.filter((r) => r.msg.startsWith('mapping file refused')).at(-1)?.['reason']).toMatch(
      /^Kubernetes refuses this object/,
    );
    expect((await review(await nodeToken())).body.status.user?.username).toBe('node-v2-reloaded');
  });

  it('a DynamicFile the Go authenticator would refuse (dynamicfile.go:180-184): the last good one stays', async () => {
    const pathRole = (): Promise<string> =>
      tokenFor(emulator, { caseId: 'assumed-role-with-path' });
    expect((await review(await pathRole())).body.status.user?.username).toBe('dynamic-v1');
    const refused = nextLog(
      (r) => r.msg.startsWith('mapping file refused') && r['source'] === 'DynamicFile',
    );
    file('dynamic.json', '{"mapRoles":[{"username":"no-rolearn"}]}');
    await refused;
    expect((await review(await pathRole())).body.status.user?.username).toBe('dynamic-v1');
    const reloaded = nextLog((r) => r.msg === 'mappings reloaded');
    file('dynamic.json', DYNAMIC('dynamic-v2'));
    await reloaded;
    expect((await review(await pathRole())).body.status.user?.username).toBe('dynamic-v2');
    // dynamicfile.go:191-203: a reload after the first observes the file's age.
    expect(
      await metric('aws_iam_authenticator_dynamic_e2e_latency_seconds_count{type="dynamic_file"}'),
    ).toBe(1);
  });

  it('a config file the Go server would not start with: logged, the last good config stays', async () => {
    const alice = async (): Promise<string | undefined> =>
      (await review(await tokenFor(emulator, { caseId: 'iam-user' }))).body.status.user?.username;
    const refused = nextLog((r) => r.msg.startsWith('config file refused'));
    file(
      'config.yaml',
      `${CONFIG.replace('DYNAMIC', dynamicPath)}  mapRoles:\n  - username: no-arn\n`,
    );
    await refused;
    expect(await alice()).toBe('alice');
    const reloaded = nextLog((r) => r.msg === 'mappings reloaded');
    file(
      'config.yaml',
      CONFIG.replace('DYNAMIC', dynamicPath).replace('username: alice', 'username: alice-v2'),
    );
    await reloaded;
    expect(await alice()).toBe('alice-v2');
  });

  it('a deleted aws-auth file empties its source, as a deleted ConfigMap does (configmap.go:82-87)', async () => {
    const reloaded = nextLog((r) => r.msg === 'mappings reloaded');
    rmSync(path.join(dir, 'aws-auth.yaml'));
    await reloaded;
    const { status } = await review(await tokenFor(emulator, { caseId: 'ec2-instance-role' }));
    expect(status).toBe(403);
  });

  it('a username with a prefix reserved for its source is refused: 403 (server.go:487-489)', async () => {
    const reloaded = nextLog((r) => r.msg === 'mappings reloaded');
    file('crd.yaml', CRD.replace('crd:{{SessionName}}', 'system:{{SessionName}}'));
    await reloaded;
    const { status } = await review(await tokenFor(emulator, { caseId: 'assumed-role' }));
    expect(status).toBe(403);
    expect(logs.at(-1)?.['reason']).toMatch(/reserved for CRD/);
  });
});

describe('graceful shutdown', () => {
  it('close(): the request in flight is answered, then no new connection is accepted', async () => {
    const token = await tokenFor(emulator, { caseId: 'root' });
    const seen = emulator.requests.length;
    emulator.setFault({ kind: 'delay', delayMs: 200 }, 1);
    const inFlight = review(token);
    while (emulator.requests.length === seen) await new Promise((r) => setTimeout(r, 5));
    await webhook.close();
    expect((await inFlight).status).toBe(403); // root is not mapped: the answer came back whole
    await expect(fetch(`${webhook.url}/healthz`)).rejects.toThrow();
  });

  // cmd/aws-iam-authenticator/server.go:58 (signals.SetupSignalHandler): SIGTERM ends the server.
  it('the process exits 0 on SIGTERM', async () => {
    const config = file('sigterm.yaml', 'clusterID: demo\n');
    const child = spawn(
      process.execPath,
      [
        path.resolve('node_modules/tsx/dist/cli.mjs'),
        '--tsconfig',
        'examples/tsconfig.json',
        'examples/webhook/main.ts',
        '--config',
        config,
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('"msg":"listening"')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    const url = (
      JSON.parse(output.split('\n').find((l) => l.includes('"listening"')) as string) as {
        url: string;
      }
    ).url;
    expect(await (await fetch(url.replace('/authenticate', '/healthz'))).text()).toBe('ok');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
