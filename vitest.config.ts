import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests share one Redis and bind local ports; files run in parallel workers but
    // each test file owns its resources.
    pool: 'forks',
  },
});
