/**
 * OPFS without sync access handles: the async backend (getFile, createWritable) against the
 * same contract as the sync one, from a page, a dedicated worker and a SharedWorker, and one
 * store shared by a page and a SharedWorker, in Chromium and Firefox.
 */
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from './driver.js';
import { CONTRACT } from './contract-expected.js';
import type { Harness } from './harness.js';
import { isolation, startServer, urlOf } from './servers.js';

let server: ViteDevServer;
beforeAll(async () => {
  server = await startServer(isolation);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<Harness>();

const engines: Engine[] = ['chromium', 'firefox'];

describe.each(engines)('the async OPFS backend in %s', (engine) => {
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
    'a SharedWorker has no sync access handles and opens files on the async backend',
    async () => {
      expect(await call(page, 'sharedWorkerCapabilities')).toMatchObject({ syncAccessHandle: false });
      expect(await call(page, 'sharedWorkerRoundTrip', 8)).toEqual({ ok: true, backend: 'async', isSync: false });
    },
    120_000,
  );

  runs(
    'the contract holds on every backend in every context',
    async () => {
      const runsOf = {
        'page, IO worker': await call(page, 'pageContract', {}),
        'page, async': await call(page, 'pageContract', { backend: 'async' }),
        'dedicated worker, sync': await call(page, 'workerContract', {}),
        'dedicated worker, async': await call(page, 'workerContract', { backend: 'async' }),
        SharedWorker: await call(page, 'sharedWorkerContract'),
      };
      expect(Object.fromEntries(Object.entries(runsOf).map(([where, run]) => [where, [run.backend, run.isSync]]))).toEqual({
        'page, IO worker': ['worker', false],
        'page, async': ['async', false],
        'dedicated worker, sync': ['sync', true],
        'dedicated worker, async': ['async', false],
        SharedWorker: ['async', false],
      });
      for (const [where, run] of Object.entries(runsOf)) expect(run.result, where).toEqual(CONTRACT);
    },
    180_000,
  );

  runs(
    "an atomic 'wb' whose swap file cannot be opened fails and leaves no partial sibling",
    async () => {
      expect(await call(page, 'failedWritableOpen')).toEqual({
        open: 'InvalidStateError',
        listing: ['f.txt'],
        kept: 'old',
        listingAfterReplace: ['f.txt'],
      });
    },
    60_000,
  );

  runs(
    "new Response(toReadableStream(file)) gives an OPFS file's bytes on every backend",
    async () => {
      const expected = (backend: string) => ({ same: true, length: 300_001, backend });
      expect(await call(page, 'pageResponse', {})).toEqual(expected('worker'));
      expect(await call(page, 'pageResponse', { backend: 'async' })).toEqual(expected('async'));
      expect(await call(page, 'workerResponse')).toEqual(expected('sync'));
      expect(await call(page, 'sharedWorkerResponse')).toEqual(expected('async'));
    },
    120_000,
  );

  runs("asking for backend 'sync' where there are no sync access handles is an UnsupportedOperationError", async () => {
    expect(await call(page, 'sharedWorkerForcedSync')).toMatchObject({
      error: { name: 'UnsupportedOperationError', code: 'EUNSUPPORTED' },
    });
  });

  describe.each(['auto', 'async'] as const)('one store shared by a SharedWorker and a page (page backend %s)', (backend) => {
    runs(
      'writers exclude each other, readers wait for writers, and a replacement is atomic across contexts',
      async () => {
        const pageBackend = backend === 'auto' ? 'worker' : 'async';
        expect(await call(page, 'sharedStore', backend)).toEqual({
          pageWrites: { ok: pageBackend },
          pageHolds: { ok: pageBackend },
          workerWriter: { error: expect.objectContaining({ name: 'IOError', code: 'EBUSY' }) },
          workerWaited: { text: 'old' },
          workerReplaces: { ok: 'async' },
          pageWhileReplaced: { text: 'old' },
          pageWriter: { error: expect.objectContaining({ name: 'IOError', code: 'EBUSY' }) },
          pageAfterReplace: { text: 'new' },
        });
      },
      60_000,
    );
  });
});
