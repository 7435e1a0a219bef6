/**
 * One small interface over the two browser drivers, so one suite runs in both engines:
 * Chromium through playwright-core (CDP), Firefox through puppeteer-core (WebDriver BiDi).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS } from './chromium-args.mjs';

/** The engines the suite runs in. */
export type Engine = 'chromium' | 'firefox';

/** A page: navigate, run a function in it, close it. */
export interface PageDriver {
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page; `fn` must not close over anything (it is serialized). */
  evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<Awaited<R>>;
  /** Waits until `fn()` is truthy in the page. */
  waitFor(fn: () => unknown, timeout?: number): Promise<void>;
  screenshot?(path: string): Promise<void>;
  close(): Promise<void>;
}

/** A browser whose pages share one origin storage (OPFS, Web Locks), as tabs of one profile do. */
export interface BrowserDriver {
  readonly engine: Engine;
  /** Whether `gc()` exists in pages (Chromium, with --expose-gc). */
  readonly canCollectGarbage: boolean;
  newPage(onError?: (message: string) => void): Promise<PageDriver>;
  /**
   * Chromium only: limits `origin`'s storage quota to `bytes` (DevTools' "simulate custom
   * storage quota"). Writes past it fail; `navigator.storage.estimate()` reports it only with
   * the switch `--disable-features=StaticStorageQuota` (else usage + 10 GiB).
   */
  limitQuota?(origin: string, bytes: number): Promise<void>;
  close(): Promise<void>;
}

/** How to launch a browser, for the tests that need other than the defaults. */
export interface LaunchOptions {
  /**
   * Chromium: keep storage in a fresh profile folder on disk (removed on close) instead of
   * an incognito context, whose OPFS is held in memory. Firefox's profile is always on disk.
   */
  readonly profileOnDisk?: boolean;
  /** Chromium: command-line switches added to the usual ones. */
  readonly chromiumArgs?: readonly string[];
  /** Firefox: preferences to set, such as `dom.quotaManager.temporaryStorage.fixedLimit`. */
  readonly firefoxPrefs?: Readonly<Record<string, unknown>>;
}

async function launchChromium(options: LaunchOptions): Promise<BrowserDriver> {
  const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  const viewport = { width: 1100, height: 820 };
  const args = [...CHROMIUM_ARGS, '--js-flags=--expose-gc', ...(options.chromiumArgs ?? [])];
  let context: BrowserContext;
  let close: () => Promise<void>;
  if (options.profileOnDisk === true) {
    const profile = mkdtempSync(join(tmpdir(), 'nativefile-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath, args, viewport });
    close = async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    };
  } else {
    const browser = await chromium.launch({ executablePath, args });
    // browser.newPage() would give each page its own profile: one context keeps storage shared.
    context = await browser.newContext({ viewport });
    close = () => browser.close();
  }
  return {
    engine: 'chromium',
    canCollectGarbage: true,
    async limitQuota(origin, bytes) {
      // The override lasts as long as the DevTools session: its page stays open until close().
      const session = await context.newCDPSession(await context.newPage());
      await session.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: bytes });
    },
    async newPage(onError) {
      const page = await context.newPage();
      if (onError) page.on('pageerror', (error) => onError(error.message));
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => unknown, arg as unknown) as never,
        waitFor: async (fn, timeout = 60_000) => void (await page.waitForFunction(fn, null, { timeout })),
        screenshot: async (path) => void (await page.screenshot({ path })),
        close: () => page.close(),
      };
    },
    close,
  };
}

async function launchFirefox(options: LaunchOptions): Promise<BrowserDriver> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    ...(options.firefoxPrefs ? { extraPrefsFirefox: { ...options.firefoxPrefs } } : {}),
  });
  return {
    engine: 'firefox',
    canCollectGarbage: false,
    async newPage(onError) {
      const page = await browser.newPage();
      if (onError) page.on('pageerror', (error) => onError(String((error as Error).message ?? error)));
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => unknown, arg) as never,
        waitFor: async (fn, timeout = 60_000) => void (await page.waitForFunction(fn, { timeout })),
        close: () => page.close(),
      };
    },
    close: () => browser.close(),
  };
}

/** Starts `engine`, or says why it cannot run here. */
export async function launch(engine: Engine, options: LaunchOptions = {}): Promise<BrowserDriver> {
  return engine === 'chromium' ? launchChromium(options) : launchFirefox(options);
}

/** Whether `engine`'s browser is installed. */
export function available(engine: Engine): boolean {
  return engine === 'chromium' || existsSync('/usr/bin/firefox-esr');
}

/** Functions a harness page exposes as `globalThis.harness`. */
type HarnessShape<H> = { [K in keyof H]: (...args: never[]) => unknown };

/**
 * `call(page, name, ...args)` for a harness page: runs `globalThis.harness[name](...args)` in
 * the page, typed by the harness module's own type `H`.
 */
export function harnessCaller<H extends HarnessShape<H>>() {
  return <K extends keyof H & string>(page: PageDriver, name: K, ...args: Parameters<H[K]>): Promise<Awaited<ReturnType<H[K]>>> =>
    page.evaluate(
      ([name, args]) =>
        (globalThis as unknown as { harness: Record<string, (...a: unknown[]) => unknown> }).harness[name]!(...args),
      [name, args] as const,
    ) as Promise<Awaited<ReturnType<H[K]>>>;
}
