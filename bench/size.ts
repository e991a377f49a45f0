/**
 * Installed size of the runtime dependency tree: eks-iam-auth's (its
 * `dependencies`, transitively; optional peers excluded) against
 * `aws-eks-token`'s (the package and everything it pulls in).
 *
 * Both trees are resolved the same way, from `package-lock.json` with Node's
 * lookup rules, and sized as the apparent bytes of every file of every package
 * directory (nested `node_modules` are separate packages of the tree). A
 * package shared by both trees counts in both, as it would in a fresh
 * install of either. eks-iam-auth's list is cross-checked against
 * `npm ls --omit=dev --all --parseable`.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatBytes, formatRatio } from './report.js';
import type { Section } from './report.js';

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
}

interface Lockfile {
  packages: Record<string, LockPackage>;
}

/** Where Node would find `name` when required from the package at `from`. */
function resolve(packages: Lockfile['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** Lockfile locations of `roots` and everything they depend on at run time. */
function closure(lock: Lockfile, roots: readonly string[], rootFrom: string): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const name of roots) {
    const at = resolve(lock.packages, rootFrom, name);
    if (at === undefined) throw new Error(`${name} is not installed`);
    queue.push(at);
  }
  while (queue.length > 0) {
    const at = queue.pop() as string;
    if (seen.has(at)) continue;
    seen.add(at);
    const pkg = lock.packages[at] ?? {};
    const requiredPeers = Object.keys(pkg.peerDependencies ?? {}).filter(
      (name) => !pkg.peerDependenciesMeta?.[name]?.optional,
    );
    const names = [
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...requiredPeers,
    ];
    for (const name of names) {
      const dep = resolve(lock.packages, at, name);
      // An optional dependency for another platform is absent from the lockfile.
      if (dep !== undefined) queue.push(dep);
    }
  }
  return seen;
}

/** Apparent bytes of the files under `dir`, nested `node_modules` excluded. */
function packageBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' && current === dir) continue;
        walk(full);
      } else if (entry.isFile()) {
        bytes += lstatSync(full).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

function treeSize(root: string, locations: Iterable<string>): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const at of locations) {
    const size = packageBytes(path.join(root, at));
    bytes += size.bytes;
    files += size.files;
  }
  return { bytes, files };
}

/** Measure both dependency trees. */
export function benchSize(root: string, distDir: string): Section {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const ours = closure(lock, Object.keys(manifest.dependencies ?? {}), '');
  const peer = closure(lock, ['aws-eks-token'], '');

  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .split('\n')
    .filter((line) => line !== '' && path.resolve(line) !== path.resolve(root))
    .map((line) => path.relative(root, line).split(path.sep).join('/'));
  const mismatch =
    listed.length !== ours.size || listed.some((at) => !ours.has(at))
      ? ` (npm ls lists ${listed.length} packages; the lockfile walk found ${ours.size}: check the tree)`
      : '';

  const ourSize = treeSize(root, ours);
  const peerSize = treeSize(root, peer);
  const distSize = packageBytes(distDir);
  return {
    title: 'Install size',
    method:
      'Apparent size of every file of every package in each runtime dependency tree, resolved' +
      ' from package-lock.json the way Node resolves modules; a package used by both trees counts' +
      ' in both, as in a fresh install of either.',
    rows: [
      {
        what: `eks-iam-auth runtime dependencies (${ours.size} packages, ${ourSize.files} files)`,
        value: formatBytes(ourSize.bytes),
        versus: `aws-eks-token tree ${formatBytes(peerSize.bytes)} (${peer.size} packages)`,
        ratio: formatRatio(ourSize.bytes / peerSize.bytes),
        target: 'smaller',
        verdict: ourSize.bytes < peerSize.bytes ? 'met' : 'missed',
      },
      {
        what: 'eks-iam-auth dist/ (code, types, source maps)',
        value: formatBytes(distSize.bytes),
        versus: '—',
        ratio: '—',
        target: '—',
        verdict: 'info',
      },
    ],
    notes: [
      `eks-iam-auth's packages: ${[...ours]
        .map((at) => at.replace(/^.*node_modules\//, ''))
        .sort()
        .join(', ')}.${mismatch}`,
      'Optional peers (`@aws-sdk/credential-providers`, `@aws-sdk/client-ec2`) are not counted:' +
        ' they are installed only by users who want the SDK credential chain or EC2 look-ups.',
    ],
  };
}
