import { defineConfig } from 'vitest/config';

/** Browser tests (headless Chromium through playwright-core): `npm run test:browser`. */
export default defineConfig({
  test: {
    include: ['test/e2e/browser/**/*.browser.test.ts'],
    // Says once, in one line, when Chromium is absent (the files then skip).
    globalSetup: ['test/e2e/browser/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
