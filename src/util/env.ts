/**
 * Portable, never-required access to environment variables.
 *
 * Node and Bun expose `process.env`; Deno 2 does too, but refuses every read
 * without `--allow-env` (it throws `NotCapable`); edge runtimes have no
 * environment at all. Here a read the runtime would refuse counts as
 * "unset", and whether it would is decided once per process (per variable
 * under Deno's `--allow-env=NAME` grants) by asking the runtime, never by
 * catching a throw on every call. Callers read only when no explicit option
 * decides the value.
 *
 * @module
 */

/** Reads one variable; `undefined` when unset, empty or not readable here. */
export type EnvReader = (name: string) => string | undefined;

/** The part of Deno's namespace the probe uses. */
interface DenoLike {
  permissions?: {
    querySync?: (descriptor: { name: 'env'; variable?: string }) => { state: string };
  };
  env?: { get(name: string): string | undefined };
}

/** The globals the probe looks at (a seam for tests: pass a stand-in for `globalThis`). */
export interface EnvGlobals {
  process?: { env?: Record<string, string | undefined> } | undefined;
  Deno?: DenoLike | undefined;
}

const noEnvironment: EnvReader = () => undefined;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Decide how to read the environment of the runtime behind `globals`. Under
 * Deno the permission is queried (never prompted for: `prompt` counts as
 * refused, so a token command cannot stall on a question); elsewhere
 * `process.env` is read as it is, or there is no environment.
 */
export function selectEnvReader(globals: EnvGlobals): EnvReader {
  const deno = globals.Deno;
  const query = deno?.permissions?.querySync;
  if (deno !== undefined && typeof query === 'function') {
    const read = (name: string): string | undefined =>
      nonEmpty(deno.env === undefined ? globals.process?.env?.[name] : deno.env.get(name));
    const granted = (variable?: string): boolean => {
      try {
        const descriptor =
          variable === undefined ? { name: 'env' as const } : { name: 'env' as const, variable };
        return query.call(deno.permissions, descriptor).state === 'granted';
      } catch {
        return false;
      }
    };
    if (granted()) return read;
    // Grants may name single variables (`--allow-env=AWS_REGION`): one answer per name.
    const answers = new Map<string, boolean>();
    return (name) => {
      let allowed = answers.get(name);
      if (allowed === undefined) {
        allowed = granted(name);
        answers.set(name, allowed);
      }
      return allowed ? read(name) : undefined;
    };
  }
  if (globals.process?.env === undefined) return noEnvironment;
  // Looked up per read: tests and some hosts replace `process.env` wholesale.
  return (name) => nonEmpty(globals.process?.env?.[name]);
}

let reader: EnvReader | undefined;

/**
 * The value of environment variable `name`, or `undefined` when it is unset,
 * empty, or the runtime has no environment or refuses to show it.
 */
export function readEnv(name: string): string | undefined {
  reader ??= selectEnvReader(globalThis as EnvGlobals);
  return reader(name);
}
