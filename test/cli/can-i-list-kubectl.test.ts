/**
 * `can-i --list` prints rules exactly as `kubectl auth can-i --list` does,
 * proven with the real kubectl: the same rules (`listPermissions`, through
 * `can-i --list --format json`) are served to kubectl as a
 * SelfSubjectRulesReview by a loopback API server, and kubectl's table must
 * equal ours without its SOURCE column. What kubectl does with them
 * (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go `printStatus`, over
 * staging/src/k8s.io/kubectl/pkg/util/rbac/rbac.go `BreakdownRule`,
 * `CompactRules`, `SortableRuleSlice`, and `describe.CombineResourceGroup`):
 * one row per resource name, one per non-resource URL and verb (never
 * merged, so `/healthz` may repeat), verbs merged without repeats, rows
 * sorted by the rule's Go `String()` (verbs first), `deployments.apps/scale`.
 * The rules below come from different sources for different resources, so
 * no row of kubectl's would merge two of ours.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permissions } from '../../src/authz/types.js';
import { toolForTests } from '../support/tools.js';
import { repoRoot } from '../support/vectors.js';
import { assertCliBuilt, baseEnv, makeHome, runCli } from './cli-process.js';
import type { CliResult } from './cli-process.js';

const KUBECTL = toolForTests('kubectl', 'these tests compare with the real kubectl');

const example = (file: string): string => path.join(repoRoot, 'examples', 'authz', file);
const session = (role: string, name: string): string =>
  `arn:aws:sts::111122223333:assumed-role/${role}/${name}`;

// Rules that exercise each step of kubectl's printing: several names, groups
// and verbs in one rule, verbs repeated across rules of one role,
// subresources, a star, non-resource URLs with two verbs.
const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: mixed}
rules:
- apiGroups: [apps, extensions]
  resources: [deployments/scale, replicasets]
  resourceNames: [web, api]
  verbs: [update, get]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [list]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [watch, list, get]
- apiGroups: [batch]
  resources: ["*"]
  verbs: ["*"]
- nonResourceURLs: [/metrics, /debug/*]
  verbs: [get, head]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-mixed}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: mixed}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: oncall}]
`;

describe.skipIf(KUBECTL === undefined)('can-i --list against the real kubectl', () => {
  const kubectlPath = KUBECTL ?? 'kubectl';
  let home: string;
  let remove: () => void;
  let server: Server;
  let kubeconfig: string;
  let rbacFile: string;
  // What the loopback API server answers to a SelfSubjectRulesReview.
  let status: unknown = {};

  beforeAll(async () => {
    assertCliBuilt();
    ({ home, remove } = makeHome());
    rbacFile = path.join(home, 'rbac.yaml');
    writeFileSync(rbacFile, RBAC);
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.setHeader('content-type', 'application/json');
        if (request.url?.startsWith('/version')) {
          response.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
          return;
        }
        // kubectl POSTs the review (protobuf or JSON) and accepts a JSON answer.
        response.end(
          JSON.stringify({
            kind: 'SelfSubjectRulesReview',
            apiVersion: 'authorization.k8s.io/v1',
            metadata: {},
            spec: {},
            status,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    kubeconfig = path.join(home, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: 'u', user: { token: 'loopback' } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'prod' } }],
        'current-context': 'c',
      }),
    );
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    remove?.();
  });

  function kubectl(args: string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(kubectlPath, args, {
        env: { ...baseEnv(home), KUBECONFIG: kubeconfig },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Our table without its last column (SOURCE), as kubectl would lay it out. */
  function withoutSource(table: string): string[] {
    return table
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        // SOURCE is the fifth column: everything from its start, found on the header.
        const at = table.split('\n')[0]?.indexOf('SOURCE') ?? -1;
        return line.slice(0, at).trimEnd();
      });
  }

  it.each([
    ['a developer: RBAC only, non-resource rows repeated', session('Developer', 'alice'), 'prod'],
    ['an auditor: an access policy in its columns', session('Auditor', 'carol'), 'prod'],
    [
      'oncall: names, groups, subresources, repeated verbs',
      'arn:aws:iam::111122223333:user/oncall',
      'prod',
    ],
  ])('%s', async (_name, arn, namespace) => {
    const cluster = [
      '--access-entries',
      example('access-entries.json'),
      '--aws-auth',
      example('aws-auth.yaml'),
      '--rbac',
      rbacFile,
      '--arn',
      arn,
    ];
    const json = await runCli(home, [
      'can-i',
      '--list',
      '-n',
      namespace,
      '--format',
      'json',
      ...cluster,
    ]);
    expect(json.code).toBe(0);
    const permissions = JSON.parse(json.stdout) as Permissions;
    status = {
      resourceRules: permissions.rules
        .filter((r) => r.resources.length > 0)
        .map(({ verbs, apiGroups, resources, resourceNames }) => ({
          verbs,
          apiGroups,
          resources,
          ...(resourceNames === undefined ? {} : { resourceNames }),
        })),
      nonResourceRules: permissions.rules
        .filter((r) => (r.nonResourceURLs ?? []).length > 0)
        .map(({ verbs, nonResourceURLs }) => ({ verbs, nonResourceURLs })),
      incomplete: false,
    };
    const theirs = await kubectl(['auth', 'can-i', '--list', '-n', namespace]);
    expect(theirs.stderr).toBe('');
    expect(theirs.code).toBe(0);
    const ours = await runCli(home, ['can-i', '--list', '-n', namespace, ...cluster]);
    expect(ours.code).toBe(0);
    const kubectlLines = theirs.stdout.split('\n').filter((line) => line !== '');
    expect(kubectlLines.length).toBeGreaterThan(5);
    expect(withoutSource(ours.stdout)).toEqual(kubectlLines);
  });
});
