/**
 * A full storage quota, from every route that writes OPFS: the IO worker from a page, sync
 * access handles in a dedicated worker (writeSync, and the async methods of the same file),
 * and the asynchronous API (createWritable) on a page. Each write that does not fit is an
 * ENOSPC IOError naming the bytes and the quota; an atomic 'wb' keeps the old file and
 * leaves no partial sibling; 'ab' and 'rb+' keep exactly what was acknowledged.
 *
 * Small quotas: Firefox through `dom.quotaManager.temporaryStorage.fixedLimit` (the origin
 * gets a fifth of it, 10 MiB at least); Chromium through DevTools' quota override, both in an
 * incognito context (OPFS in memory, which reports a full quota differently) and with a
 * profile on disk. The page side is harness.ts and scenarios.ts.
 */
import type { ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  available,
  harnessCaller,
  launch,
  type BrowserDriver,
  type Engine,
  type LaunchOptions,
  type PageDriver,
} from '../browser/driver.js';
import { isolation, startServer, urlOf } from '../browser/servers.js';
import type { Harness } from './harness.js';
import { runScenario } from './run.js';
import type { QuotaRun, Route } from './scenarios.js';

const call = harnessCaller<Harness>();

const MiB = 1024 * 1024;
/** The quota every setup gives the test origin. */
const QUOTA = 10 * MiB;

interface Setup {
  readonly name: string;
  readonly engine: Engine;
  readonly launch: LaunchOptions;
  /** Whether navigator.storage.estimate() reports the quota the browser enforces. */
  readonly reportsQuota: boolean;
}

const setups: Setup[] = [
  // Chromium reports usage + 10 GiB as the quota by default (StaticStorageQuota), whatever it enforces.
  { name: 'chromium, incognito (storage in memory)', engine: 'chromium', launch: {}, reportsQuota: false },
  {
    name: 'chromium, profile on disk',
    engine: 'chromium',
    launch: { profileOnDisk: true, chromiumArgs: ['--disable-features=StaticStorageQuota'] },
    reportsQuota: true,
  },
  // Firefox gives one origin a fifth of the limit: 50 MiB makes 10 MiB.
  {
    name: 'firefox',
    engine: 'firefox',
    launch: { firefoxPrefs: { 'dom.quotaManager.temporaryStorage.fixedLimit': (5 * QUOTA) / 1024 } },
    reportsQuota: true,
  },
];

/** The routes that write OPFS, and where each runs. */
const routes: Array<{ name: string; where: 'page' | 'worker'; route: Route; backend: string }> = [
  { name: 'the IO worker, from a page', where: 'page', route: { options: {}, sync: false }, backend: 'worker' },
  { name: 'sync access handles in a worker, writeSync', where: 'worker', route: { options: {}, sync: true }, backend: 'sync' },
  {
    name: 'sync access handles in a worker, async methods',
    where: 'worker',
    route: { options: {}, sync: false },
    backend: 'sync',
  },
  { name: 'createWritable on a page', where: 'page', route: { options: { backend: 'async' }, sync: false }, backend: 'async' },
];

