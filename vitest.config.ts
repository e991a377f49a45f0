import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Fail on leaked handles and unhandled rejections instead of hiding them.
    dangerouslyIgnoreUnhandledErrors: false,
    testTimeout: 20_000,
  },
});
