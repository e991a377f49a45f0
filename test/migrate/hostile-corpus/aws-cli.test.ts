/**
 * The hostile corpus through the real AWS CLI: the rendered script runs in
 * bash, every `aws eks …` in it runs the `aws` found on PATH (v1 or v2)
 * against a loopback endpoint that records every request. The request
 * bodies (with the cluster name and principal the CLI moves into the URL)
 * must be the JSON plan's requests, nothing else may be sent, and nothing
 * may be read from disk: `file://`, `fileb://` and `http://` values naming a
 * canary file and the endpoint itself must arrive as text.
 *
 * The CLI gets static fake credentials and a region from the environment,
 * empty config and credentials files, no instance metadata, no pager; a
 * wrapper first on PATH adds `--endpoint-url` (Debian's AWS CLI 2.9 predates
 * `AWS_ENDPOINT_URL_EKS`) and hands the script's words on unchanged.
 * Each `aws` process costs about a second, so values ride in bulk where the
 * API allows (groups and namespaces take lists); usernames and principals,
 * one per request, take the option-like and URL-like values first.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAccessEntryMigration } from '../../../src/migrate/plan.js';
import { renderMigration } from '../../../src/migrate/render/index.js';
import { planRequests } from '../../../src/migrate/render/requests.js';
import type { EntryRequests } from '../../../src/migrate/render/requests.js';
import { missingTool, runTool } from '../../support/external-tool.js';
import { findOnPath } from '../../support/tools.js';
import {
  CLUSTER,
  CORPUS,
  corpusValuesCarried,
  isPathPart,
  isRoleName,
  isUnsafe,
  mapRolesText,
  placements,
  role,
  withNamespaces,
} from './corpus.js';
import type { CorpusEntry } from './corpus.js';

const skip = missingTool('aws');

/** One request the endpoint received. */
interface Recorded {
  method: string;
  url: string;
  body: string;
}

let server: Server;
let endpoint: string;
const recorded: Recorded[] = [];
let dir: string;
const canary = `CANARY-${randomBytes(8).toString('hex')}`;

