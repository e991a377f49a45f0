/**
 * YAML syntax errors in an `aws-auth` value, said as the aws-auth fix.
 *
 * A parser's "bad indentation of a mapping entry" is true but useless to
 * someone who pasted an entry without its `- `. The line the parser stopped
 * at tells which of the usual slips it is.
 *
 * @module
 */
import { jsonQuoted } from '../util/control-characters.js';

/** What a syntax error means for an `aws-auth` author. */
export interface YamlHint {
  /** The problem, in aws-auth terms. */
  readonly message: string;
  /** What to write instead. */
  readonly fix?: string;
  /** Offset of the line the slip is on, when it is not the line the parser stopped at. */
  readonly offset?: number;
}

const FIELD = /^(\s*)(-\s+)?(rolearn|userarn|username|groups|sso|userid)\s*:/i;

function lineAt(text: string, offset: number): { line: string; previous: string[] } {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const end = text.indexOf('\n', offset);
  const before = text.slice(0, Math.max(0, start - 1)).split('\n');
  return { line: text.slice(start, end === -1 ? text.length : end), previous: before };
}

/** A `key: value` line whose value YAML cannot take unquoted, with its fix. */
function valueSlip(line: string): YamlHint | undefined {
  // Each blank run can end only one way: linear (test/security/regex-safety.test.ts).
  const m = /^(\s*(?:-\s+)?)("?[\w-]+"?)[ \t]*:([ \t]*)([^ \t][\s\S]*|)$/.exec(line);
  if (m === null) return undefined;
  const [, lead = '', key = '', space = '', raw = ''] = m;
  const comment = raw.search(/\s#/);
  const value = (comment === -1 ? raw : raw.slice(0, comment)).trimEnd();
  if (space === '' && value !== '' && FIELD.test(`${key}:`)) {
    return {
      message: `"${key}:" has no space after its colon, so YAML reads the whole line as one string`,
      fix: `${lead.trim() === '' ? '' : '- '}${key}: ${value}`,
    };
  }
  if (/^["']/.test(value)) {
    const q = value[0] as string;
    const closed =
      q === '"' ? /^"(?:[^"\\]|\\.)*"\s*$/.test(value) : /^'(?:[^']|'')*'\s*$/.test(value);
    if (!closed) {
      return {
        message: `the quoted value of "${key}" is not closed on its line`,
        fix: `${key}: ${value.trimEnd()}${q}`,
      };
    }
    return undefined;
  }
  if (/^[[{]/.test(value)) {
    const opens = (value.match(/[[{]/g) ?? []).length;
    const closes = (value.match(/[\]}]/g) ?? []).length;
    if (opens > closes && !/\{\{/.test(value)) {
      return {
        message: `the "${value[0]}" of "${key}" is not closed on its line`,
        fix: `${key}: ${value}${value[0] === '[' ? ']' : '}'}`,
      };
    }
    return undefined;
  }
  if (/:\s|:$/.test(value)) {
    // "system:node:" or "admin: x": a ": " (or a final ":") makes YAML read a key.
    return {
      message: `the value of "${key}" holds ": " or ends with ":", which YAML reads as another key`,
      fix: `quote the value: ${key}: "${value.replace(/"/g, '\\"')}"`,
    };
  }
  return undefined;
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

/**
 * The aws-auth reading of a YAML error at `offset` of `text` (`reason`: the
 * parser's words). `where` tells a whole manifest from one `mapRoles` value.
 */
export function explainYamlError(
  reason: string,
  text: string,
  offset: number | undefined,
  where: 'manifest' | 'value' = 'value',
): YamlHint {
  // Errors of Go's own conversion (go-yaml.ts) already say what EKS does.
  if (
    /^(json:|cannot decode|document contains|map merge|unknown anchor|anchor |a map key)/.test(
      reason,
    )
  ) {
    return { message: reason };
  }
  const at = offset === undefined ? undefined : lineAt(text, offset);
  const line = at?.line ?? '';
  if (reason === 'mapping keys must be plain strings' && /\{\{/.test(line)) {
    const m = /^([ \t]*(?:-[ \t]+)?)([\w-]+)[ \t]*:[ \t]*([\s\S]*)$/.exec(line);
    // An unquoted value ends where a comment starts (" #"): quoting the
    // comment too would change the username.
    const value = (m?.[3] ?? '').split(/[ \t]#/, 1)[0] as string;
    return {
      message:
        'an unquoted {{…}} placeholder is read by YAML as a map inside a map, which Go refuses',
      fix:
        m === null
          ? 'quote the value: "{{SessionName}}"'
          : `quote the value: ${(m[2] as string).trim()}: ${jsonQuoted(value.trimEnd())}`,
    };
  }
  if (/alias node|anchor node/.test(reason) || /(:|^\s*-)\s+[*&]\s*$/.test(line)) {
    return {
      message:
        'an unquoted "*" (or "&") starts a YAML alias (or anchor), which makes the text invalid ("*" is no wildcard in aws-auth either)',
      fix: 'quote it ("*"), or better, write the exact value',
    };
  }
  // The parser often stops a line after the slip: look at the line before too.
  const previousLine =
    at === undefined
      ? undefined
      : [...at.previous].reverse().find((l) => l.trim() !== '' && !/^\s*#/.test(l));
  if (previousLine !== undefined && offset !== undefined) {
    const slip = valueSlip(previousLine);
    const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
    const at = text.lastIndexOf(previousLine, Math.max(0, lineStart - 1));
    if (slip !== undefined) return at === -1 ? slip : { ...slip, offset: at };
  }
  const slip = valueSlip(line);
  if (slip !== undefined) return slip;
  if (/\t/.test(line.slice(0, indentOf(line) + 1)) || reason.includes('tab')) {
    return {
      message: 'a tab in the indentation: YAML indents with spaces only',
      fix: 'replace the tab with spaces',
    };
  }
  if (/^[ \t]*(?:-[ \t]*)?[\w-]+:[^\s/]/.test(line) && !/^[ \t]*(?:-[ \t]*)?[\w-]+:\s/.test(line)) {
    const fixed = line.replace(/^([ \t]*(?:-[ \t]*)?[\w-]+):/, '$1: ');
    if (FIELD.test(fixed)) {
      return { message: 'a field without a space after its ":"', fix: fixed.trim() };
    }
  }
  if (/indentation|document separator|mapping|sequence|block/.test(reason) && at !== undefined) {
    const field = FIELD.exec(line);
    if (where === 'manifest' && field !== null) {
      // An entry line that fell out of its "mapRoles: |" block.
      return {
        message: `"${line.trim().slice(0, 60)}" is not inside the "mapRoles: |" (or mapUsers) block above it: every line of the block must be indented deeper than its key`,
        fix: 'indent the whole list under its key by the same number of spaces',
      };
    }
    const previous = [...at.previous].reverse().find((l) => l.trim() !== '' && !/^\s*#/.test(l));
    if (field !== undefined && field !== null && field[2] === undefined) {
      if (/^\s*-\s/.test(previous ?? '') || /^\s*\w+:/.test(previous ?? '')) {
        return {
          message: `"${(field[3] as string).trim()}" is not lined up with the fields above it: either it starts a new entry without "- ", or it is indented differently from its entry's other fields`,
          fix: 'a list item needs "- ", and every field of one entry starts in the same column',
        };
      }
    }
    if (/^\s*-\s/.test(line)) {
      return {
        message:
          'a list item ("- ") is indented differently from the items above it, or a list starts where a field is expected',
        fix: 'line up every "- " of one list in the same column, under its field name or indented below it',
      };
    }
    return {
      message: `the indentation does not fit the lines above (${reason})`,
      fix: 'each entry starts with "- "; its fields line up under the first one',
    };
  }
  if (/quot|deficient/.test(reason)) {
    return {
      message: `a quoted value is not closed (${reason})`,
      fix: 'close the quote on the same line',
    };
  }
  return { message: reason };
}
