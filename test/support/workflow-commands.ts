/**
 * How the GitHub Actions runner reads a workflow command from a line of a
 * step's output, written anew for the tests from the runner's source
 * (actions/runner at commit 258d6c857db3519913f7deb6004b60172f8043ae):
 *
 * - `src/Runner.Common/ActionCommand.cs` `TryParseV2`, lines 51–119: the
 *   line, trimmed at the start, must start with `::`; the command info runs
 *   to the next `::`; its name ends at the first space; the rest, trimmed,
 *   is split on `,` (empty parts dropped), each part on its first `=` (a
 *   part without both a key and a value is dropped); keys are compared
 *   ignoring case (line 34); the data is everything after the second `::`.
 * - `UnescapeProperty` (lines 227–241) replaces, in this order, `%0D`,
 *   `%0A`, `%3A`, `%2C`, `%25` (the table at lines 25–32);
 *   `UnescapeData` (lines 243–257) replaces `%0D`, `%0A`, `%25` (lines 18–23).
 * - `src/Runner.Worker/ActionCommandManager.cs` lines 70–71: a line that is
 *   no `::` command is tried with the old `##[command]` syntax, found
 *   anywhere in the line (`ActionCommand.TryParse`, lines 121–189).
 *
 * @module
 */

/**
 * The commands the runner registers (`src/Runner.Worker/ActionCommandManager.cs`
 * and its extensions at the same commit).
 */
export const REGISTERED_COMMANDS: ReadonlySet<string> = new Set([
  'error',
  'warning',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'stop-commands',
]);

/** A parsed workflow command. */
export interface WorkflowCommand {
  command: string;
  /** Property names lower-cased (the runner's dictionary ignores case). */
  properties: Map<string, string>;
  data: string;
}

const PROPERTY_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];
const DATA_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];

function unescape(text: string, table: [string, string][]): string {
  let out = text;
  for (const [escaped, token] of table) out = out.split(escaped).join(token);
  return out;
}

/** The runner's `TryParseV2` on one line, with `registered` command names. */
export function parseWorkflowCommand(
  line: string,
  registered: ReadonlySet<string>,
): WorkflowCommand | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command)) return undefined;
  const properties = new Map<string, string>();
  if (space > 0) {
    for (const part of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      // .NET Split('=', 2, RemoveEmptyEntries): a key and a non-empty value, or nothing.
      const pair =
        eq < 0 ? [part] : [part.slice(0, eq), part.slice(eq + 1)].filter((x) => x !== '');
      if (pair.length === 2)
        properties.set(
          (pair[0] as string).toLowerCase(),
          unescape(pair[1] as string, PROPERTY_ESCAPES),
        );
    }
  }
  return { command, properties, data: unescape(message.slice(end + 2), DATA_ESCAPES) };
}

/** True when the runner would read an old-style `##[command]` from a line that is no `::` command. */
export function hasLegacyCommand(line: string, registered: ReadonlySet<string>): boolean {
  let from = 0;
  for (;;) {
    const at = line.indexOf('##[', from);
    if (at < 0) return false;
    const close = line.indexOf(']', at);
    if (close < 0) return false;
    const info = line.slice(at + 3, close);
    const space = info.indexOf(' ');
    if (registered.has(space < 0 ? info : info.slice(0, space))) return true;
    from = at + 3;
  }
}
