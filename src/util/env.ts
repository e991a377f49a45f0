/**
 * Portable access to environment variables: `process.env` on Node, Bun and
 * Deno's Node compatibility layer; nothing on edge runtimes without it.
 *
 * @module
 */

/** The value of environment variable `name`, or `undefined` (also when there is no environment). */
export function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const value = env?.[name];
  return value === undefined || value === '' ? undefined : value;
}
