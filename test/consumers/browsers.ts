/**
 * One interface over the two drivers: Chromium through playwright-core, Firefox through
 * puppeteer-core (WebDriver BiDi; Playwright can only drive its own patched Firefox build).
 * A driver opens a fixture page and returns the report its checks publish.
 */
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../browser/chromium-args.mjs';
import type { CheckReport } from './page/checks.js';

export interface PageOutcome {
  report?: CheckReport;
  /** Why there is no report, plus page errors and console errors seen either way. */
  problems: string[];
}

export interface Driver {
  readonly name: 'chromium' | 'firefox';
  /** Loads `url` and waits up to `timeoutMs` for the page's report. */
  open(url: string, timeoutMs: number): Promise<PageOutcome>;
  close(): Promise<void>;
}

const reportReady = () => (globalThis as { nativefileReport?: unknown }).nativefileReport !== undefined;
const readReport = () => (globalThis as { nativefileReport?: CheckReport }).nativefileReport!;

export async function launchChromium(executablePath: string): Promise<Driver> {
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  return {
    name: 'chromium',
    async open(url, timeoutMs) {
      // A context per page: its own storage, as a fresh visitor has.
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      try {
        await page.goto(url);
        await page.waitForFunction(reportReady, null, { timeout: timeoutMs });
        return { report: await page.evaluate(readReport), problems };
      } catch (error) {
        problems.unshift(`no report from ${url}: ${error instanceof Error ? error.message : String(error)}`);
        return { problems };
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}

export async function launchFirefox(executablePath: string): Promise<Driver> {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true });
  return {
    name: 'firefox',
    async open(url, timeoutMs) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      try {
        await page.goto(url);
        await page.waitForFunction(reportReady, { timeout: timeoutMs });
        return { report: await page.evaluate(readReport), problems };
      } catch (error) {
        problems.unshift(`no report from ${url}: ${error instanceof Error ? error.message : String(error)}`);
        return { problems };
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}
