/**
 * The webhook's log: one JSON object per line. Log lines carry text from
 * outside (a caller's ARN, a mapping file's messages), so every character a
 * terminal or a log viewer could act on is written as a JSON `\uXXXX`
 * escape: `JSON.stringify` already escapes C0 controls, this adds DEL, C1
 * controls (0x9B is a one-byte CSI for some terminals), bidirectional
 * overrides and the Unicode line separators. A JSON reader still gets the
 * exact value back.
 */

/** A structured log record. */
export interface LogRecord {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [key: string]: unknown;
}

/** Where log records go. */
export type Log = (record: LogRecord) => void;

// DEL and C1, the Unicode line and paragraph separators, the bidi marks,
// embeddings, overrides and isolates, and the invisible U+FEFF.
const UNSAFE_CLASS =
  '\\u007f-\\u009f\\u2028\\u2029\\u200e\\u200f\\u061c\\u202a-\\u202e\\u2066-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`, 'g');
// The same and the C0 controls, which plain text (unlike JSON) leaves raw.
const UNSAFE_IN_TEXT = new RegExp(`[\\u0000-\\u001f${UNSAFE_CLASS}]`, 'g');

const escaped = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `JSON.stringify(value)` with no character a terminal acts on left raw. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, escaped);
}

/** `text` with every character a terminal acts on written `\uXXXX`, for a plain-text line. */
export function safeText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escaped);
}

/** A {@link Log} writing JSON lines, with the time first, to `write` (stdout by default). */
export function jsonLinesLog(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Log {
  return (record) => write(`${safeJson({ time: new Date().toISOString(), ...record })}\n`);
}
