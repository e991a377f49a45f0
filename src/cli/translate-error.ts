/**
 * The command line speaks in flags and files, the library in option names
 * and the system in errno codes. Everything a command prints about a failure
 * goes through here first, so a user reads `--partition must be …` and
 * `cannot read aws-auth.yaml: no such file or directory`, never
 * `options.partition` or `ENOENT`. Every command (and any new one) passes
 * its own {@link FlagNames} to `reportError`.
 *
 * @module
 */

import type { EksAuthError } from '../errors.js';

/**
 * A library error about the content of one input file: printed as
 * `error CODE: FILE: message`, so the user knows which of the files given
 * is wrong (the parsers see text, not file names).
 */
export class InputFileError extends Error {
  /** The file as given on the command line (`standard input` for `-`). */
  readonly file: string;
  /** The parser's error, code and all. */
  readonly error: EksAuthError;

  constructor(file: string, error: EksAuthError) {
    super(`${file}: ${error.message}`, { cause: error });
    this.name = 'InputFileError';
    this.file = file;
    this.error = error;
  }
}

/**
 * Which command-line flag supplies each library option a command passes on,
 * e.g. `{ partition: '--partition', clusterId: '--cluster-name' }`. Keys are
 * option paths as the library's messages name them (`options.<path>`).
 */
export type FlagNames = Readonly<Record<string, string>>;

/** What the errno codes a file read can end with mean, in words. */
const ERRNO_WORDS: Readonly<Record<string, string>> = Object.freeze({
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the file name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EAGAIN: 'the input is not ready to be read',
  EINVAL: 'it cannot be read as a file',
  EBADF: 'it cannot be read as a file',
  ESPIPE: 'it cannot be read as a file',
  ETIMEDOUT: 'the read timed out',
  EOVERFLOW: 'it is too large to read',
  EFBIG: 'it is too large to read',
});

/**
 * Why a file could not be read, in words: the errno code of a system error
 * translated, never the code itself (a system message also names the code
 * and the path, which the caller already prints).
 */
export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && Object.hasOwn(ERRNO_WORDS, code)) {
    return ERRNO_WORDS[code] as string;
  }
  return 'it cannot be read';
}

/** True when `error` is a system error (an errno `code` such as `ENOENT`, `EISDIR`). */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as { code?: unknown } | null)?.code;
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string';
}

// `verifyToken: options.partition must …` → `options.partition must …`: the
// library names its function first; on the command line that is noise.
const FUNCTION_PREFIX = /^[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)?: /;
const OPTION_PATH = /\boptions\.([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)/g;

/**
 * A library message (a `TypeError` about an option, an error that names an
 * option) in the command line's words: the function prefix dropped, every
 * `options.<path>` replaced by the flag that supplies it, or by "the
 * <name> setting" when no flag does (never an option path).
 */
export function translateLibraryMessage(message: string, flags: FlagNames = {}): string {
  return message.replace(FUNCTION_PREFIX, '').replace(OPTION_PATH, (_match, path: string) => {
    const flag = flags[path] ?? flags[path.split('.')[0] ?? ''];
    return flag ?? `the ${path.split('.').pop() ?? path} setting`;
  });
}
