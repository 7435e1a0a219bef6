/**
 * OpfsFileSystem in Chromium and Firefox: the shared filesystem checks (the ones
 * LocalFileSystem passes in Node) on a cross-origin isolated page through the IO worker, on
 * the page with the asynchronous API, and in a dedicated worker with sync access handles.
 * The page side is harness.ts.
 */
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from '../browser/driver.js';
import { isolation, startServer, urlOf } from '../browser/servers.js';
import { expectedChecks, STORE_TRAITS } from '../fs/filesystem-checks.js';
import { EXPECTED_EDGES } from '../fs/filesystem-edge-checks.js';
import type { Harness } from './harness.js';

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<Harness>();

const engines: Engine[] = ['chromium', 'firefox'];
let server: ViteDevServer;

describe('OpfsFileSystem in the browser', () => {
  beforeAll(async () => {
    server = await startServer(isolation);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  describe.each(engines)('in %s', (engine) => {
    const runs = available(engine) ? test : test.skip;
    let driver: BrowserDriver;
    let page: PageDriver;
    beforeAll(async () => {
      if (!available(engine)) return;
      // Firefox asks the user before persist() grants anything; these prefs answer for them.
      driver = await launch(engine, {
        firefoxPrefs: { 'dom.storageManager.prompt.testing': true, 'dom.storageManager.prompt.testing.allow': true },
      });
      page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
      await page.goto(urlOf(server, '/test/opfs-fs/index.html'));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
    }, 120_000);
    afterAll(async () => {
      await driver?.close();
    });

    runs('the page is cross-origin isolated and has FileSystemFileHandle.move()', async () => {
      expect(await call(page, 'environment')).toEqual({ isolated: true, hasMove: true });
    });

    runs(
      'behaves as LocalFileSystem does, with files through the IO worker',
      async () => {
        expect(await call(page, 'checks', `fs-worker-${engine}`, {})).toEqual({
          ...expectedChecks(STORE_TRAITS.opfs),
          backend: 'worker',
          edges: EXPECTED_EDGES,
        });
      },
      60_000,
    );

    runs(
      'behaves the same with the asynchronous backend on the page',
      async () => {
        expect(await call(page, 'checks', `fs-async-${engine}`, { backend: 'async' })).toEqual({
          ...expectedChecks(STORE_TRAITS.opfs),
          backend: 'async',
          edges: EXPECTED_EDGES,
        });
      },
      60_000,
    );

    runs("hides a crashed atomic write's partial sibling from listings", async () => {
      const base = `fs-partial-${engine}`;
      expect(await call(page, 'listingsWithPartialSibling', base)).toEqual({
        listed: [`${base}/sub/a.bin`],
        recursive: [`${base}/sub`, `${base}/sub/a.bin`],
      });
    });

    runs(
      'behaves the same inside a dedicated worker, on sync access handles',
      async () => {
        expect(await call(page, 'workerChecks', `fs-dedicated-${engine}`)).toEqual(expectedChecks(STORE_TRAITS.opfs));
      },
      60_000,
    );

    runs(
      'estimate() gives the origin usage and quota as navigator.storage does; persist() and persisted() agree',
      async () => {
        const result = await call(page, 'storage', `fs-storage-${engine}`);
        expect(result.before).toMatchObject(result.platform);
        expect(result.before.available).toBe(Math.max(0, result.before.quota - result.before.usage));
        expect(result.before.quota).toBeGreaterThan(0);
        // Browsers round usage (Firefox to its storage's pages): a megabyte shows.
        expect(result.after.usage).toBeGreaterThan(result.before.usage + 512 * 1024);
        if (engine === 'chromium') expect(result.before.usageDetails).toBeTypeOf('object');
        expect(result.granted).toBeTypeOf('boolean');
        if (engine === 'firefox') expect(result.granted).toBe(true);
        expect(result.persistedAfter).toBe(result.granted);
        expect(result.aborted).toBe('stop');
      },
      60_000,
    );

    runs(
      'without FileSystemFileHandle.move() a move copies and deletes, replacing the target',
      async () => {
        expect(await call(page, 'moveWithoutHandleMove', `fs-copy-${engine}`)).toEqual({
          from: 'not-found',
          to: 'file',
          bytes: [1, 2, 3],
          replaced: true,
        });
      },
      60_000,
    );
  });
});
