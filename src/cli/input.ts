/**
 * Reading the files and standard input the commands are given.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from './args.js';

/**
 * Largest input read. An aws-auth ConfigMap is limited to 1 MiB by
 * Kubernetes; a token to 16 KiB by default. Anything bigger is a mistake.
 */
const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/**
 * The text of `file`, or of standard input when `file` is `-`.
 *
 * @throws {@link UsageError} (exit status 2) when it cannot be read or is too
 *   large: the command line pointed at the wrong thing.
 */
export async function readTextInput(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? await readStdin() : await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${file === '-' ? 'standard input' : file}: ${reason}`, '');
  }
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new UsageError(`${file === '-' ? 'standard input' : file} is larger than 4 MiB`, '');
  }
  return bytes.toString('utf8');
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    chunks.push(buffer);
    if (size > MAX_INPUT_BYTES) break;
  }
  return Buffer.concat(chunks);
}
