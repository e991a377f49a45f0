/**
 * Reading the files and standard input the commands are given, bounded: at
 * most one byte more than the limit is ever read, from a regular file, a
 * FIFO, a device (`/dev/zero` is refused after 1 MiB, not read until memory
 * runs out) or a pipe, so no input can make the tool hang on a size check or
 * hold more than the limit in memory.
 *
 * @module
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { EksAuthError } from '../errors.js';
import { UsageError } from './args.js';
import { escapeControl } from './output.js';
import { describeReadError, InputFileError } from './translate-error.js';

/**
 * Largest input read, in bytes: 1 MiB, what Kubernetes allows a ConfigMap
 * (and the library parsers' default `maxInputLength`). An aws-auth, an
 * access-entry dump, a mapping source or a token is far smaller; anything
 * bigger is the wrong file.
 */
export const MAX_INPUT_BYTES: number = 1024 * 1024;

/** How a file is named in messages: `-` is standard input. */
export function inputLabel(file: string): string {
  return file === '-' ? 'standard input' : file;
}

/**
 * The text of `file`, or of standard input when `file` is `-`, decoded as
 * UTF-8.
 *
 * @throws {@link UsageError} when it cannot be read (the reason in words,
 *   never an errno code) or holds more than `limit` bytes.
 */
export async function readTextInput(
  file: string,
  limit: number = MAX_INPUT_BYTES,
): Promise<string> {
  const label = escapeControl(inputLabel(file));
  let bytes: Buffer;
  try {
    bytes =
      file === '-'
        ? await readStreamBounded(process.stdin, limit)
        : await readFileBounded(file, limit);
  } catch (error) {
    throw new UsageError(`cannot read ${label}: ${describeReadError(error)}`, '');
  }
  if (bytes.length > limit) {
    throw new UsageError(
      `${label} is larger than ${formatBytes(limit)}: inputs are limited to what Kubernetes allows a ConfigMap (1 MiB); is it the right file?`,
      '',
    );
  }
  return bytes.toString('utf8');
}

/**
 * Read `file` (bounded, as {@link readTextInput}) and parse it with `parse`.
 *
 * @throws {@link InputFileError} naming the file when the parser throws a
 *   library error (`ERR_AWS_AUTH_INVALID`, `ERR_ACCESS_ENTRIES_INVALID`, …);
 *   what {@link readTextInput} throws.
 */
export async function readInputFile<T>(file: string, parse: (text: string) => T): Promise<T> {
  const text = await readTextInput(file);
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof EksAuthError) throw new InputFileError(inputLabel(file), error);
    throw error;
  }
}

/** Bytes asked of the file per read. */
const READ_CHUNK = 1024 * 1024;

/**
 * Up to `limit + 1` bytes of the file at `file`: one read loop for regular
 * files, FIFOs and character devices alike (their size is unknown or 0, so a
 * size check before reading proves nothing).
 */
async function readFileBounded(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    // open(2) succeeds on a directory; say so rather than "cannot be read".
    if ((await handle.stat()).isDirectory()) {
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return await readHandleBounded(handle, limit);
  } finally {
    await handle.close();
  }
}

/**
 * Up to `limit + 1` bytes from `handle`, from its current position (a FIFO
 * or a device has no other), stopping at end of file. Read in chunks, so a
 * small file costs a small buffer whatever the limit (64 MiB for `--rbac`).
 */
export async function readHandleBounded(handle: FileHandle, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let filled = 0;
  while (filled <= limit) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, limit + 1 - filled));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    filled += bytesRead;
  }
  return Buffer.concat(chunks, filled);
}

/** Up to `limit + 1` bytes of a stream; stops reading (and closes it) past that. */
async function readStreamBounded(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    size += buffer.length;
    // Leaving the loop ends the iteration, which destroys the stream.
    if (size > limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit + 1);
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
