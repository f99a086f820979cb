/**
 * Debian's chromium driven by playwright-core, for the dashboard's browser
 * tests: headless, no network beyond loopback, a fresh profile per launch.
 * Screenshots go to test-results/web/ (gitignored), kept as test artifacts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['KT_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/web');

export interface Launched {
  context: BrowserContext;
  close: () => Promise<void>;
}

export async function launchChromium(): Promise<Launched> {
  const profile = mkdtempSync(join(tmpdir(), 'kt-chromium-'));
  // Playwright passes the fresh profile as --user-data-dir (it refuses the flag in args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
