import type { Options } from 'tsup';

// Dependencies stay external so users dedupe them with their own AWS SDK
// install. The library is built for a neutral platform (it must run on edge
// runtimes too); the command-line tool is Node-only.
const config: Options[] = [
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'neutral',
    // Node built-ins, the optional peers and the XML parser are imported by
    // name at run time (src/util/optional-import.ts): nothing to resolve.
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: false,
    sourcemap: true,
    clean: false,
    // Each command is a dynamic import: split chunks keep `--help` from
    // loading the code of the commands. `token` is its own single file
    // (below), resolved next to cli.js at run time.
    splitting: true,
    treeshake: true,
    esbuildOptions(options) {
      options.external = [...(options.external ?? []), './token.js'];
    },
  },
  {
    // `eks-iam-auth token` runs before every kubectl command that lacks a
    // fresh token: one file to load instead of a tree of shared chunks
    // (measured faster than splitting out AssumeRole and the cache). What it
    // rarely needs stays behind dynamic imports, inlined but not evaluated
    // until used; only Node built-ins are imported up front.
    entry: { token: 'src/cli/token.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
    treeshake: true,
  },
];

export default config;