beforeAll(async () => {
  if (skip !== undefined) return;
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      recorded.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-awscli-'));
  writeFileSync(path.join(dir, 'canary.txt'), canary);
  writeFileSync(path.join(dir, 'config'), '');
  writeFileSync(path.join(dir, 'credentials'), '');
  mkdirSync(path.join(dir, 'bin'));
  const wrapper = path.join(dir, 'bin', 'aws');
  writeFileSync(
    wrapper,
    `#!/usr/bin/env bash\nexec ${JSON.stringify(findOnPath('aws'))} --endpoint-url "$TEST_EKS_ENDPOINT" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
});

afterAll(async () => {
  if (skip !== undefined) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const ENTRIES = 20;
const MODEL = new URL('../../fixtures/aws-cli-model/', import.meta.url);

/** The corpus in as few requests as the API allows, with the canary values. */
function bulkPlan(): { plan: ReturnType<typeof withNamespaces>; requests: EntryRequests[] } {
  const canaryPath = path.join(dir, 'canary.txt');
  const dynamic = [
    `file://${canaryPath}`,
    `fileb://${canaryPath}`,
    `${endpoint}/canary`,
    `${endpoint.replace('http:', 'https:')}/canary`,
  ];
  const safe = [...dynamic, ...CORPUS.map((c) => c.value).filter((v) => !isUnsafe(v))];
  const first = (category: string): string[] =>
    CORPUS.filter((c) => c.category === category).map((c) => c.value);
  // What the AWS CLI would have acted on first: URL-like and option-like values, alternately.
  const urls = first('url-like');
  const options = first('option-like');
  const cliFirst = [
    ...dynamic,
    ...Array.from({ length: Math.max(urls.length, options.length) }, (_, i) => [
      urls[i],
      options[i],
    ])
      .flat()
      .filter((v): v is string => v !== undefined),
  ];
  const usernames = cliFirst.filter((v) => !isUnsafe(v)).slice(0, ENTRIES);
  const names = cliFirst.filter(isRoleName).slice(0, ENTRIES / 2);
  const paths = cliFirst.filter(isPathPart).slice(0, ENTRIES / 2);
  const entries: CorpusEntry[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const name = i < names.length ? (names[i] as string) : `cli-${i}`;
    entries.push({
      arn: role(name),
      username: usernames[i] ?? `user-${i}`,
      groups: [
        ...(i === 0 ? ['system:masters'] : []),
        ...safe.filter((_, k) => k % ENTRIES === i),
        // Unsafe values too: losses, which must reach no request.
        ...CORPUS.filter((c, k) => isUnsafe(c.value) && k % ENTRIES === i).map((c) => c.value),
      ],
    });
  }
  const principalArns = entries.flatMap((e, i) =>
    i >= names.length && paths[i - names.length] !== undefined
      ? [role(`${paths[i - names.length] as string}/cli-${i}`)]
      : [],
  );
  const planned = planAccessEntryMigration(
    { mapRoles: mapRolesText(entries) },
    { clusterName: CLUSTER, principalArns },
  );
  const perPolicy = Math.ceil(safe.length / 4);
  const namespaces = [0, 1, 2, 3].map((k) => safe.slice(k * perPolicy, (k + 1) * perPolicy));
  const plan = withNamespaces(planned, namespaces);
  return { plan, requests: planRequests(plan) };
}

/** The request a recorded call carries: body fields plus what the CLI put in the URL. */
function requestOf(r: Recorded): { operation: string; request: Record<string, unknown> } {
  const body = JSON.parse(r.body) as Record<string, unknown>;
  const create = /^\/clusters\/([^/]+)\/access-entries$/.exec(r.url);
  if (create !== null) {
    const { clientRequestToken, ...rest } = body;
    // The CLI fills CreateAccessEntry's idempotency token itself.
    expect(clientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    return {
      operation: 'create',
      request: { clusterName: decodeURIComponent(create[1] as string), ...rest },
    };
  }
  const associate = /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies$/.exec(r.url);
  expect(associate, r.url).not.toBeNull();
  return {
    operation: 'associate',
    request: {
      clusterName: decodeURIComponent(associate?.[1] as string),
      principalArn: decodeURIComponent(associate?.[2] as string),
      ...body,
    },
  };
}

describe.skipIf(skip !== undefined)('the hostile corpus through the AWS CLI', () => {
  it('sends exactly the JSON plan, reads no file, fetches no URL', async () => {
    const { plan, requests } = bulkPlan();
    const script = renderMigration(plan, { format: 'aws-cli' });
    writeFileSync(path.join(dir, 'plan.sh'), script);
    const env: Record<string, string> = {
      PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env['PATH'] ?? ''}`,
      HOME: dir,
      LANG: 'C.UTF-8',
      TEST_EKS_ENDPOINT: endpoint,
      AWS_ENDPOINT_URL_EKS: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_CLI_AUTO_PROMPT: 'off',
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
    };
    const aws = findOnPath('aws') as string;
    const version = await runTool(aws, ['--version'], { cwd: dir, env });
    const knows = async (): Promise<boolean> =>
      (
        await runTool(aws, ['eks', 'create-access-entry', '--generate-cli-skeleton'], {
          cwd: dir,
          env,
        })
      ).code === 0;
    if (!(await knows())) {
      // An AWS CLI older than access entries (Debian 12's): add the two operations.
      Object.assign(env, { AWS_DATA_PATH: fileURLToPath(MODEL) });
      expect(await knows()).toBe(true);
    }
    const run = await runTool('bash', ['plan.sh'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);

    const wanted = requests.flatMap((r) => [
      { operation: 'create', request: r.create as unknown as Record<string, unknown> },
      ...r.associate.map((a) => ({
        operation: 'associate',
        request: a as unknown as Record<string, unknown>,
      })),
    ]);
    // Nothing else sent: one recorded request per planned request, in order.
    expect(recorded.map((r) => r.method)).toEqual(wanted.map(() => 'POST'));
    expect(recorded.map(requestOf)).toEqual(wanted);
    for (const r of recorded) {
      expect(r.body).not.toContain(canary);
      expect(r.url).not.toContain('canary');
    }
    const values = placements(requests).length;
    console.log(
      `aws-cli (${(version.stdout || version.stderr).trim()}${env['AWS_DATA_PATH'] === undefined ? '' : ', access-entry model added'}): ${recorded.length} requests, ${values}/${values} values sent as planned; ${corpusValuesCarried(requests)} corpus values carried, ${plan.losses.length} losses sent nowhere`,
    );
  }, 600_000);
});
