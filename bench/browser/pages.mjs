// What the browser benchmarks share: the Vite dev server their pages come from, and a page in
// Chromium (playwright-core, OPFS in memory or on disk) or Firefox (puppeteer-core over
// WebDriver BiDi, as test/browser/driver.ts launches it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';
import { CHROMIUM_ARGS } from '../../test/browser/chromium-args.mjs';

/**
 * A Vite dev server over `root`, listening on a free loopback port, cross-origin isolated
 * (COOP/COEP: shared memory for the pool). Others may edit the tree during a run: no reloads
 * (no HMR, no watching) and, given `entries`, no late dependency discovery (`include` is found
 * up front), so a page never navigates away mid-measurement.
 */
export async function isolatedServer(root, { entries, include = [], plugins = [] } = {}) {
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    ...(entries === undefined ? {} : { optimizeDeps: { entries, include } }),
    plugins,
    server: {
      hmr: false,
      watch: null,
      host: '127.0.0.1',
      port: 0,
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    },
  });
  await server.listen();
  return server;
}

/**
 * Chromium's page at `url`, once its `#status` says ready. Playwright's launched browser opens
 * pages off the record, where Chromium keeps OPFS files in memory; `onDisk` runs it on a
 * temporary profile instead (a persistent context is the browser's own profile, on disk),
 * removed on close.
 */
export async function openChromiumPage(url, { onDisk = false } = {}) {
  const options = { executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined, args: [...CHROMIUM_ARGS] };
  const profile = onDisk ? mkdtempSync(join(tmpdir(), 'nativefile-bench-profile-')) : undefined;
  const browser = profile ? await chromium.launchPersistentContext(profile, options) : await chromium.launch(options);
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 60_000 });
  return {
    version: `${(browser.browser?.() ?? browser).version()}${profile ? ', profile on disk' : ''}`,
    page,
    close: async () => {
      await browser.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * `engine`'s page at `url` once ready, behind the few calls the benchmarks need; `undefined`
 * when Firefox is not installed (NATIVEFILE_FIREFOX names another binary). `onDisk` is
 * Chromium's (Firefox keeps OPFS on disk always).
 */
export async function openPage(engine, url, { onDisk = false } = {}) {
  if (engine === 'chromium') {
    const { version, page, close } = await openChromiumPage(url, { onDisk });
    return { version, evaluate: (fn, arg) => page.evaluate(fn, arg), close };
  }
  const executablePath = process.env.NATIVEFILE_FIREFOX ?? '/usr/bin/firefox-esr';
  if (!existsSync(executablePath)) return undefined;
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', { timeout: 60_000 });
  return { version: await browser.version(), evaluate: (fn, arg) => page.evaluate(fn, arg), close: () => browser.close() };
}
