import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = Boolean(process.env.CI || process.env.TEST_MYSQL_REQUIRED);

/** A reason to skip a browser suite (Chromium missing outside CI), or false. */
export const BROWSER_SKIP = !fs.existsSync(CHROMIUM) && !IN_CI ? `browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)` : false;

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page's scripts. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Headless Debian Chromium (a fresh profile) that may reach only `host`: a request to
 * any other host throws, failing the test (nothing may leave this machine: no CDN).
 */
export async function launchBrowser(host: string): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host !== host) throw new Error(`the page requested ${url.href}`);
    return route.continue();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
