/**
 * Browser tests: real headless Chromium (Debian's, or Playwright's own elsewhere) against the
 * Vite dev server, with real OPFS, workers and shared memory. The page side is harness.ts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Harness } from './harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let isolated: ViteDevServer;
let plain: ViteDevServer;
let browser: Browser;

async function startServer(headers: Record<string, string>): Promise<ViteDevServer> {
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, headers },
    optimizeDeps: { include: ['comlink', 'web-streams-polyfill'] },
  });
  await server.listen();
  return server;
}

const urlOf = (server: ViteDevServer, path: string) => `${server.resolvedUrls!.local[0]!.replace(/\/$/, '')}${path}`;

async function openHarness(server: ViteDevServer): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(urlOf(server, '/test/browser/index.html'));
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 60_000 });
  return page;
}

/** Calls `harness[name](...args)` in the page. */
function call<K extends keyof Harness>(page: Page, name: K, ...args: Parameters<Harness[K]>): Promise<Awaited<ReturnType<Harness[K]>>> {
  return page.evaluate(
    ([name, args]) => (globalThis as unknown as { harness: Record<string, (...a: unknown[]) => unknown> }).harness[name]!(...args),
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<Harness[K]>>>;
}

beforeAll(async () => {
  const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  [isolated, plain] = await Promise.all([startServer(isolation), startServer({})]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([isolated?.close(), plain?.close()]);
});

describe('in a cross-origin isolated page', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openHarness(isolated);
  }, 120_000);

  test('uses the wasm pool on shared memory', async () => {
    expect(await call(page, 'environment')).toEqual({ isolated: true, pool: 'wasm' });
  });

  test('round trips 1 MiB to 256 MiB through OPFS and the IO worker', async () => {
    for (const mib of [1, 16, 256]) {
      const result = await call(page, 'opfsRoundTrip', mib);
      expect(result.ok, `${mib} MiB`).toBe(true);
      expect(result.isSync).toBe(false);
    }
  }, 300_000);

  test('the page and two workers share one pool', async () => {
    const result = await call(page, 'sharedPool');
    expect(result).toEqual({
      allocations: 101, bytes: 1024 + 100 * 10_048, seesA: true, seesB: true, workerSeesPage: 3000,
      disjoint: true, after: 0,
    });
  }, 60_000);

  test('a 1 GiB upload-style stream into OPFS keeps JS memory bounded', async () => {
    const result = await call(page, 'uploadStream', 1024);
    expect(result.size).toBe(1024 * 1024 * 1024);
    expect(result.reports).toBe(1024);
    expect(result.heapGrowth).toBeLessThan(128 * 1024 * 1024);
    expect(result.peakPool).toBeLessThan(64 * 1024 * 1024);
    console.log(`1 GiB upload into OPFS: ${result.mbPerSecond.toFixed(0)} MB/s, heap growth ${(result.heapGrowth / 1e6).toFixed(1)} MB`);
  }, 300_000);

  test('BlobFile random reads agree with the bytes', async () => {
    expect(await call(page, 'blobRandomReads')).toBe(true);
  });

  test('inside a worker OpfsFile is synchronous', async () => {
    expect(await call(page, 'workerSyncOpfs')).toEqual({
      isSync: true, text: 'written synchronously\n', size: 22, pageText: 'written synchronously\n',
    });
  }, 60_000);

  test('reads concatenated gzip members fully; corrupt input is an IOError', async () => {
    expect(await call(page, 'concatenatedGzip')).toEqual({ same: true, length: 154, expected: 154, corrupt: 'IOError' });
  });

  test('missing files and bad paths are clear errors', async () => {
    const result = await call(page, 'errors');
    expect(result.missingIsFileNotFound).toBe(true);
    expect(result.missingCode).toBe('ENOENT');
    expect(result.badPathIsTypeError).toBe(true);
    expect(result.badPathMessage).toMatch(/'\.\.' segment/);
  });
});

describe('in a page that is not cross-origin isolated', () => {
  test('falls back to the system pool and transferred copies', async () => {
    const page = await openHarness(plain);
    expect(await call(page, 'environment')).toEqual({ isolated: false, pool: 'system' });
    const result = await call(page, 'opfsRoundTrip', 8);
    expect(result.ok).toBe(true);
    expect(await call(page, 'blobRandomReads')).toBe(true);
  }, 120_000);
});

describe('the demo', () => {
  test('streams a picked file into OPFS and shows its bytes', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
    page.on('console', (m) => console.log('demo console:', m.text()));
    page.on('pageerror', (e) => console.log('demo error:', e.message));
    await page.goto(urlOf(isolated, '/demo/index.html'));
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff));
    await page.setInputFiles('#picker', { name: 'sample.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('stored'), null, { timeout: 60_000 });
    await page.waitForFunction(() => document.getElementById('hex')!.textContent!.startsWith('0000000000'));
    await page.fill('#offset', '4096');
    await page.click('#seek button');
    await page.waitForFunction(() => document.getElementById('hex')!.textContent!.startsWith('0000001000'));
    const hex = await page.textContent('#hex');
    expect(hex).toContain('0000001000  00 07 0e 15');
    expect(await page.textContent('#isolation')).toContain('crossOriginIsolated: true');
    await page.waitForFunction(() => document.getElementById('files')!.textContent!.includes('sample.bin'));
    expect(await page.textContent('#files')).toContain('sample.bin293.0 KiB');
    mkdirSync(`${root}/test-results`, { recursive: true });
    await page.screenshot({ path: `${root}/test-results/demo.png` });
  }, 120_000);
});
