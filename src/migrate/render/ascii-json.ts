/**
 * JSON text that holds only printable ASCII (and, pretty-printed, line
 * breaks between tokens): every other character of a string is written as
 * a `\uXXXX` escape, astral characters as their two UTF-16 halves, as JSON
 * spells them. A reviewer then sees a bidi override, a homoglyph
 * (`sуstem:masters` with a Cyrillic `у`) or an invisible character as what
 * it is, and a terminal showing the plan acts on none of them. The `[` of
 * a `##[` is written `\u005b` too: the same value, and no GitHub Actions
 * workflow command when the plan is printed in a CI log
 * (`util/workflow-commands.ts`).
 *
 * @module
 */
import { escapeLegacyWorkflowCommands } from '../../util/workflow-commands.js';

// Outside strings JSON.stringify writes only ASCII, so anything else is inside one.
const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7e]/g;
const NOT_PRINTABLE_ASCII_OR_QUOTE = /[^\x20-\x26\x28-\x7e]/g;
// With the `u` flag an astral character is one match, not two halves.
const NOT_PRINTABLE_ASCII_CODE_POINT = /[^\x20-\x7e]/gu;

function escape(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `JSON.stringify(value, null, indent)` with every non-ASCII or control character escaped. */
export function asciiJson(value: unknown, indent?: number): string {
  return escapeLegacyWorkflowCommands(
    JSON.stringify(value, null, indent).replace(NOT_PRINTABLE_ASCII, escape),
  );
}

/**
 * One line of JSON with no character outside printable ASCII and no `'`
 * (written `\u0027`): safe inside a single-quoted shell word.
 */
export function shellSafeJson(value: unknown): string {
  return escapeLegacyWorkflowCommands(
    JSON.stringify(value).replace(NOT_PRINTABLE_ASCII_OR_QUOTE, escape),
  );
}

/**
 * A YAML double-quoted scalar holding exactly `value`, in printable ASCII:
 * JSON string syntax (YAML 1.1 and 1.2 read JSON's escapes alike; its `\/`
 * never appears), every other character a `\uXXXX` escape, and a character
 * above U+FFFF one `\UXXXXXXXX` escape. Not two `\u` halves as in JSON:
 * PyYAML (which cfn-lint and the AWS CLI read templates with) turns each
 * `\u` half into a lone surrogate, and libyaml refuses them.
 */
export function asciiYamlString(value: string): string {
  return escapeLegacyWorkflowCommands(
    JSON.stringify(value).replace(NOT_PRINTABLE_ASCII_CODE_POINT, (c) => {
      const code = c.codePointAt(0) as number;
      return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : escape(c);
    }),
  );
}
