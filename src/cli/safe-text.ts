/**
 * Text from input files (ARNs, usernames, messages quoting them) printed to a
 * terminal: control characters, C1 controls, line and paragraph separators and
 * bidirectional overrides are written as escapes, so a ConfigMap or an
 * access-entry file cannot send terminal escape sequences or forge lines.
 *
 * @module
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character written as `\xNN` or `\uNNNN`. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
