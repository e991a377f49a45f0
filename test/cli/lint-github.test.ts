/**
 * `lint --format github` on a hostile corpus: file names and values with
 * line breaks, `::`, `%`, commas, control and bidirectional characters, old
 * `##[command]` syntax. Each output line is read back the way the Actions
 * runner reads it (test/support/workflow-commands.ts, from the runner's
 * source), and compared byte for byte with what GitHub's own toolkit
 * (`@actions/core`) writes for the same annotation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import {
  escapeCommandData,
  escapeCommandProperty,
  formatAnnotation,
} from '../../src/cli/lint-github.js';
import { escapeControl } from '../../src/cli/output.js';
import {
  REGISTERED_COMMANDS,
  hasLegacyCommand,
  parseWorkflowCommand,
} from '../support/workflow-commands.js';
import { runCli, useCliHome } from './cli-process.js';

/** One row per attack on the command syntax or the log. */
const HOSTILE: [string, string][] = [
  ['newline forging a second command', 'x\n::error file=/etc/passwd::forged'],
  ['carriage return', 'x\r::warning::rewound'],
  ['double colon', 'a::b::c'],
  ['percent and escapes written out', '%25 %0A %0D %3A %2C %'],
  ['commas and equals', 'a,b=c,line=1,title=forged'],
  ['old ##[ syntax', '##[error]forged ##[add-mask]secret'],
  ['stop-commands', '::stop-commands::token'],
  ['ESC sequence', '\u001b[31mred\u001b[0m'],
  ['bell, DEL, C1', 'a\u0007b\u007fc\u009bd'],
  ['bidi override', 'admin\u202e\u2066evil\u2069'],
  ['line and paragraph separators, NEL', 'a\u2028b\u2029c\u0085d'],
  ['NUL', 'a\u0000b'],
  ['trailing spaces and tab', 'name \t '],
];

const home = useCliHome();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An aws-auth whose one diagnostic (unknown-field) quotes `hostile` as a field name. */
function configMapQuoting(hostile: string): string {
  return [
    'data:',
    '  mapRoles: |',
    '    - rolearn: arn:aws:iam::111122223333:role/Admin',
    '      username: admin',
    // A YAML double-quoted key with every character past ASCII escaped: the
    // value is hostile, the file stays valid YAML (raw controls are tested
    // in lint-control-characters.test.ts).
    `      ${JSON.stringify(hostile).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}: 1`,
    '',
  ].join('\n');
}

