/**
 * Loading modules that may be absent: the optional peers
 * (`@aws-sdk/credential-providers`, `@aws-sdk/client-ec2`) and Node built-ins
 * (`node:crypto`) on runtimes that lack them.
 *
 * The specifier reaches `import()` as a parameter, never as a literal, so
 * bundlers (esbuild, wrangler, Vite, webpack) leave the call alone instead of
 * failing to resolve a package the user chose not to install: no alias or
 * `external` is needed to bundle this library. Where a bundle cannot load the
 * module at run time the import rejects and the caller falls back (or asks
 * for the value to be passed explicitly).
 *
 * @module
 */

/** Import `specifier` at run time; rejects when the module cannot be loaded here. */
export function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}
