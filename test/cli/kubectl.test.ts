/**
 * End to end with a real kubectl: kubectl runs `eks-iam-auth token` as its
 * exec credential plugin, sends the token to a loopback HTTPS API server,
 * which reviews it with `reviewToken` against the STS emulator and an
 * `aws-auth` mapping, exactly as an EKS control plane would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhook } from '../../examples/webhook/server.js';
import type { Webhook } from '../../examples/webhook/server.js';
import { reviewToken } from '../../src/review.js';
import { startHttpsApiServer } from '../support/https-api-server.js';
import type { HttpsApiServer } from '../support/https-api-server.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';
import { load } from 'js-yaml';
import { toolForTests } from '../support/tools.js';
import { repoRoot } from '../support/vectors.js';
import { assertCliBuilt, baseEnv, CLI_PATH, makeHome } from './cli-process.js';
import type { CliResult } from './cli-process.js';

// Found on PATH (the tests drive the kubectl of the machine, wherever it
// is); `kubectl auth whoami` needs a client of 1.27 or later.
const KUBECTL = toolForTests('kubectl', 'these tests drive a real kubectl', (found) => {
  const { status, stdout } = spawnSync(found, ['version', '--client', '-o', 'json'], {
    encoding: 'utf8',
  });
  const minor = /"minor":\s*"(\d+)/.exec(stdout)?.[1];
  if (status !== 0 || minor === undefined) return `${found} does not report its version`;
  return Number(minor) < 27
    ? `${found} is kubectl 1.${minor}; these tests need 1.27 or later`
    : undefined;
});

// The emulator's principals come from sts-responses/get-caller-identity.json.
const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::123456789012:role/my-role-name
      username: dev:{{SessionName}}
      groups:
        - developers
  mapUsers: |
    - userarn: arn:aws:iam::123456789012:user/Alice
      username: alice
      groups:
        - eks-admins
`;

describe.skipIf(KUBECTL === undefined)('with the real kubectl on PATH', () => {
  const kubectlPath = KUBECTL ?? 'kubectl';

  let home: string;
  let removeHome: () => void;
  let emulator: StsEmulator;
  let server: HttpsApiServer;

  beforeAll(async () => {
    assertCliBuilt();
    ({ home, remove: removeHome } = makeHome());
    emulator = await startStsEmulator();
    server = await startHttpsApiServer({
      review: (review) =>
        reviewToken(review, {
          clusterId: 'demo',
          region: 'us-west-2',
          awsAuth: AWS_AUTH,
          fetch: emulator.fetch,
        }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await emulator?.close();
    removeHome?.();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  /** A kubeconfig whose user runs `node dist/cli.js token …` as its exec plugin. */
  function writeKubeconfig(
    name: string,
    execApiVersion: string,
    extraArgs: string[] = [],
    target: HttpsApiServer = server,
  ): string {
    const file = path.join(home, `${name}.kubeconfig`);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'demo', cluster: { server: target.url, 'certificate-authority': target.caFile } },
      ],
      users: [
        {
          name: 'aws',
          user: {
            exec: {
              apiVersion: execApiVersion,
              command: process.execPath,
              args: [
                CLI_PATH,
                'token',
                '--cluster-name',
                'demo',
                '--region',
                'us-west-2',
                ...extraArgs,
              ],
              interactiveMode: 'Never',
            },
          },
        },
      ],
      contexts: [{ name: 'demo', context: { cluster: 'demo', user: 'aws' } }],
      'current-context': 'demo',
    };
    writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
  }

  /** Run kubectl with the credentials of an emulator principal in its environment. */
  function kubectl(
    kubeconfig: string,
    caseId: string,
    args: string[],
    extraEnv: Record<string, string> = {},
  ): Promise<CliResult> {
    const credentials = emulator.credentialsFor(caseId);
    const env: Record<string, string> = {
      ...baseEnv(home),
      ...extraEnv,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    };
    return new Promise((resolve, reject) => {
      const child = spawn(
        kubectlPath,
        ['--kubeconfig', kubeconfig, '--request-timeout', '20s', ...args],
        {
          env,
          cwd: home,
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });
  }

  describe.each([['client.authentication.k8s.io/v1beta1'], ['client.authentication.k8s.io/v1']])(
    'kubectl with exec apiVersion %s',
    (execApiVersion) => {
      let kubeconfig: string;
      beforeAll(() => {
        kubeconfig = writeKubeconfig(execApiVersion.split('/')[1] as string, execApiVersion);
      });

      it('a mapped IAM user gets /api', async () => {
        const result = await kubectl(kubeconfig, 'iam-user', ['get', '--raw', '/api']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
        const seen = server.requests.find((r) => r.path === '/api');
        expect(seen?.status).toBe(200);
        expect(seen?.user).toMatchObject({ username: 'alice', groups: ['eks-admins'] });
        expect(seen?.user?.uid).toBe('aws-iam-authenticator:123456789012:AIDACKCEVSQ6C2EXAMPLE');
      });

      it('kubectl auth whoami shows the aws-auth mapping of an assumed role', async () => {
        const result = await kubectl(kubeconfig, 'assumed-role', ['auth', 'whoami', '-o', 'json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const review = JSON.parse(result.stdout) as {
          status: {
            userInfo: { username: string; groups: string[]; extra: Record<string, string[]> };
          };
        };
        expect(review.status.userInfo.username).toBe('dev:my-role-session-name');
        expect(review.status.userInfo.groups).toEqual(['developers']);
        expect(review.status.userInfo.extra['canonicalArn']).toEqual([
          'arn:aws:iam::123456789012:role/my-role-name',
        ]);
      });

      it('an identity aws-auth does not map is Unauthorized (401)', async () => {
        const result = await kubectl(kubeconfig, 'root', ['get', '--raw', '/api']);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/Unauthorized/);
        expect(server.requests.length).toBeGreaterThan(0);
        expect(server.requests.every((r) => r.hadToken && r.status === 401)).toBe(true);
      });
    },
  );

  it('kubectl without credentials fails in the plugin, naming the error code', async () => {
    const kubeconfig = writeKubeconfig('nocreds', 'client.authentication.k8s.io/v1beta1');
    const result = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(kubectlPath, ['--kubeconfig', kubeconfig, 'get', '--raw', '/api'], {
        env: baseEnv(home),
        cwd: home,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code).not.toBe(0);
    // kubectl relays the plugin's stderr.
    expect(result.stderr).toMatch(/error ERR_CREDENTIALS_MISSING/);
    expect(server.requests).toEqual([]);
  });

  it('kubectl reuses the --cache token across invocations', async () => {
    const kubeconfig = writeKubeconfig('cached', 'client.authentication.k8s.io/v1beta1', [
      '--cache',
    ]);
    const first = await kubectl(kubeconfig, 'iam-user', ['get', '--raw', '/api']);
    const second = await kubectl(kubeconfig, 'iam-user', ['get', '--raw', '/version']);
    expect([first.code, second.code]).toEqual([0, 0]);
    // The second kubectl process got the first one's token from the cache.
    const [a, b] = server.requests.map((r) => r.tokenSha256);
    expect(a).toBeDefined();
    expect(b).toBe(a);
    expect(server.requests.map((r) => r.user?.username)).toEqual(['alice', 'alice']);
  });

  // The API server's token webhook is examples/webhook, the drop-in for the Go
  // authenticator's server: kube-apiserver's TokenReview POST to /authenticate.
  describe('kubectl through examples/webhook (config file and IAMIdentityMapping sources)', () => {
    let dir: string;
    let webhook: Webhook;
    let apiServer: HttpsApiServer;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-kubectl-webhook-'));
      const configFile = path.join(dir, 'config.yaml');
      const crdFile = path.join(dir, 'mappings.yaml');
      writeFileSync(
        configFile,
        [
          'clusterID: demo',
          'server:',
          '  backendMode: [MountedFile, CRD]',
          '  mapUsers:',
          '  - userarn: arn:aws:iam::123456789012:user/Alice',
          '    username: alice-from-config',
          '    groups: [eks-admins]',
          '',
        ].join('\n'),
      );
      writeFileSync(
        crdFile,
        [
          'apiVersion: iamauthenticator.k8s.aws/v1alpha1',
          'kind: IAMIdentityMapping',
          'metadata: {name: dev}',
          'spec:',
          '  arn: arn:aws:iam::123456789012:role/my-role-name',
          '  username: crd:{{SessionName}}',
          '  groups: [developers]',
          '',
        ].join('\n'),
      );
      webhook = await startWebhook({
        configFile,
        identityMappingsFile: crdFile,
        port: 0,
        verifier: { region: 'us-west-2', fetch: emulator.fetch },
        log: () => undefined,
      });
      apiServer = await startHttpsApiServer({
        review: async (tokenReview) => {
          const response = await fetch(`${webhook.url}/authenticate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify(tokenReview),
          });
          return { status: response.status, body: await response.json() };
        },
      });
    });
    afterAll(async () => {
      await apiServer?.close();
      await webhook?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each([
      ['iam-user', 'alice-from-config', ['eks-admins']],
      ['assumed-role', 'crd:my-role-session-name', ['developers']],
    ])('kubectl auth whoami as %s', async (caseId, username, groups) => {
      const kubeconfig = writeKubeconfig(
        `webhook-${caseId}`,
        'client.authentication.k8s.io/v1beta1',
        [],
        apiServer,
      );
      const result = await kubectl(kubeconfig, caseId, ['auth', 'whoami', '-o', 'json']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const review = JSON.parse(result.stdout) as {
        status: {
          userInfo: { username: string; groups: string[]; extra: Record<string, string[]> };
        };
      };
      expect(review.status.userInfo).toMatchObject({ username, groups });
      expect(
        review.status.userInfo.extra['sigs.k8s.io/aws-iam-authenticator/principalId'],
      ).toHaveLength(1);
    });

    it('an identity neither source maps is Unauthorized', async () => {
      const kubeconfig = writeKubeconfig(
        'webhook-root',
        'client.authentication.k8s.io/v1',
        [],
        apiServer,
      );
      const result = await kubectl(kubeconfig, 'root', ['get', '--raw', '/api']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Unauthorized/);
    });
  });

  // The README's kubeconfig, as printed (command: eks-iam-auth, found on
  // PATH), under both exec API versions: kubectl's v1 refuses a user whose
  // exec config lacks `interactiveMode` (k8s.io/client-go
  // tools/clientcmd/api/v1 ExecConfig, json:"interactiveMode").
  describe('the README kubeconfig', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const block = /In a kubeconfig:\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const users = (
      load(block) as { users: { name: string; user: { exec: Record<string, unknown> } }[] }
    ).users;

    it('is found in the README', () => {
      expect(users[0]?.user.exec).toMatchObject({
        command: 'eks-iam-auth',
        interactiveMode: 'Never',
      });
    });

    it.each([
      ['as written', undefined],
      ['with exec apiVersion v1', 'client.authentication.k8s.io/v1'],
    ])('%s: kubectl runs eks-iam-auth from PATH and gets in', async (_name, apiVersion) => {
      const bin = path.join(home, 'readme-bin');
      mkdirSync(bin, { recursive: true });
      const shim = path.join(bin, 'eks-iam-auth');
      writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`, {
        mode: 0o755,
      });
      const user = users[0] as { name: string; user: { exec: Record<string, unknown> } };
      const exec = apiVersion === undefined ? user.user.exec : { ...user.user.exec, apiVersion };
      const file = path.join(
        home,
        `readme-${apiVersion === undefined ? 'as-written' : 'v1'}.kubeconfig`,
      );
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            { name: 'c', cluster: { server: server.url, 'certificate-authority': server.caFile } },
          ],
          users: [{ name: user.name, user: { exec } }],
          contexts: [{ name: 'c', context: { cluster: 'c', user: user.name } }],
          'current-context': 'c',
        }),
      );
      const result = await kubectl(file, 'iam-user', ['get', '--raw', '/api'], {
        PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(server.requests.at(-1)?.user).toMatchObject({ username: 'alice' });
    });
  });
});
