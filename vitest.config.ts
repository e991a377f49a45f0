import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import type { ViteUserConfig } from 'vitest/config';

// Under CI a JSON report is written too: .ci/run reads its counts for the
// closing "N passed, N failed" line.
const ci = process.env['CI'] === 'true';

const config: ViteUserConfig = defineConfig({
  resolve: {
    // The package's name means its build, as the self-reference resolves it at
    // the root; examples/webhook has a package.json of its own (what people
    // copy), which ends the self-reference's scope there.
    alias: [
      {
        find: /^eks-iam-auth$/,
        replacement: fileURLToPath(new URL('./dist/index.js', import.meta.url)),
      },
    ],
  },
  test: {
    // The examples' suites run too, against the built package (self-reference).
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ci ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
  },
});

export default config;
