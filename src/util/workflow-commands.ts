/**
 * What the GitHub Actions runner reads as a workflow command in a line of a
 * step's log (actions/runner at 258d6c857db3519913f7deb6004b60172f8043ae,
 * `src/Runner.Common/ActionCommand.cs`): a line that starts with `::` once
 * leading white space is trimmed (`TryParseV2`, lines 51–68), and the old
 * `##[` syntax anywhere in a line (`TryParse`, lines 121–139, tried for
 * every other line: `src/Runner.Worker/ActionCommandManager.cs` lines
 * 70–71). Printed from a file, such text forges annotations on files and
 * lines of its choosing, sets step outputs (`set-output`), masks log text
 * (`add-mask`) or stops the processing of the commands that follow
 * (`stop-commands`). Anything this package prints may land in such a log.
 *
 * @module
 */

/** A line that starts, after white space, with `::` (group 1: that white space). */
export const LEADING_WORKFLOW_COMMAND: RegExp = /^(\s*)::/;

/** The old `##[command]` syntax, found anywhere in a line. */
export const LEGACY_WORKFLOW_COMMAND: RegExp = /##\[/g;

/**
 * `quoted` (JSON, a YAML double-quoted scalar or an HCL quoted string) with
 * the `[` of every `##[` written `\u005b`: the same value to every reader of
 * those formats, and no old-style workflow command to the runner. Nothing
 * else in them needs it: the escaped text holds no line break, and each line
 * of a rendered document starts with a token of the format, never with `::`.
 */
export function escapeLegacyWorkflowCommands(quoted: string): string {
  return quoted.replace(LEGACY_WORKFLOW_COMMAND, '##\\u005b');
}
