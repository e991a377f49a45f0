/**
 * examples/webhook reloads: the last good mappings stay for anything that
 * would never reach the Go authenticator, and a file is never served
 * half-written. Driven through `MappingFiles` with explicit `reload()` calls
 * (no polling, no timers), each step checked with `mapIdentity` on what a
 * request would be answered with at that moment.
 *
 * Facts: Kubernetes refuses a ConfigMap whose `data` value is not a string
 * (k8s.io/api core/v1 ConfigMap: `Data map[string]string`; `kubectl apply`
 * fails and the object is unchanged), so the Go authenticator's watch never
 * sees it (pkg/mapper/configmap/configmap.go:59-98, at 81b1daba); kubelet
 * publishes a ConfigMap volume by swapping the `..data` symlink to a new
 * timestamped directory with one rename (kubernetes
 * pkg/volume/util/atomic_writer.go, "Write" steps 7-10).
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  appendFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mapIdentity } from 'eks-iam-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Log, LogRecord } from '../../examples/webhook/log.js';
import { WebhookMetrics } from '../../examples/webhook/metrics.js';
import { MappingFiles } from '../../examples/webhook/sources.js';
import { manifest } from '../aws-auth/fixtures.js';

const ACCOUNT = '123456789012';
const OPS = `arn:aws:sts::${ACCOUNT}:assumed-role/ops/alice`;

/** An aws-auth manifest mapping the `ops` role to `username` with `group`, in block style. */
function awsAuth(username: string, group: string): string {
  return manifest({
    mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/ops\n  username: ${username}\n  groups:\n    - ${group}\n`,
  });
}

let dir: string;
let logs: LogRecord[];
const log: Log = (record) => logs.push(record);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-reload-'));
  logs = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function start(file: string): Promise<MappingFiles> {
  const files = new MappingFiles(
    { awsAuthFile: file, backendMode: ['EKSConfigMap'] },
    log,
    new WebhookMetrics(),
  );
  await files.load(0);
  return files;
}

/** A plain aws-auth file mapping ops to `group`, and its MappingFiles loaded. */
async function plainFile(group: string): Promise<{ file: string; files: MappingFiles }> {
  const file = path.join(dir, 'aws-auth.yaml');
  writeFileSync(file, awsAuth('ops', group));
  return { file, files: await start(file) };
}

/** The groups a request from the ops role gets now (`null`: not mapped). */
async function opsGroups(files: MappingFiles): Promise<readonly string[] | null> {
  return (await mapIdentity(files.current, OPS))?.groups ?? null;
}

describe('the last good mappings stay for what would never reach the Go authenticator', () => {
  it('a ConfigMap Kubernetes refuses (missing "|": a list where a string belongs) is not loaded as empty mappings', async () => {
    const { file, files } = await plainFile('ops-team');
    expect(await opsGroups(files)).toEqual(['ops-team']);

    writeFileSync(file, awsAuth('ops', 'ops-team').replace('mapRoles: |', 'mapRoles:'));
    await files.reload();
    await files.reload(); // a plain file is used once it reads the same twice
    expect(await opsGroups(files)).toEqual(['ops-team']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'mapping file refused; keeping the last good mappings',
        source: 'EKSConfigMap',
        reason: expect.stringMatching(/^Kubernetes refuses this object: mapRoles must be a string/),
      }),
    );
    // Logged once, not at every poll.
    await files.reload();
    expect(logs.filter((r) => r.msg.startsWith('mapping file refused'))).toHaveLength(1);

    // The fixed file is used again.
    writeFileSync(file, awsAuth('ops', 'ops-fixed'));
    await files.reload();
    await files.reload();
    expect(await opsGroups(files)).toEqual(['ops-fixed']);
  });

  it('a ConfigMap with a data key Kubernetes refuses (validation.go IsConfigMapKey) keeps the last good mappings', async () => {
    const { file, files } = await plainFile('ops-team');
    writeFileSync(file, `${awsAuth('ops', 'ops-v2')}  "old roles": x\n`);
    await files.reload();
    await files.reload();
    expect(await opsGroups(files)).toEqual(['ops-team']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        source: 'EKSConfigMap',
        reason: expect.stringMatching(/^Kubernetes refuses this object: the data key "old roles"/),
      }),
    );
  });

  it('a valid ConfigMap whose entries EKS drops is used as the Go authenticator uses it (no last-good fallback)', async () => {
    const { file, files } = await plainFile('ops-team');
    // The object is accepted by Kubernetes; the Go authenticator saves what parsed (nothing here).
    writeFileSync(file, awsAuth('ops', 'ops-team').replace('    - rolearn', '    - [rolearn'));
    await files.reload();
    await files.reload();
    expect(await opsGroups(files)).toBeNull();
  });
});

describe('a half-written file is never served', () => {
  it('a plain file written in two steps: "system:masters-readonly" is never read as "system:masters"', async () => {
    const { file, files } = await plainFile('ops-team');
    const whole = awsAuth('ops', 'system:masters-readonly');
    const cut = whole.indexOf('-readonly');

    // The writer truncates the file and writes its first part, then stops a moment.
    truncateSync(file, 0);
    appendFileSync(file, whole.slice(0, cut));
    await files.reload();
    expect(await opsGroups(files)).toEqual(['ops-team']);
    // The writer finishes before the next poll (one that pauses longer cannot
    // be told from a finished one: read-file.ts says to write atomically).
    appendFileSync(file, whole.slice(cut));
    await files.reload();
    expect(await opsGroups(files)).not.toEqual(['system:masters']);
    await files.reload();
    expect(await opsGroups(files)).toEqual(['system:masters-readonly']);
  });

  it('a change is used only once it reads the same twice, one reload apart', async () => {
    const { file, files } = await plainFile('v1');
    writeFileSync(file, awsAuth('ops', 'v2'));
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v1']);
    writeFileSync(file, awsAuth('ops', 'v3'));
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v1']);
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v3']);
  });

  it('a deleted plain file empties its source once it is missing twice (a deleted ConfigMap, configmap.go:82-87)', async () => {
    const { file, files } = await plainFile('v1');
    rmSync(file);
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v1']);
    await files.reload();
    expect(await opsGroups(files)).toBeNull();
  });

  it('a FIFO in place of the file is refused without waiting for a writer', async () => {
    const { file, files } = await plainFile('v1');
    rmSync(file);
    execFileSync('mkfifo', [file]);
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v1']);
    expect(logs).toContainEqual(
      expect.objectContaining({ source: 'EKSConfigMap', reason: 'not a regular file' }),
    );
  });
});

describe('a ConfigMap volume (kubelet atomic_writer.go): followed as kubelet writes it', () => {
  /** Publish `text` as a new version of the volume, the way kubelet does. */
  function publish(volume: string, version: string, text: string, removeOld?: string): void {
    const versionDir = path.join(volume, `..${version}`);
    mkdirSync(versionDir);
    writeFileSync(path.join(versionDir, 'aws-auth.yaml'), text);
    symlinkSync(`..${version}`, path.join(volume, '..data_tmp'));
    renameSync(path.join(volume, '..data_tmp'), path.join(volume, '..data'));
    if (removeOld !== undefined) rmSync(path.join(volume, `..${removeOld}`), { recursive: true });
  }

  function volume(): string {
    const v = path.join(dir, 'volume');
    mkdirSync(v);
    publish(v, '2026_01_01_00_00_00.000000001', awsAuth('ops', 'v1'));
    symlinkSync('..data/aws-auth.yaml', path.join(v, 'aws-auth.yaml'));
    return v;
  }

  it('a swapped version is used at the first reload (it is whole by construction)', async () => {
    const v = volume();
    const files = await start(path.join(v, 'aws-auth.yaml'));
    expect(await opsGroups(files)).toEqual(['v1']);
    publish(
      v,
      '2026_01_01_00_01_00.000000002',
      awsAuth('ops', 'v2'),
      '2026_01_01_00_00_00.000000001',
    );
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v2']);
  });

  it('a version being written beside the published one is never read', async () => {
    const v = volume();
    const files = await start(path.join(v, 'aws-auth.yaml'));
    const next = path.join(v, '..2026_01_01_00_01_00.000000002');
    mkdirSync(next);
    writeFileSync(path.join(next, 'aws-auth.yaml'), awsAuth('ops', 'system:masters'));
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v1']);
  });

  it('..data naming a version already removed (mid-swap) keeps the last good mappings, never "deleted"', async () => {
    const v = volume();
    const files = await start(path.join(v, 'aws-auth.yaml'));
    rmSync(path.join(v, '..2026_01_01_00_00_00.000000001'), { recursive: true });
    await files.reload();
    await files.reload();
    expect(await opsGroups(files)).toEqual(['v1']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: 'mapping file is being written; keeping the last good mappings until it settles',
      }),
    );
  });

  it('a key removed from the ConfigMap (kubelet removes its link) empties the source at once', async () => {
    const v = volume();
    const files = await start(path.join(v, 'aws-auth.yaml'));
    rmSync(path.join(v, 'aws-auth.yaml'));
    await files.reload();
    expect(await opsGroups(files)).toBeNull();
  });
});