/** What `@actions/core` writes to standard output for `core.error(message, properties)`. */
function viaActionsCore(message: string, properties: core.AnnotationProperties): string {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    core.error(message, properties);
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('escaping, checked against the runner and @actions/core', () => {
  it.each(HOSTILE)('%s: property and data read back exactly by the runner', (_name, text) => {
    // `col` last: the runner trims the property list, so a last value's
    // trailing spaces would not survive (annotations always end in col when
    // they have a position).
    const line = `::error title=${escapeCommandProperty(text)},file=${escapeCommandProperty(text)},col=1::${escapeCommandData(text)}`;
    const parsed = parseWorkflowCommand(line, REGISTERED_COMMANDS);
    expect(parsed?.command).toBe('error');
    expect(parsed?.data).toBe(text);
    expect(parsed?.properties.get('title')).toBe(text);
    expect(parsed?.properties.get('file')).toBe(text);
    expect(parsed?.properties.get('col')).toBe('1');
  });

  it.each(HOSTILE)('%s: byte for byte what @actions/core writes', (_name, text) => {
    const ours = formatAnnotation(text, {
      severity: 'error',
      code: 'unknown-field',
      key: '',
      line: 5,
      fieldLine: 5,
      column: 7,
      message: text,
    });
    // Ours puts every text through the one escaper first (no raw control
    // character in the log); for that text, GitHub's toolkit writes the same bytes.
    const theirs = viaActionsCore(escapeControl(text), {
      title: 'eks-iam-auth lint: unknown-field',
      file: escapeControl(text),
      startLine: 5,
      startColumn: 7,
    });
    expect(`${ours}\n`).toBe(theirs);
  });
});

describe('lint --format github on hostile files', () => {
  const dir = (): string => path.join(home(), 'hostile');

  beforeAll(() => {
    mkdirSync(dir(), { recursive: true });
  });

  it.each(HOSTILE.filter(([, text]) => !text.includes('\u0000')))(
    '%s, in a value and in the file name: one command per problem, nothing forged',
    async (_name, text) => {
      // A file name cannot hold "/" or NUL; everything else goes.
      const name = `aws-auth ${text.replaceAll('/', '_')}.yaml`;
      const file = path.join(dir(), name);
      writeFileSync(file, configMapQuoting(text));
      const result = await runCli(home(), ['lint', '--format', 'github', file]);
      // The same problems as the JSON format, in the same order.
      const json = await runCli(home(), ['lint', '--format', 'json', file]);
      const diagnostics = JSON.parse(json.stdout) as {
        severity: string;
        code: string;
        line?: number;
        fieldLine?: number;
        column?: number;
      }[];
      expect(diagnostics.map((d) => d.code)).toContain('unknown-field');
      expect(result.code).toBe(json.code);
      expect(result.stderr).toBe('');
      const lines = result.stdout.split('\n');
      expect(lines.pop()).toBe('');
      const commands = lines.map((l) => parseWorkflowCommand(l, REGISTERED_COMMANDS));
      expect(commands.map((c) => c?.command)).toEqual([
        ...diagnostics.map((d) => d.severity),
        'notice',
      ]);
      diagnostics.forEach((d, i) => {
        const c = commands[i];
        const line = d.fieldLine ?? d.line;
        expect(c?.properties.get('file')).toBe(escapeControl(file));
        expect(c?.properties.get('title')).toBe(`eks-iam-auth lint: ${d.code}`);
        expect(c?.properties.get('line')).toBe(line === undefined ? undefined : String(line));
        expect(c?.properties.get('col')).toBe(
          line === undefined ? undefined : String(d.fieldLine === undefined ? 1 : (d.column ?? 1)),
        );
      });
      const warning = commands[diagnostics.findIndex((d) => d.code === 'unknown-field')];
      expect(warning?.data).toMatch(/^mapRoles\[0\]\..*unknown field/);
      // Nothing an old-style parser could take for a command, no raw control
      // character in any part of any line.
      // (The runner tries the old syntax only on lines that are no `::` command.)
      for (const line of lines) {
        const read = parseWorkflowCommand(line, REGISTERED_COMMANDS) !== undefined;
        expect(read || !hasLegacyCommand(line, REGISTERED_COMMANDS)).toBe(true);
      }
      expect(result.stdout.slice(0, -1)).not.toMatch(
        // eslint-disable-next-line no-control-regex -- looking for raw control characters
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/,
      );
      expect(commands.at(-1)?.data).toMatch(
        new RegExp(`^${escapeRegExp(escapeControl(file))}: 1 entry, `),
      );
    },
  );

  it('errors and warnings keep their severity; exit status as in text format', async () => {
    const file = path.join(dir(), 'errors.yaml');
    writeFileSync(
      file,
      'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/team/Admin\n      username: admin\n',
    );
    const result = await runCli(home(), ['lint', '--format', 'github', file]);
    expect(result.code).toBe(EXIT.failure);
    const commands = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => parseWorkflowCommand(l, REGISTERED_COMMANDS));
    expect(commands.map((c) => c?.command)).toEqual(['error', 'notice']);
    expect(commands[0]?.data).toMatch(/^mapRoles\[0\]\.rolearn: the role ARN has a path/);
    expect(commands[0]?.properties.get('line')).toBe('3');
  });
});
