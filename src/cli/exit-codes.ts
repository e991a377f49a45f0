/**
 * The exit-status table every command follows: one meaning per status, and
 * per command what each status says. `--help` and docs/cli.md are written
 * from it, and a test runs every command into every status it lists.
 *
 * `migrate` (2: the plan loses something) and `can-i` (3: the answer cannot
 * be decided offline) fix statuses 2 and 3, so a script that runs `migrate`
 * must never take a mistyped flag for a lossy plan: every error, usage
 * errors included, is status 1, as kubectl's own commands do (`kubectl auth
 * can-i` exits 1 both for "no" and for an error; the message on standard
 * error tells them apart).
 *
 * @module
 */

/** Exit statuses, by what they mean. */
export const EXIT: Readonly<{
  ok: 0;
  failure: 1;
  usage: 1;
  lossy: 2;
  unknown: 3;
}> = Object.freeze({
  /** Success: the answer is yes (printed, verified, mapped, clean, lossless, allowed). */
  ok: 0,
  /** The answer is no (rejected, not mapped, lint errors, denied), or the command failed. */
  failure: 1,
  /** A usage error (unknown flag, bad value, unreadable input): a failure like any other. */
  usage: 1,
  /** The command did its job, but its result loses something (`migrate`). */
  lossy: 2,
  /** The answer cannot be decided offline (`can-i`, `who-can`). */
  unknown: 3,
});

/** An exit status of the table. */
export type ExitStatus = 0 | 1 | 2 | 3;

/** What each status means, for every command. */
export const EXIT_STATUS_MEANINGS: Readonly<Record<ExitStatus, string>> = Object.freeze({
  0: 'success: the answer is yes',
  1: 'the answer is no, or an error (usage errors and unreadable files included)',
  2: 'done, but the result loses something',
  3: 'the answer cannot be decided offline',
});

/**
 * What each status says for each command. A command lists only the statuses
 * it can end with; a new command adds its row here.
 */
export const COMMAND_EXIT_STATUSES: Readonly<Record<string, Partial<Record<ExitStatus, string>>>> =
  Object.freeze({
    token: {
      0: 'ExecCredential printed',
      1: 'error (no credentials, AssumeRole refused, usage error, ...)',
    },
    verify: {
      0: 'token verified',
      1: 'token rejected (the code is on standard error as "error ERR_...: ..."), or an error',
    },
    map: {
      0: 'identity mapped',
      1: 'not mapped (the near misses are on standard error), or an error',
    },
    lint: {
      0: 'no errors (warnings allowed)',
      1: 'errors found, or an error (usage, unreadable file)',
    },
    migrate: {
      0: 'the plan reproduces the ConfigMap: nothing lost, the check finds no difference',
      1: 'error (usage, unreadable file, invalid cluster name, bad input)',
      2: 'the plan is printed, but something is lost (see standard error)',
    },
    'can-i': {
      0: 'allowed (or --list printed)',
      1: 'denied or not mapped, or an error',
      3: 'unknown: nothing allows it, but an undocumented access policy or the Node authorizer might (the caveat says which)',
    },
    'who-can': {
      0: 'every answer is known (the list is complete)',
      1: 'an error (usage, unreadable file, bad input)',
      3: 'some principal may be allowed by an undocumented access policy or the Node authorizer (its row says unknown)',
    },
  });

/**
 * The "Exit status:" paragraph of a command's `--help`, wrapped at 78
 * columns, or of the tool's own `--help` when `command` is undefined.
 */
export function exitStatusHelp(command?: string): string {
  const statuses: Partial<Record<ExitStatus, string>> =
    command === undefined ? EXIT_STATUS_MEANINGS : (COMMAND_EXIT_STATUSES[command] ?? {});
  const parts = (Object.keys(statuses) as `${ExitStatus}`[]).map(
    (status) => `${status} ${statuses[status] ?? ''}`,
  );
  return wrap(`Exit status: ${parts.join('; ')}.`, 78);
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** The Markdown table of docs/cli.md: one row per command, one column per status. */
export function exitStatusTable(): string {
  const statuses: ExitStatus[] = [0, 1, 2, 3];
  const header = `| command | ${statuses.map((s) => `${s}: ${EXIT_STATUS_MEANINGS[s]}`).join(' | ')} |`;
  const rule = `| --- | ${statuses.map(() => '---').join(' | ')} |`;
  const rows = Object.entries(COMMAND_EXIT_STATUSES).map(
    ([command, row]) => `| \`${command}\` | ${statuses.map((s) => row[s] ?? '—').join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
