/**
 * Reading a mapping file so that a half-written one is never served.
 *
 * - A ConfigMap volume (also Secret and projected volumes): kubelet writes
 *   each version of the object into a new hidden directory `..<timestamp>`,
 *   points a `..data_tmp` symlink at it and renames that over `..data` (one
 *   atomic step), then removes the previous directory; the visible
 *   `aws-auth.yaml` is a symlink to `..data/aws-auth.yaml`
 *   (kubernetes pkg/volume/util/atomic_writer.go). Resolving `..data` once
 *   and reading inside the directory it names gives one whole version. A
 *   directory removed under the reader (the previous version, cleaned after
 *   a swap) is resolved again, and never taken for a deleted file.
 * - A plain file can be caught between two writes of whoever edits it (an
 *   editor, `kubectl get … > file`, a config agent). One read is checked
 *   against the file's status before and after it (same inode, size and
 *   times, and as many bytes as the size says); the caller also waits for
 *   the same content twice, one poll apart ({@link FileRead.settled}). A
 *   writer that pauses longer than that between two writes can still be
 *   read half-way: write plain files atomically (a temporary file renamed
 *   over the old one) or mount a ConfigMap.
 */
import { constants } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** The largest mapping file read; a ConfigMap holds at most 1 MiB of data. */
export const MAX_MAPPING_FILE_BYTES: number = 4 * 1024 * 1024;

/** What one read of a mapping file found. */
export type FileRead =
  | {
      readonly state: 'text';
      readonly text: string;
      /**
       * True when the text is one whole version by construction (a
       * ConfigMap volume's atomic swap); false for a plain file, which is
       * trusted only once it reads the same twice, one poll apart.
       */
      readonly settled: boolean;
      /** Identifies what was read (device, inode, size, times): equal reads have equal versions. */
      readonly version: string;
    }
  | { readonly state: 'missing'; readonly settled: boolean }
  /** Being written right now: keep what was read before, and read again soon. */
  | { readonly state: 'unsettled'; readonly reason: string }
  /** Unusable as it is (too large, not text, not a file): keep what was read before. */
  | { readonly state: 'refused'; readonly reason: string };

// Attempts at resolving a ConfigMap volume's `..data` while kubelet swaps it.
const VOLUME_ATTEMPTS = 3;

const NOT_A_FILE: FileRead = { state: 'refused', reason: 'not a regular file' };

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function versionOf(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/**
 * The directory kubelet publishes a volume's files in, when `file` is one of
 * them: the visible name is a symlink into `..data/`.
 */
async function volumeFile(file: string): Promise<string | undefined> {
  let link: string;
  try {
    link = await readlink(file);
  } catch {
    return undefined; // not a symlink (or gone): a plain file
  }
  const prefix = `..data${path.sep}`;
  return link.startsWith(prefix) ? link.slice(prefix.length) : undefined;
}

/** Not a regular file (a FIFO, a device, a directory): nothing a mapping can be read from. */
class NotAFileError extends Error {}

async function readBounded(
  file: string,
): Promise<{ bytes: Buffer; before: BigIntStats; after: BigIntStats }> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const before = await handle.stat({ bigint: true });
    if (!before.isFile()) throw new NotAFileError();
    const buffer = Buffer.alloc(Math.min(Number(before.size), MAX_MAPPING_FILE_BYTES) + 1 || 1);
    let length = 0;
    // Read to the end (or one byte past the limit): the size may change under us.
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    const after = await handle.stat({ bigint: true });
    return { bytes: buffer.subarray(0, length), before, after };
  } finally {
    await handle.close();
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

const TOO_LARGE: FileRead = {
  state: 'refused',
  reason: `the file is larger than ${MAX_MAPPING_FILE_BYTES} bytes (a ConfigMap holds at most 1 MiB of data)`,
};

/** Read one version of a ConfigMap volume's file. */
async function readVolume(file: string, name: string): Promise<FileRead> {
  const data = path.join(path.dirname(file), '..data');
  for (let attempt = 0; attempt < VOLUME_ATTEMPTS; attempt++) {
    let dir: string;
    try {
      dir = await realpath(data);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') continue; // between two steps of a swap
      throw error;
    }
    try {
      const { bytes, before } = await readBounded(path.join(dir, name));
      if (bytes.length > MAX_MAPPING_FILE_BYTES) return TOO_LARGE;
      const text = decode(bytes);
      if (text === undefined) return { state: 'refused', reason: 'the file is not UTF-8 text' };
      return { state: 'text', text, settled: true, version: `${dir}:${versionOf(before)}` };
    } catch (error) {
      if (error instanceof NotAFileError) return NOT_A_FILE;
      // The version just resolved was removed: kubelet swapped again.
      if (errnoOf(error) === 'ENOENT') continue;
      throw error;
    }
  }
  return {
    state: 'unsettled',
    reason: 'the ConfigMap volume is being swapped (..data names no complete version)',
  };
}

/** Read a plain file once, checked against its status before and after. */
async function readPlain(file: string): Promise<FileRead> {
  let read: Awaited<ReturnType<typeof readBounded>>;
  try {
    read = await readBounded(file);
  } catch (error) {
    if (error instanceof NotAFileError) return NOT_A_FILE;
    if (errnoOf(error) === 'ENOENT') return { state: 'missing', settled: false };
    throw error;
  }
  const { bytes, before, after } = read;
  if (bytes.length > MAX_MAPPING_FILE_BYTES) return TOO_LARGE;
  let current: BigIntStats | undefined;
  try {
    // Replaced by a rename while it was read: the name now means another file.
    current = await stat(file, { bigint: true });
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
  const version = versionOf(before);
  if (
    version !== versionOf(after) ||
    current === undefined ||
    versionOf(current) !== version ||
    BigInt(bytes.length) !== before.size
  ) {
    return { state: 'unsettled', reason: 'the file changed while it was read' };
  }
  const text = decode(bytes);
  if (text === undefined) return { state: 'refused', reason: 'the file is not UTF-8 text' };
  return { state: 'text', text, settled: false, version };
}

/**
 * Read a mapping file as described in this module: a ConfigMap volume's
 * file through the `..data` its directory names, a plain file checked
 * against its status. Errors other than "no such file" are thrown.
 */
export async function readMappingFile(file: string): Promise<FileRead> {
  const name = await volumeFile(file);
  if (name !== undefined) return readVolume(file, name);
  try {
    await lstat(file);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    // Gone from a ConfigMap volume: kubelet removed the key, one atomic step.
    const inVolume = await lstat(path.join(path.dirname(file), '..data')).then(
      (s) => s.isSymbolicLink(),
      () => false,
    );
    return { state: 'missing', settled: inVolume };
  }
  return readPlain(file);
}
