/**
 * @module test/e2e/browser/global-setup
 * Runs once before the browser test files. When Chromium is absent it says so in one line and
 * the files (which check again) skip without repeating it; with DISTILLGUARD_REQUIRE_SERVICES=1
 * (CI, where `.ci/services.sh` installs Chromium) a missing Chromium fails the run instead.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM, chromiumAvailable, SKIP_REPORTED } from './browser.js';

export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.DISTILLGUARD_REQUIRE_SERVICES === '1') {
    throw new Error(`browser tests need Chromium at ${CHROMIUM} (DISTILLGUARD_REQUIRE_SERVICES=1)`);
  }
  chromiumAvailable();
  process.env[SKIP_REPORTED] = CHROMIUM;
}
