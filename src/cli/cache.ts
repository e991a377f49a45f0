/**
 * The optional on-disk token cache of `eks-iam-auth token --cache`.
 *
 * kubectl runs the exec plugin for every command that has no valid token in
 * memory, so each `kubectl get` would otherwise sign (and, with `--role-arn`,
 * call STS AssumeRole) again. The cache keeps **only tokens** — bearer
 * credentials for one cluster that die 15 minutes after signing — never AWS
 * credentials. Files are `0600` in a `0700` directory owned by the user; a
 * cache entry that another user could have written is ignored.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { readHandleBounded } from './input.js';

const FORMAT_VERSION = 1;
const MAX_ENTRY_BYTES = 64 * 1024;

/**
 * The cache directory: `$XDG_CACHE_HOME/eks-iam-auth`, else
 * `~/.cache/eks-iam-auth` (the XDG default).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
  return path.join(base, 'eks-iam-auth');
}

/**
 * The file name for everything a token depends on. Hashed so that the
 * access key id and role ARN do not show in a directory listing.
 */
export function cacheKey(parts: Readonly<Record<string, string | boolean | undefined>>): string {
  const canonical = JSON.stringify(
    Object.keys(parts)
      .sort()
      .map((k) => [k, parts[k] ?? null]),
  );
  return createHash('sha256').update(`v${FORMAT_VERSION}\n${canonical}`).digest('hex');
}

const currentUid = (): number | undefined =>
  typeof process.getuid === 'function' ? process.getuid() : undefined;

/** A directory or file we may trust: ours, not a symlink, no group/other access. */
function privateTo(stats: { uid: number; mode: number }): boolean {
  const uid = currentUid();
  return (uid === undefined || stats.uid === uid) && (stats.mode & 0o077) === 0;
}

/**
 * Create the cache directory `0700` if needed and check that it is ours.
 *
 * @throws Error when the directory is a symlink, not a directory, or owned by
 *   someone else: another user could then plant or read tokens.
 */
async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stats = await lstat(dir);
  if (!stats.isDirectory()) throw new Error(`${dir} is not a directory`);
  const uid = currentUid();
  if (uid !== undefined && stats.uid !== uid) throw new Error(`${dir} belongs to another user`);
  // An existing directory made by hand may be group-readable: tighten it.
  if ((stats.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

/**
 * The cached token for `key`, or `undefined` (missing, unreadable, not ours,
 * or not a cache entry). Freshness is the caller's decision.
 */
export async function readCachedToken(dir: string, key: string): Promise<string | undefined> {
  let handle;
  try {
    // In a directory others can write to, entries could be swapped between
    // keys, sending one cluster's token to another cluster's API server.
    const dirStats = await lstat(dir);
    if (!dirStats.isDirectory() || !privateTo(dirStats)) return undefined;
    // O_NOFOLLOW: a symlink planted in the cache must not be read through;
    // O_NONBLOCK: a FIFO planted there must not hang kubectl on open(2).
    handle = await open(
      path.join(dir, `${key}.json`),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch {
    return undefined;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || !privateTo(stats) || stats.size > MAX_ENTRY_BYTES) return undefined;
    // Bounded even after the size check: the file may grow in between.
    const bytes = await readHandleBounded(handle, MAX_ENTRY_BYTES);
    if (bytes.length > MAX_ENTRY_BYTES) return undefined;
    const entry: unknown = JSON.parse(bytes.toString('utf8'));
    if (
      typeof entry === 'object' &&
      entry !== null &&
      (entry as { version?: unknown }).version === FORMAT_VERSION &&
      (entry as { key?: unknown }).key === key &&
      typeof (entry as { token?: unknown }).token === 'string'
    ) {
      return (entry as { token: string }).token;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Store `token` under `key`: written `0600` to a fresh temporary file in the
 * same directory, then renamed over the entry, so a concurrent reader (two
 * kubectl processes) sees the old entry or the new one, never half of one.
 */
export async function writeCachedToken(dir: string, key: string, token: string): Promise<void> {
  await ensurePrivateDir(dir);
  const target = path.join(dir, `${key}.json`);
  const temp = path.join(dir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' (O_EXCL): never write through a file or symlink that already exists.
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify({ version: FORMAT_VERSION, key, token })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
