import { defineConfig } from 'vitest/config';
import type { ViteUserConfig } from 'vitest/config';

// Under CI a JSON report is written too: .ci/run reads its counts for the
// closing "N passed, N failed" line.
const ci = process.env['CI'] === 'true';

const config: ViteUserConfig = defineConfig({
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
