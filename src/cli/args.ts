/**
 * Command-line parsing on `node:util` `parseArgs`, with the tool's error
 * conventions: every mistake in the command line is a {@link UsageError}
 * (exit status 2, usage on standard error).
 *
 * @module
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** The command line is wrong: unknown flag, missing or conflicting argument. */
export class UsageError extends Error {
  /** The usage text of the command, printed after the message. */
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}

/** The `options` and `allowPositionals` part of a `parseArgs` config. */
type CommandConfig = Omit<ParseArgsConfig, 'args' | 'strict' | 'tokens'>;

/** What {@link parseCommandLine} returns: `help` when `-h`/`--help` was given. */
export type CommandLine<T extends CommandConfig> =
  | { help: true }
  | ({ help: false } & ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>>);

/**
 * Parse `argv` strictly against `config`. `-h`/`--help` anywhere before `--`
 * wins over every other problem, so a user who is lost can always get help.
 *
 * @throws {@link UsageError} for unknown flags, missing flag values, flags
 *   given twice, a boolean flag with a value, or stray positionals.
 */
export function parseCommandLine<T extends CommandConfig>(
  argv: string[],
  config: T,
  usage: string,
): CommandLine<T> {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes('-h') || flags.includes('--help')) return { help: true };
  let parsed: ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>>;
  try {
    parsed = parseArgs({ ...config, args: argv, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), usage);
  }
  // parseArgs keeps the last of a repeated string flag; a repeated
  // --cluster-name is more likely a mistake than an override, so refuse it.
  for (const [name, option] of Object.entries(config.options ?? {})) {
    if (option.type === 'string' && !option.multiple) {
      const spelled = [`--${name}`, ...(option.short ? [`-${option.short}`] : [])];
      const count = flags.filter((a) =>
        spelled.some((s) => a === s || a.startsWith(`${s}=`)),
      ).length;
      if (count > 1) throw new UsageError(`--${name} was given more than once`, usage);
    }
  }
  return { help: false, ...parsed };
}

// parseArgs messages are good but long and mention "strict:true" advice that
// is meant for programmers; keep the first sentence.
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('. ')[0] ?? message;
  return first.replace(/\.$/, '');
}

/**
 * The value of a required string flag.
 *
 * @throws {@link UsageError} if it is missing or empty.
 */
export function requireFlag(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`, usage);
  return value;
}

/**
 * `value` if it is one of `choices`, else a usage error naming them.
 *
 * @throws {@link UsageError}
 */
export function oneOf<C extends string>(
  value: string,
  choices: readonly C[],
  flag: string,
  usage: string,
): C {
  if ((choices as readonly string[]).includes(value)) return value as C;
  throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${value}"`, usage);
}
