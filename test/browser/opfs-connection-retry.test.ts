/**
 * The page's own IO worker, when its first start fails: the opens waiting on that start fail
 * with `EWORKER`, and the next open starts a fresh worker instead of reusing the broken
 * connection for the page's life. The test server (Vite, cross-origin isolated) answers the
 * page's first load of the IO worker's script with a failure of its choosing: a 404, a worker
 * that never answers, or one that answers the start-up handshake (`hello`) with an error;
 * later loads get the real worker. A script that arrives late, as from a cold dev server on a
 * busy machine, is not a failure. In Chromium and Firefox.
 */
import type { Plugin, ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from './driver.js';
import type { ConnectionRetryHarness } from './harness-connection-retry.js';
import { isolation, startServer, urlOf } from './servers.js';

const PAGE = '/test/browser/opfs-connection-retry.html';

/** How the first load of the IO worker fails, or is slow. */
type FirstStart = 'script 404s' | 'worker never answers' | 'worker refuses hello' | 'script arrives late';

/** Longer than the first default start timeout (5 s), which a cold Vite dev server in CI overran. */
const LATE_SCRIPT_MS = 6000;

/** A worker script for each failure that loads (the 404 sends none). */
const SCRIPTS: Record<Exclude<FirstStart, 'script 404s' | 'script arrives late'>, string> = {
  'worker never answers': 'self.onmessage = () => {};',
  'worker refuses hello': `self.onmessage = (event) => self.postMessage({
    id: event.data.id, ok: false, error: { name: 'IOError', message: 'this worker cannot start', code: 'EIO' } });`,
};

/** The failures still to serve, one per load of the IO worker, and the loads seen. */
const server = { failures: [] as FirstStart[], workerLoads: 0 };

const failFirstWorkerLoad: Plugin = {
  name: 'nativefile:fail-first-worker-load',
  // Pre-bundles what the page imports, so that no re-bundling reloads it mid-run.
  config: () => ({ optimizeDeps: { entries: [PAGE.slice(1), 'test/browser/harness-connection-retry.ts'] } }),
  configureServer(vite) {
    vite.middlewares.use((request, response, next) => {
      // Browsers fetch a worker's script with `Sec-Fetch-Dest: worker` (its imports too: the path decides).
      if (request.headers['sec-fetch-dest'] !== 'worker' || !request.url?.startsWith('/worker/index.ts')) return next();
      server.workerLoads++;
      const failure = server.failures.shift();
      if (failure === undefined) return next();
      if (failure === 'script arrives late') {
        setTimeout(next, LATE_SCRIPT_MS);
        return;
      }
      // What Vite adds to its own answers: a cross-origin isolated page loads no worker without them.
      for (const [name, value] of Object.entries(isolation)) response.setHeader(name, value);
      response.setHeader('Cache-Control', 'no-store');
      if (failure === 'script 404s') {
        response.statusCode = 404;
        response.end('no worker here');
        return;
      }
      response.setHeader('Content-Type', 'text/javascript');
      response.end(SCRIPTS[failure]);
    });
  },
};

let vite: ViteDevServer;
beforeAll(async () => {
  vite = await startServer(isolation, false, [failFirstWorkerLoad]);
}, 180_000);
afterAll(async () => {
  await vite?.close();
});

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<ConnectionRetryHarness>();

const engines: Engine[] = ['chromium', 'firefox'];
const cases: Array<{ first: FirstStart; startTimeout?: number; message: RegExp }> = [
  { first: 'script 404s', message: /IO worker failed/ },
  { first: 'worker never answers', startTimeout: 1000, message: /did not answer within 1000 ms/ },
  { first: 'worker refuses hello', message: /IO worker did not start.*this worker cannot start/ },
];

describe.each(engines)('the default IO worker after a failed start, in %s', (engine) => {
  let driver: BrowserDriver;
  beforeAll(async () => {
    if (available(engine)) driver = await launch(engine);
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });
  const runs = available(engine) ? test : test.skip;

  /** Runs `work` on a fresh page of the harness whose first load of the IO worker goes as `first` says. */
  async function onReadyPage(first: FirstStart, work: (page: PageDriver) => Promise<void>): Promise<void> {
    const page = await driver.newPage((error) => console.error(`${engine} page error:`, error));
    try {
      await page.goto(urlOf(vite, PAGE));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
      server.failures = [first];
      server.workerLoads = 0;
      await work(page);
    } finally {
      server.failures = [];
      await page.close();
    }
  }

  describe.each(cases)('when its $first', ({ first, startTimeout, message }) => {
    runs(
      'the opens waiting on it fail with EWORKER, and the next open starts a fresh worker that works',
      async () => {
        await onReadyPage(first, async (page) => {
          const { waiting, later } = await call(page, 'failedStartThenRetry', startTimeout);
          for (const attempt of waiting) {
            expect
              .soft(attempt)
              .toEqual({ error: { name: 'IOError', code: 'EWORKER', message: expect.stringMatching(message) } });
          }
          expect.soft(later).toEqual({ backend: 'worker', text: 'after the failed start' });
          expect(server.workerLoads).toBe(2);
        });
      },
      90_000,
    );
  });

  runs(
    "an open's signal stops its wait for a worker still starting",
    async () => {
      await onReadyPage('script arrives late', async (page) => {
        const outcome = await call(page, 'abortedDuringStart', 300);
        expect(outcome.error).toBe('TimeoutError');
        expect(outcome.ms).toBeLessThan(LATE_SCRIPT_MS / 2);
      });
    },
    90_000,
  );

  runs(
    'a worker script slower to arrive than the old 5 s default still starts the worker, with no startTimeout given',
    async () => {
      await onReadyPage('script arrives late', async (page) => {
        expect(await call(page, 'lateStart')).toEqual({ backend: 'worker', text: 'after a late script' });
        expect(server.workerLoads).toBe(1);
      });
    },
    90_000,
  );
});
