import { defineConfig } from 'vitest/config';

/**
 * Three projects, so a change can be checked without a build:
 * - unit: in-process tests (real SQLite, fake servers on loopback); no dist/ needed.
 * - e2e: tests that spawn the built `kt` (dist/kt.js), on pipes or in tmux. A test
 *   that needs dist/ is named *.e2e.test.ts (test/architecture/test-projects.test.ts checks).
 * - packaging: `npm pack` and installs from a fake registry; the slowest, needs dist/.
 * `npm test` builds and runs all three; `npm run test:unit` runs the first alone.
 */
const E2E = 'test/**/*.e2e.test.{ts,tsx}';
const PACKAGING = 'test/packaging/**/*.test.{ts,tsx}';

const at = (path: string) => new URL(path, import.meta.url).pathname;

export default defineConfig({
  // Examples import the package by name, as an application would; tests run them against the sources.
  resolve: {
    alias: [
      { find: /^kohakuterrarium$/, replacement: at('./source/index.ts') },
      { find: /^kohakuterrarium\/testing$/, replacement: at('./source/testing/index.ts') },
      { find: /^kohakuterrarium\/providers$/, replacement: at('./source/providers.ts') },
      { find: /^kohakuterrarium\/compose$/, replacement: at('./source/compose.ts') },
    ],
  },
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Child processes and loopback servers: keep the 2-core machines responsive.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.{ts,tsx}'], exclude: [E2E, PACKAGING] },
      },
      {
        extends: true,
        // Terminal runs wait on screens with long deadlines; give a whole test room under load.
        test: { name: 'e2e', include: [E2E], exclude: [PACKAGING], testTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'packaging', include: [PACKAGING] },
      },
    ],
  },
});
