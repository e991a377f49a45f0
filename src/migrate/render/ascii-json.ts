/**
 * JSON text that holds only printable ASCII (and, pretty-printed, line
 * breaks between tokens): every other character of a string is written as
 * a `\uXXXX` escape, astral characters as their two UTF-16 halves, as JSON
 * spells them. A reviewer then sees a bidi override, a homoglyph
 * (`sуstem:masters` with a Cyrillic `у`) or an invisible character as what
 * it is, and a terminal showing the plan acts on none of them.
 *
 * @module
 */

// Outside strings JSON.stringify writes only ASCII, so anything else is inside one.
const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7e]/g;
const NOT_PRINTABLE_ASCII_OR_QUOTE = /[^\x20-\x26\x28-\x7e]/g;

function escape(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `JSON.stringify(value, null, indent)` with every non-ASCII or control character escaped. */
export function asciiJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(NOT_PRINTABLE_ASCII, escape);
}

/**
 * One line of JSON with no character outside printable ASCII and no `'`
 * (written `\u0027`): safe inside a single-quoted shell word.
 */
export function shellSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(NOT_PRINTABLE_ASCII_OR_QUOTE, escape);
}