let server: ViteDevServer;
beforeAll(async () => {
  server = await startServer(isolation);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

/** The figures a quota error's message gives: the bytes needed and the estimate. */
function figuresOf(message: string): { needed: number; usage: number; quota: number; fresh: boolean } {
  const match = /room for (\d+) more bytes \((\d+) of (\d+) bytes in use( when last estimated)?/.exec(message);
  expect(match, message).not.toBeNull();
  return { needed: Number(match![1]), usage: Number(match![2]), quota: Number(match![3]), fresh: match![4] === undefined };
}

/**
 * The write error is ENOSPC, naming `needed` bytes and the quota the page estimated right
 * after (the limit set, where the browser reports it).
 */
function expectQuotaError(run: QuotaRun, needed: number, fresh: boolean, reportsQuota: boolean): void {
  expect(run.writeError, 'the write failed').toBeDefined();
  expect(run.writeError).toMatchObject({ name: 'OutOfMemoryError', code: 'ENOSPC' });
  const figures = figuresOf(run.writeError!.message);
  expect(figures.needed).toBe(needed);
  expect(figures.fresh).toBe(fresh);
  // A synchronous write names the quota of the last estimate, made when the file was opened.
  if (fresh) expect(figures.quota).toBe(run.estimate.quota);
  else expect(figures.quota).toBeGreaterThan(0);
  if (reportsQuota) expect(figures.quota).toBe(QUOTA);
}

describe.each(setups)('a full quota in $name', ({ engine, launch: options, reportsQuota }) => {
  const runs = available(engine) ? test : test.skip;

  describe.each(routes)('through $name', ({ where, route, backend }) => {
    const fresh = !route.sync;
    let driver: BrowserDriver | undefined;
    let page: PageDriver;
    const start = async () => {
      if (!available(engine)) return;
      driver = await launch(engine, options);
      const url = urlOf(server, '/test/opfs-limits/index.html');
      await driver.limitQuota?.(new URL(url).origin, QUOTA);
      page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
      await page.goto(url);
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
    };
    const stop = async () => {
      // Every scenario removes what it wrote.
      if (driver !== undefined) expect(await call(page, 'rootEntries')).toEqual([]);
      await driver?.close();
      driver = undefined;
    };
    // Firefox miscounts the origin's usage once a createWritable() swap file does not fit
    // (it drops, and after the file is removed wraps around below zero), and then refuses
    // every write of the origin: each test of that route gets a new browser.
    if (backend === 'async') {
      beforeEach(start, 120_000);
      afterEach(stop);
    } else {
      beforeAll(start, 120_000);
      afterAll(stop);
    }

    runs(
      "an atomic 'wb' that runs out of room keeps the old file and leaves no partial sibling",
      async () => {
        const result = await runScenario(page, where, 'replaceUntilFull', `replace-${backend}-${route.sync}`, route);
        expect(result.backend).toBe(backend);
        expectQuotaError(result, MiB, fresh, reportsQuota);
        expect(result.acknowledged).toBeLessThan(QUOTA);
        expect(result.closeError).toMatchObject({ code: 'ENOSPC' });
        expect(result.closeError!.message).toMatch(/not replaced.*old file is kept/);
        expect({ size: result.size, intact: result.intact, entries: result.entries }).toEqual({
          size: 1000,
          intact: true,
          entries: ['file.bin'],
        });
      },
      120_000,
    );

    runs(
      "an atomic 'wb' smaller than the file it replaces fits where the two files fit",
      async () => {
        const result = await runScenario(page, where, 'replaceBigNearFull', `big-${backend}-${route.sync}`, route);
        expect(result.writeError).toBeUndefined();
        expect(result.closeError).toBeUndefined();
        expect({ size: result.size, intact: result.intact, entries: result.entries }).toEqual({
          size: 2 * MiB,
          intact: true,
          entries: ['file.bin'],
        });
      },
      120_000,
    );

    runs(
      'an upload() that runs out of room fails with ENOSPC and keeps the old file',
      async () => {
        const result = await runScenario(page, where, 'uploadUntilFull', `upload-${backend}-${route.sync}`, route);
        expect(result.writeError).toMatchObject({ name: 'OutOfMemoryError', code: 'ENOSPC' });
        const figures = figuresOf(result.writeError!.message);
        if (reportsQuota) expect(figures.quota).toBe(QUOTA);
        expect(result.closeError).toMatchObject({ code: 'ENOSPC' });
        expect({ size: result.size, intact: result.intact, entries: result.entries }).toEqual({
          size: 1000,
          intact: true,
          entries: ['file.bin'],
        });
        // Progress counts bytes written, never more than fit.
        expect(result.progress.every((done, i) => done <= QUOTA && (i === 0 || done >= result.progress[i - 1]!))).toBe(true);
      },
      120_000,
    );

    for (const mode of ['ab', 'rb+'] as const) {
      runs(
        `'${mode}' reports the full quota and keeps exactly what was acknowledged`,
        async () => {
          const result = await runScenario(page, where, 'writeUntilFull', `append-${backend}-${route.sync}`, mode, route);
          expectQuotaError(result, result.chunk, fresh, reportsQuota);
          expect(result.acknowledged).toBeGreaterThan(0);
          expect(result.closeError).toBeUndefined();
          expect({ size: result.size, intact: result.intact, entries: result.entries }).toEqual({
            size: result.acknowledged,
            intact: true,
            entries: ['file.bin'],
          });
        },
        120_000,
      );
    }

    runs(
      'extending past the quota with truncate is ENOSPC and keeps the size',
      async () => {
        const result = await runScenario(page, where, 'truncateBeyond', `truncate-${backend}-${route.sync}`, route);
        expectQuotaError(result, 64 * MiB - 1000, fresh, reportsQuota);
        expect(result.sizeAfterFailure).toBe(1000);
        expect(result.laterWrite).toBe('ok');
        expect(result.closeError).toBeUndefined();
        expect({ size: result.size, intact: result.intact }).toEqual({ size: 1010, intact: true });
      },
      120_000,
    );

    if (backend === 'async') {
      runs(
        'writes after the last flush are discarded with the stream: later writes and close say so',
        async () => {
          const result = await runScenario(page, where, 'unflushedUntilFull', 'unflushed', route);
          expectQuotaError(result, MiB, true, reportsQuota);
          expect(result.writeError!.message).toMatch(/written since the last flush were discarded/);
          expect(result.laterWrite).toMatchObject({ code: 'ENOSPC' });
          expect((result.laterWrite as { message: string }).message).toMatch(/lost the writes since its last flush/);
          expect(result.closeError).toMatchObject({ code: 'ENOSPC' });
          expect({ size: result.size, intact: result.intact }).toEqual({ size: MiB, intact: true });
        },
        120_000,
      );
    }
  });
});
