/**
 * Tools are found on PATH, never at a fixed location (the kubectl tests
 * used to need /usr/bin/kubectl).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from './tools.js';

const root = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-tools-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dir(name: string, files: Record<string, number>): string {
  const d = path.join(root, name);
  mkdirSync(d, { recursive: true });
  for (const [file, mode] of Object.entries(files)) {
    if (mode === -1) mkdirSync(path.join(d, file));
    else {
      writeFileSync(path.join(d, file), '#!/bin/sh\n');
      chmodSync(path.join(d, file), mode);
    }
  }
  return d;
}

describe('findOnPath', () => {
  const a = dir('a', { tool: 0o644, other: 0o755 });
  const b = dir('b', { tool: 0o755 });
  const c = dir('c', { tool: -1 });
  const d = dir('d', { tool: 0o755 });
  it.each<[string, string[], string | undefined]>([
    ['the first executable one, in PATH order', [b, d], path.join(b, 'tool')],
    ['skips a file that is not executable', [a, d], path.join(d, 'tool')],
    ['skips a directory of that name', [c, b], path.join(b, 'tool')],
    ['empty entries are ignored', ['', d], path.join(d, 'tool')],
    ['not found', [a, c], undefined],
  ])('%s', (_name, dirs, expected) => {
    expect(findOnPath('tool', dirs.join(path.delimiter))).toBe(expected);
  });
});
