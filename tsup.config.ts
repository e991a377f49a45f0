import { defineConfig } from 'tsup';

// One ESM entry; dependencies stay external so users dedupe them with their
// own AWS SDK install. Declarations are emitted beside the bundle.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
});
