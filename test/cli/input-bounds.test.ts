/**
 * Bounded reads (SPEC 4.1; issue "the CLI reads a whole file, /dev/zero or a
 * FIFO before its size check"): every file and standard input is read with
 * at most 1 MiB + 1 bytes, whatever it is. Each row failed before: the tool
 * read to end of file first (never, for /dev/zero or a FIFO whose writer
 * stays open) and allowed 4 MiB.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { MAX_INPUT_BYTES } from '../../src/cli/input.js';
import { runCli, useCliHome } from './cli-process.js';

const MiB = 1024 * 1024;
// Far beyond the time a bounded read takes; only a tool that reads forever meets it.
const SAFETY_NET_MS = 20_000;

const VALID =
  'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Admin\n      username: admin\n';

const home = useCliHome();

/** A ConfigMap padded with a YAML comment to exactly `size` bytes. */
function padded(size: number): string {
  return `${VALID}#${'x'.repeat(size - VALID.length - 2)}\n`;
}

function fifo(name: string): string {
  const file = path.join(home(), name);
  execFileSync('mkfifo', [file]);
  return file;
}

const tooLarge = (label: string): RegExp =>
  new RegExp(`^error: ${label} is larger than 1 MiB`, 'm');

describe('the limit is 1 MiB, what Kubernetes allows a ConfigMap', () => {
  it('matches the parsers: 1 MiB', () => {
    expect(MAX_INPUT_BYTES).toBe(MiB);
  });

  it('a file of exactly 1 MiB is read', async () => {
    const file = path.join(home(), 'exactly.yaml');
    writeFileSync(file, padded(MiB));
    const result = await runCli(home(), ['lint', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT.ok);
  });

  it('regression: a file of 1 MiB + 1 byte is refused (4 MiB were read before)', async () => {
    const file = path.join(home(), 'over.yaml');
    writeFileSync(file, padded(MiB + 1));
    const result = await runCli(home(), ['lint', file]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(tooLarge(file));
  });
});

describe('devices, FIFOs and pipes are read with at most limit + 1 bytes', () => {
  it.runIf(existsSync('/dev/zero'))(
    'regression: /dev/zero is refused at once, not read until memory runs out',
    async () => {
      for (const command of [
        ['lint', '/dev/zero'],
        ['map', '--aws-auth', '/dev/zero', '--arn', 'arn:aws:iam::111122223333:role/Admin'],
        ['migrate', '/dev/zero', '--cluster-name', 'prod'],
      ]) {
        const result = await runCli(home(), command, { killAfterMs: SAFETY_NET_MS });
        expect(result.code, command.join(' ')).toBe(EXIT.usage);
        expect(result.stderr).toMatch(tooLarge('/dev/zero'));
      }
    },
  );

  it('regression: a FIFO whose writer never closes it is refused after 1 MiB + 1 bytes', async () => {
    const file = fifo('endless.fifo');
    const lint = runCli(home(), ['lint', file], { killAfterMs: SAFETY_NET_MS });
    // Opening for writing waits for the tool to open it for reading.
    const writer = await open(file, 'w');
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const writing = (async (): Promise<void> => {
      // Far more than the limit; the tool stops reading long before (EPIPE).
      for (let i = 0; i < 64; i++) await writer.write(chunk);
    })().catch(() => undefined);
    const result = await lint;
    // The tool answered while the writer still held the FIFO open: it never
    // waited for an end of file.
    await writing;
    await writer.close();
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(tooLarge(file));
  });

  it('a FIFO with a ConfigMap in it is read like a file', async () => {
    const file = fifo('small.fifo');
    const lint = runCli(home(), ['lint', file], { killAfterMs: SAFETY_NET_MS });
    const writer = await open(file, 'w');
    await writer.write(VALID);
    await writer.close();
    const result = await lint;
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: EXIT.ok, stdout: `${file}: 1 entry, no problems\n` });
  });

  it.each<[string, string[]]>([
    ['lint -', ['lint', '-']],
    [
      'map --aws-auth -',
      ['map', '--aws-auth', '-', '--arn', 'arn:aws:iam::111122223333:role/Admin'],
    ],
    ['verify --token -', ['verify', '--token', '-', '--cluster-name', 'demo']],
  ])('regression: %s refuses 2 MiB on standard input', async (_name, args) => {
    const result = await runCli(home(), args, {
      stdin: Buffer.alloc(2 * MiB, 0x61),
      killAfterMs: SAFETY_NET_MS,
    });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(tooLarge('standard input'));
  });
});
