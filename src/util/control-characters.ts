/**
 * Characters no name from a ConfigMap should carry, because some reader
 * acts on them instead of showing them: the C0 controls (NUL, which a shell
 * argument cannot hold; ESC, which starts terminal sequences; CR and LF,
 * which forge lines), DEL, the C1 controls (NEL, which YAML 1.1 reads as a
 * line break; CSI), the line and paragraph separators U+2028/U+2029, the
 * bidirectional controls that reorder what a reviewer sees ("Trojan
 * Source", CVE-2021-42574: U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
 * U+061C), the invisible U+FEFF, and lone UTF-16 surrogates (not text at
 * all: no UTF-8 encoder can send them).
 *
 * @module
 */

// With the `u` flag a surrogate class matches only unpaired halves.
const CONTROL =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/u;

/** The first control character in `value` (see the module comment), or `undefined`. */
export function findControlCharacter(value: string): string | undefined {
  return CONTROL.exec(value)?.[0];
}

/** A character's code point as `U+XXXX`, for messages that must not print it raw. */
export function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * `value` as a JSON string (also a YAML double-quoted scalar) with every
 * control character written `\uXXXX` (with `ascii`, every character outside
 * printable ASCII): JSON.stringify leaves DEL, C1, bidi controls and the
 * separators raw.
 */
export function jsonQuoted(value: string, ascii = false): string {
  let quoted = '';
  for (const c of JSON.stringify(value)) {
    const code = c.codePointAt(0) as number;
    const keep = ascii ? code >= 0x20 && code < 0x7f : findControlCharacter(c) === undefined;
    if (keep) quoted += c;
    else {
      for (let i = 0; i < c.length; i++) {
        quoted += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
      }
    }
  }
  return quoted;
}

/**
 * `value` quoted for a message: {@link jsonQuoted}, cut to 80 characters, so
 * quoting a hostile name in a diagnostic or a loss never prints it raw.
 */
export function quoteForMessage(value: string, ascii = false): string {
  return jsonQuoted(value.length > 80 ? `${value.slice(0, 77)}...` : value, ascii);
}

/**
 * `values` as a list in a message, `["a", "b"]`, each quoted by `quote`
 * (default {@link quoteForMessage}; {@link jsonQuoted} to show each whole).
 */
export function quotedList(
  values: readonly string[],
  quote: (value: string) => string = (value) => quoteForMessage(value),
): string {
  return `[${values.map((value) => quote(value)).join(', ')}]`;
}
