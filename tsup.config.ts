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
    // Keep `node:` specifiers: Deno and Bun resolve `node:crypto`, not `crypto`.
    removeNodeProtocol: false,
    // Node built-ins are only ever loaded with a guarded dynamic import.
    external: [/^node:/],
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
    // Each command is a dynamic import: split chunks keep `--help` and
    // `token` from loading the code of the other commands.
    splitting: true,
    treeshake: true,
  },
];

export default config;
