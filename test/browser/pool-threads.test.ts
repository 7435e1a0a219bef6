/**
 * The wasm pool across threads in Chromium and Firefox: a worker terminated while it allocates
 * never hangs the page, whose main thread may not block and spins while it waits for the
 * pool's lock. It goes on, or gets IOError EDEADLK within the lock timeout.
 */
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from './driver.js';
import type { Harness } from './harness.js';
import { isolation, startServer, urlOf } from './servers.js';

let server: ViteDevServer;
beforeAll(async () => {
  server = await startServer(isolation);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const call = harnessCaller<Harness>();
const engines: Engine[] = ['chromium', 'firefox'];
const LOCK_TIMEOUT = 200;

describe.each(engines)('the wasm pool across threads in %s', (engine) => {
  let driver: BrowserDriver;
  let page: PageDriver;
  beforeAll(async () => {
    driver = await launch(engine);
    page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
    await page.goto(urlOf(server, '/test/browser/index.html'));
    await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });
  const runs = available(engine) ? test : test.skip;

  runs(
    'a worker terminated in a tight allocate loop never hangs the page: it goes on or gets EDEADLK',
    async () => {
      // Mixed sizes: up to 64 KiB they come from the worker's cache, larger ones take the lock.
      const sizes = [64, 200, 1000, 5000, 70_000, 640, 128, 300_000];
      const outcomes = await call(page, 'allocateAfterWorkerKilled', sizes, 12, LOCK_TIMEOUT);
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.outcome === 'error') {
          expect(outcome.code, `attempt ${i}: ${outcome.message}`).toBe('EDEADLK');
          expect(outcome.message).toMatch(/held the pool's lock for more than 200 ms/);
        }
        expect(outcome.ms, `attempt ${i}`).toBeLessThan(LOCK_TIMEOUT + 5000);
      }
      // Blocks past what thread caches keep, without Buffers: the worker spends most of its
      // time holding the pool's lock, so kills land inside it. The page still never hangs.
      const locked = await call(page, 'allocateAfterWorkerKilled', [70_000, 150_000, 300_000], 16, LOCK_TIMEOUT, true);
      expect(locked.every((outcome) => outcome.outcome === 'ok' || outcome.code === 'EDEADLK')).toBe(true);
      console.log(
        `${engine}: after kills inside a lock-heavy loop, ${locked.filter((o) => o.outcome === 'error').length} of 16 got EDEADLK`,
      );
    },
    120_000,
  );
});
