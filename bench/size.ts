/**
 * Installed size, as a user gets it: `npm pack` of this checkout, `npm install`
 * of the tarball into an empty project, then the size of that project's
 * `node_modules` (SPEC 8). The same for `aws-eks-token` (the version in this
 * repository's lockfile), installed from the registry into another empty
 * project.
 *
 * Counted: every file under `node_modules`, nested packages included, as
 * apparent bytes (the sum of file sizes) and as disk usage (`du -sk`, whole
 * blocks). Both installs skip install scripts; optional peers are not
 * installed (npm leaves optional peers out), so the figures are what a user
 * who did not ask for the AWS SDK gets.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatBytes, formatRatio } from './report.js';
import type { Section } from './report.js';

interface TreeSize {
  bytes: number;
  files: number;
  diskBytes: number;
  /** Apparent bytes per top-level package directory (`@scope/name` or `name`). */
  byPackage: Map<string, number>;
}

/** Apparent bytes and files under `dir`. */
function dirBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        bytes += lstatSync(full).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

function measure(nodeModules: string): TreeSize {
  const byPackage = new Map<string, number>();
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    // .bin holds links to files counted in their packages.
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? readdirSync(path.join(nodeModules, entry.name)).map((n) => `${entry.name}/${n}`)
      : [entry.name];
    for (const name of names) {
      const size = dirBytes(path.join(nodeModules, name));
      byPackage.set(name, size.bytes);
      bytes += size.bytes;
      files += size.files;
    }
  }
  const du = execFileSync('du', ['-sk', nodeModules], { encoding: 'utf8' });
  const diskBytes = Number(du.split(/\s/)[0]) * 1024;
  return { bytes, files, diskBytes, byPackage };
}

/** `npm install` `spec` into a new empty project; measure its `node_modules`. */
function installAndMeasure(spec: string): TreeSize {
  const project = mkdtempSync(path.join(os.tmpdir(), 'eks-iam-auth-size-'));
  try {
    writeFileSync(
      path.join(project, 'package.json'),
      '{ "name": "size-probe", "version": "0.0.0", "private": true }\n',
    );
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--silent', spec],
      { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    return measure(path.join(project, 'node_modules'));
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

function top(size: TreeSize, count: number): string {
  return [...size.byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, bytes]) =>
        `${name} ${formatBytes(bytes)} (${((bytes / size.bytes) * 100).toFixed(0)}%)`,
    )
    .join(', ');
}

/** Measure both installs. */
export function benchSize(root: string, distDir: string): Section {
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'eks-iam-auth-pack-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
      cwd: root,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop() as string;
    const ours = installAndMeasure(path.join(packDir, tarball));
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const peerVersion = lock.packages['node_modules/aws-eks-token']?.version ?? 'latest';
    const peer = installAndMeasure(`aws-eks-token@${peerVersion}`);
    const ownBytes = ours.byPackage.get('eks-iam-auth') ?? 0;
    const dist = dirBytes(distDir);
    return {
      title: 'Install size',
      method:
        '`npm pack` of this checkout, `npm install` of the tarball into an empty project (install' +
        ' scripts off; optional peers are not installed), then every file under its' +
        ' `node_modules`, nested packages included: apparent bytes (sum of file sizes) and disk' +
        ' usage (`du -sk`). `aws-eks-token` is installed and measured the same way.',
      rows: [
        {
          what: `npm install eks-iam-auth (tarball): node_modules, ${ours.byPackage.size} packages, ${ours.files} files`,
          value: `${formatBytes(ours.bytes)} (du ${formatBytes(ours.diskBytes)})`,
          versus: `aws-eks-token ${formatBytes(peer.bytes)} (du ${formatBytes(peer.diskBytes)}, ${peer.byPackage.size} packages)`,
          ratio: formatRatio(ours.bytes / peer.bytes),
          target: 'smaller',
          verdict: ours.bytes < peer.bytes ? 'met' : 'missed',
        },
        {
          what: 'of which the eks-iam-auth package itself (dist/, README, CHANGELOG, …)',
          value: formatBytes(ownBytes),
          versus: '—',
          ratio: '—',
          target: '—',
          verdict: 'info',
        },
        {
          what: 'this checkout’s dist/ (code, types, source maps)',
          value: formatBytes(dist.bytes),
          versus: '—',
          ratio: '—',
          target: '—',
          verdict: 'info',
        },
      ],
      notes: [
        `Largest packages of the eks-iam-auth install: ${top(ours, 6)}.`,
        `All of them: ${[...ours.byPackage.keys()].sort().join(', ')}.`,
        `Largest packages of the aws-eks-token ${peerVersion} install: ${top(peer, 4)}.`,
        'Optional peers (`@aws-sdk/credential-providers`, `@aws-sdk/client-ec2`) are not counted:' +
          ' npm does not install optional peers; users who want the SDK credential chain or EC2' +
          ' look-ups add them (and usually have them already).',
      ],
    };
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}
