/**
 * @module test/e2e/browser/browser
 * Launches the system's headless Chromium through playwright-core with a fresh profile, and
 * builds the dashboard when `dist/web` is missing. Tests skip with one line when Chromium is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; `DG_CHROMIUM` points the tests at another build. */
export const CHROMIUM = process.env.DG_CHROMIUM || '/usr/bin/chromium';
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const WEB_ROOT = join(REPO, 'dist', 'web');
export const SCREENSHOTS = join(REPO, 'docs', 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Set by the global setup once it has said the browser tests are skipped, so files do not repeat it. */
export const SKIP_REPORTED = 'DG_BROWSER_SKIP_REPORTED';

/** True when Chromium is installed; otherwise says once that the browser tests are skipped. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env[SKIP_REPORTED] !== CHROMIUM) {
    console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);
  }
  return false;
}

/** Newest modification time under `dir` (ms). */
function newest(dir: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) max = Math.max(max, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return max;
}

/** Builds the web app when `dist/web` is missing or older than `web/` (DG_REBUILD_WEB=1 forces it). */
export function ensureWebBuilt(): void {
  const built = join(WEB_ROOT, 'index.html');
  const fresh = existsSync(built) && statSync(built).mtimeMs >= newest(join(REPO, 'web'));
  if (fresh && process.env.DG_REBUILD_WEB !== '1') return;
  execFileSync(process.execPath, [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'], {
    cwd: REPO,
    stdio: 'inherit',
  });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'dg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    timezoneId: 'UTC',
    colorScheme: 'light',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
