import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no services and runs anywhere; `integration`
// runs against the real Postgres and Redis (one database and Redis prefix
// per test file, made from a template migrated once per run).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,libs}/*/{src,test}/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/deploy/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{apps,libs}/*/{src,test}/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
