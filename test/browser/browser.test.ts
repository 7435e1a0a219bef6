/**
 * Browser tests: one suite in real headless Chromium (playwright-core) and Firefox
 * (puppeteer-core over WebDriver BiDi), against Vite dev servers, with real OPFS, workers and
 * shared memory. The page side is harness.ts; driver.ts hides which driver runs it.
 */
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from './driver.js';
import type { Harness } from './harness.js';
import { isolation, startServer, urlOf } from './servers.js';
import { demoTest } from './demo-check.js';

let isolated: ViteDevServer;
let plain: ViteDevServer;
let broken: ViteDevServer;

beforeAll(async () => {
  [isolated, plain, broken] = await Promise.all([startServer(isolation), startServer({}), startServer(isolation, true)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([isolated?.close(), plain?.close(), broken?.close()]);
});

/** Opens the harness page of `server` in a new tab. */
async function openHarness(driver: BrowserDriver, server: ViteDevServer): Promise<PageDriver> {
  const page = await driver.newPage((message) => console.error(`${driver.engine} page error:`, message));
  await page.goto(urlOf(server, '/test/browser/index.html'));
  await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
  return page;
}

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<Harness>();

const MiB = 1024 * 1024;
const engines: Engine[] = ['chromium', 'firefox'];

describe.each(engines)('in %s', (engine) => {
  let driver: BrowserDriver;
  let page: PageDriver;
  beforeAll(async () => {
    driver = await launch(engine);
    page = await openHarness(driver, isolated);
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });
  const runs = available(engine) ? test : test.skip;

  describe('a cross-origin isolated page', () => {
    runs('uses the wasm pool on shared memory', async () => {
      expect(await call(page, 'environment')).toEqual({ isolated: true, pool: 'wasm' });
    });

    runs(
      'round trips 1 to 64 MiB through OPFS and the IO worker',
      async () => {
        for (const mib of [1, 16, 64]) {
          const result = await call(page, 'opfsRoundTrip', mib);
          expect(result, `${mib} MiB`).toEqual({ ok: true, isSync: false });
        }
      },
      300_000,
    );

    runs(
      'the page and two workers share one pool',
      async () => {
        expect(await call(page, 'sharedPool')).toEqual({
          allocations: 101,
          bytes: 1024 + 100 * 10_048,
          seesA: true,
          seesB: true,
          workerSeesPage: 3000,
          disjoint: true,
          after: 0,
        });
      },
      60_000,
    );

    runs(
      'a 256 MiB upload of a File-like Blob goes to the IO worker: the page heap grows under 16 MiB',
      async () => {
        const result = await call(page, 'uploadStream', 256, 'blob');
        expect(result.size).toBe(256 * MiB);
        expect(result.last).toBe(256 * MiB);
        expect(result.heapGrowth).toBeLessThan(16 * MiB);
        expect(result.peakPool).toBeLessThan(64 * MiB);
        console.log(
          `${engine}: 256 MiB Blob upload into OPFS at ${result.mbPerSecond.toFixed(0)} MB/s, page heap +${(result.heapGrowth / MiB).toFixed(1)} MiB`,
        );
      },
      300_000,
    );

    runs(
      'upload-style streams into OPFS (read on the page) keep JS memory bounded',
      async () => {
        // The Blob's stream is 128 MiB: headless Chromium keeps Blobs in memory only, about
        // 500 MB of them (a second 256 MiB Blob made while one lives reads as "network error"),
        // and the test before leaves its 256 MiB Blob to the IO worker's garbage collector.
        for (const [from, mib] of [
          ['blobStream', 128],
          ['generated', 256],
        ] as const) {
          const result = await call(page, 'uploadStream', mib, from);
          expect(result.size).toBe(mib * MiB);
          expect(result.last).toBe(mib * MiB);
          expect(result.heapGrowth).toBeLessThan((mib / 2) * MiB);
          expect(result.peakPool).toBeLessThan(64 * MiB);
          console.log(
            `${engine}: ${mib} MiB ${from} upload into OPFS at ${result.mbPerSecond.toFixed(0)} MB/s, page heap +${(result.heapGrowth / MiB).toFixed(1)} MiB`,
          );
        }
      },
      300_000,
    );

    runs(
      "an upload reads a byte stream into buffers of its own, handed to the worker whole, and leaves a default stream's chunks to their producer",
      async () => {
        expect(await call(page, 'uploadOwnership')).toEqual({
          defaultKept: true,
          defaultRight: true,
          bytesRight: true,
          count: true,
          tell: true,
          size: true,
          last: true,
          poolCopies: 0, // every piece is read into a buffer of the upload's own and moved whole
          teeRight: true,
          teeOtherKept: true,
        });
      },
      60_000,
    );

    for (const [chunks, failAt, which] of [
      [4, 2, 'one of its writes'],
      [2, 2, 'its last write'],
      [4, 1, 'its first write'],
    ] as const) {
      runs(`an upload of a stream rejects when ${which} fails, and the file ends where the writes before it did`, async () => {
        // Each 256 KiB chunk goes to the worker before it answered the one before: the worker
        // must not write the one after a failed write past the gap.
        const result = await call(page, 'uploadWriteFails', chunks, failAt);
        const kept = (failAt - 1) * 256 * 1024;
        expect(result).toMatchObject({ position: kept, size: kept, onDisk: kept, intact: true });
        // The failure told is the failed write's own, not the refusal of the one after it.
        expect(result.error).toBeDefined();
        expect(result.error).not.toMatch(/not written/);
        // The worker writes on: the rest appended after the failure completes the file.
        expect(result.afterRest).toEqual({ size: chunks * 256 * 1024, intact: true });
      });
    }

    runs('an upload of a stream to an IO worker terminated mid-way rejects with EWORKER and stops reading', async () => {
      expect(await call(page, 'uploadWorkerTerminated')).toEqual({ error: 'EWORKER', closed: 'EWORKER', stoppedReading: true });
    });

    runs(
      'upload hands a Blob to the IO worker, from the position, with its size as the total',
      async () => {
        const result = await call(page, 'uploadSource', 8, { blob: true, prefix: 1000 });
        expect(result).toMatchObject({ count: 8 * MiB, position: 8 * MiB + 1000, size: 8 * MiB + 1000, monotonic: true });
        expect(result).toMatchObject({ handedOver: true, pageWrites: 0 });
        expect(result.last).toEqual([8 * MiB, 8 * MiB]);
      },
      60_000,
    );

    runs(
      'upload copies a ReadableStream on the page, chunk by chunk (faster than moving it to the worker)',
      async () => {
        const result = await call(page, 'uploadSource', 8, {});
        expect(result).toMatchObject({
          count: 8 * MiB,
          position: 8 * MiB,
          size: 8 * MiB,
          intact: true,
          reports: 8,
          monotonic: true,
        });
        expect(result).toMatchObject({ handedOver: false, pageWrites: 8 });
      },
      60_000,
    );

    runs(
      'upload of a Blob on a backend without the hand-over copies its stream',
      async () => {
        const result = await call(page, 'uploadSource', 4, { blob: true, backend: 'async' });
        expect(result).toMatchObject({ count: 4 * MiB, position: 4 * MiB, size: 4 * MiB, handedOver: false, monotonic: true });
        expect(result.last).toEqual([4 * MiB, 4 * MiB]);
      },
      60_000,
    );

    runs(
      'sequential reads through the IO worker see writes, truncates and seeks between them',
      async () => {
        const result = await call(page, 'readAheadAroundChanges');
        const at = (offset: number) => (offset * 31 + (offset >>> 12)) & 0xff; // pattern.ts
        expect(result.seen).toEqual([at(0), at(4096), at(8192), 200, at(16384), at(20480), at(0)]);
        expect(result.tailLength).toBe(5 * 4096 + 10 - 4096);
      },
      60_000,
    );

    runs(
      'readBuffer through the IO worker hands out read-ahead memory once, and all of it goes back',
      async () => {
        const result = await call(page, 'readBufferOverBatches');
        expect(result).toMatchObject({ right: true, total: 21 * MiB + 123, end: 0, leaked: 0 });
        expect(result.slices).toBeGreaterThan(0); // large reads are slices of the batches, not copies
      },
      60_000,
    );

    runs(
      'small and odd-sized reads through the IO worker are served from its read-ahead, every byte right',
      async () => {
        const result = await call(page, 'readsOverBatches');
        expect(result).toEqual({ right: true, total: 19 * 1024 * 1024 + 321, end: 0, leaked: 0 });
      },
      60_000,
    );

    runs(
      'bursts of reads not awaited one by one agree with a model of the file, writes and seeks between',
      async () => {
        for (const seed of [1, 2]) {
          const result = await call(page, 'readBursts', seed);
          expect(result, `seed ${seed}`).toMatchObject({ right: true, leaked: 0 });
          expect(result.operations).toBeGreaterThan(200);
        }
      },
      120_000,
    );

    for (const from of ['blob', 'stream'] as const) {
      runs(
        `an aborted ${from} upload rejects with the reason; position and size agree, and the file goes on`,
        async () => {
          const result = await call(page, 'uploadAborted', from);
          expect(result.rejectedWithReason).toBe(true);
          expect(result.afterAbort.last).toBeGreaterThan(0);
          expect(result.afterAbort.position).toBe(result.afterAbort.last);
          expect(result.afterAbort.size).toBe(result.afterAbort.last);
          expect(result.afterWrite).toEqual({ position: result.afterAbort.last! + 3, size: result.afterAbort.last! + 3 });
          expect(result.finalSize).toBe(result.afterAbort.last! + 3);
        },
        60_000,
      );
    }

    runs('BlobFile random reads agree with the bytes', async () => {
      expect(await call(page, 'blobRandomReads')).toBe(true);
    });

    runs(
      'inside a worker OpfsFile is synchronous',
      async () => {
        expect(await call(page, 'workerSyncOpfs')).toEqual({
          isSync: true,
          text: 'written synchronously\n',
          size: 22,
          truncated: 40,
          pageText: 'written synchronously\n',
        });
      },
      60_000,
    );

    runs('reads concatenated gzip members fully; corrupt input is an IOError', async () => {
      expect(await call(page, 'concatenatedGzip')).toEqual({ same: true, length: 154, expected: 154, corrupt: 'IOError' });
    });

    runs('missing files and bad paths are clear errors', async () => {
      const result = await call(page, 'errors');
      expect(result).toMatchObject({ missingIsFileNotFound: true, missingCode: 'ENOENT', badPathIsTypeError: true });
      expect(result.badPathMessage).toMatch(/'\.\.' segment/);
    });

    runs("the host app's comlink transfer handlers stay its own", async () => {
      expect(await call(page, 'comlinkUntouched')).toBe(true);
    });

    runs('truncate is ordered with the writes around it', async () => {
      expect(await call(page, 'truncateRemote')).toEqual({ sizes: [105, 3], bytes: [1, 1, 1] });
    });

    runs(
      'async iteration yields chunks, lines() yields lines',
      async () => {
        const result = await call(page, 'chunksAndLines');
        expect(result.lines).toBe(2000);
        expect(result.first).toBe(`line ${'0'.padStart(40, '-')}\n`);
        expect(result.chunks).toBe(Math.ceil(result.total / 65_536));
        expect(result.chunks).toBeGreaterThan(1);
      },
      60_000,
    );
  });

  describe('a failing IO worker', () => {
    runs(
      'one that 404s makes open reject with EWORKER within seconds, each time',
      async () => {
        const brokenPage = await openHarness(driver, broken);
        try {
          const attempts = await call(brokenPage, 'openWithBrokenWorker');
          for (const attempt of attempts) {
            expect(attempt.error.code).toBe('EWORKER');
            expect(attempt.error.message).toMatch(/IO worker (failed|did not answer)/);
            expect(attempt.ms).toBeLessThan(6000);
          }
        } finally {
          await brokenPage.close();
        }
      },
      60_000,
    );

    runs(
      'one that fails at start-up or is terminated mid-use rejects every call with EWORKER',
      async () => {
        const result = await call(page, 'failingWorkers');
        expect(result.startUp.error.code).toBe('EWORKER');
        expect(result.terminated.error).toMatchObject({ code: 'EWORKER', message: expect.stringMatching(/stopped/) });
        expect(result.later.error.code).toBe('EWORKER');
        expect(result.defaultStillWorks).toBe(true);
      },
      60_000,
    );
  });

  describe('other tabs', () => {
    runs(
      'a second writer gets EBUSY naming the path',
      async () => {
        const other = await openHarness(driver, isolated);
        try {
          expect(await call(page, 'hold', 'tabs/w.bin', 'rb+')).toEqual({ ok: true });
          for (const mode of ['rb+', 'wb'] as const) {
            const result = await call(other, 'hold', 'tabs/w.bin', mode);
            expect(result).toMatchObject({
              error: { name: 'IOError', code: 'EBUSY', message: expect.stringContaining('tabs/w.bin') },
            });
          }
        } finally {
          await call(page, 'closeHeld');
          await other.close();
        }
      },
      60_000,
    );

    runs(
      'a reader sees the old file while another tab replaces it, then the new one',
      async () => {
        const other = await openHarness(driver, isolated);
        try {
          await call(page, 'writeText', 'tabs/r.txt', 'old');
          expect(await call(page, 'hold', 'tabs/r.txt', 'wb', 'new contents')).toEqual({ ok: true });
          expect(await call(other, 'readText', 'tabs/r.txt')).toEqual({ text: 'old' });
          await call(page, 'closeHeld');
          expect(await call(other, 'readText', 'tabs/r.txt')).toEqual({ text: 'new contents' });
        } finally {
          await other.close();
        }
      },
      60_000,
    );

    runs(
      'readers coexist where the browser has read-only handles; wait: true waits, a signal stops it',
      async () => {
        const other = await openHarness(driver, isolated);
        try {
          await call(page, 'writeText', 'tabs/shared.txt', 'shared');
          await call(page, 'hold', 'tabs/shared.txt', 'rb');
          const second = await call(other, 'readText', 'tabs/shared.txt');
          // Firefox ESR has no { mode: 'read-only' } handles: there one reader excludes the next.
          expect(second).toEqual(
            engine === 'chromium'
              ? { text: 'shared' }
              : expect.objectContaining({ error: expect.objectContaining({ code: 'EBUSY' }) }),
          );
          await call(page, 'closeHeld');
          await call(page, 'hold', 'tabs/shared.txt', 'rb+');
          const stopped = await call(other, 'readText', 'tabs/shared.txt', { wait: true, abortAfter: 300 });
          expect(stopped).toMatchObject({ error: { name: 'TimeoutError' } });
          const waited = call(other, 'readText', 'tabs/shared.txt', { wait: true });
          await new Promise((resolve) => setTimeout(resolve, 300));
          await call(page, 'closeHeld');
          expect(await waited).toEqual({ text: 'shared' });
        } finally {
          await other.close();
        }
      },
      60_000,
    );

    runs(
      'closing a tab mid-upload leaves the old file intact; the next open cleans up',
      async () => {
        await call(page, 'writeText', 'crash/data.txt', 'old');
        const doomed = await openHarness(driver, isolated);
        await call(doomed, 'startEndlessUpload', 'crash/data.txt', 4);
        expect(await call(page, 'listDir', 'crash')).toContain('.data.txt.nativefile-partial');
        await doomed.close();
        expect(await call(page, 'readText', 'crash/data.txt', { wait: true })).toEqual({ text: 'old' });
        // The closed tab's worker lets go of the partial file shortly after the tab is gone.
        let held: unknown;
        for (let i = 0; i < 100; i++) {
          held = await call(page, 'hold', 'crash/data.txt', 'rb+');
          if ('ok' in (held as object)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(held).toEqual({ ok: true });
        await call(page, 'closeHeld');
        expect(await call(page, 'listDir', 'crash')).toEqual(['data.txt']);
      },
      60_000,
    );

    runs(
      'closing a tab mid-upload to a new path leaves no file, and a read of it removes the partial one',
      async () => {
        const doomed = await openHarness(driver, isolated);
        await call(doomed, 'startEndlessUpload', 'crash-new/data.txt', 4);
        expect(await call(page, 'listDir', 'crash-new')).toEqual(['.data.txt.nativefile-partial']);
        await doomed.close();
        // The closed tab's worker lets go of the partial file shortly after the tab is gone.
        let listing: unknown;
        for (let i = 0; i < 100; i++) {
          expect(await call(page, 'readText', 'crash-new/data.txt')).toMatchObject({ error: { code: 'ENOENT' } });
          listing = await call(page, 'listDir', 'crash-new');
          if ((listing as string[]).length === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(listing).toEqual([]);
      },
      60_000,
    );

    runs(
      'an atomic writer closed while a reader of its path in the same context stays open is EBUSY, the old file kept; closed together, it replaces the file',
      async () => {
        const refused = { closed: 'EBUSY', text: 'old', together: 'closed', after: 'newer' };
        expect(await call(page, 'writersClosedBeforeTheirReaders')).toEqual({
          worker: refused,
          async: refused,
          dedicated: refused,
        });
      },
    );

    runs('two readers of one file on a page coexist, one after the other or at once, and free the path when closed', async () => {
      expect(await call(page, 'twoReadersOfOneFile')).toEqual({
        opened: 'opened',
        texts: ['shared bytes', 'shared bytes'],
        atOnce: ['fulfilled', 'fulfilled'],
        writerAfter: 'opened',
      });
    });

    runs("a reader waiting behind another reader's open here stops when its own signal aborts", async () => {
      expect(await call(page, 'secondReaderAborted')).toBe('stopped');
    });

    runs('opening files with one long-lived signal leaves no listener on it', async () => {
      expect(await call(page, 'listenersLeftBySignal', 20)).toBe(0);
    });

    runs('a reader and an atomic writer of one path opened at once never turn each other away', async () => {
      expect(await call(page, 'readerAndWriterAtOnce', 40)).toEqual({ refused: 0, failures: [] });
    });

    runs(
      'a file closed in one IO worker opens at once in another, every time',
      async () => {
        // Firefox refused about one such open in 300 on a busy machine before a close waited for
        // the lock manager to take the locks back (test/opfs/lock-release.test.ts).
        expect(await call(page, 'closedInOneWorkerOpenedInAnother', 150)).toEqual({ refused: [], whole: true });
      },
      60_000,
    );

    runs('opening a directory is IOError EISDIR, and a path through a file ENOTDIR, on every backend', async () => {
      const isDirectory = { name: 'IOError', code: 'EISDIR' };
      const expected = {
        readDirectory: isDirectory,
        writeDirectory: isDirectory,
        belowFile: { name: 'IOError', code: 'ENOTDIR' },
      };
      expect(await call(page, 'openErrors')).toEqual({ worker: expected, async: expected, dedicated: expected });
    });

    // Only Chromium lets a page call gc(); in Firefox this is skipped, not passed.
    (engine === 'chromium' ? runs : test.skip)(
      'an atomic writer dropped half-way leaves the old file whole once collected, and the path free, on every backend',
      async () => {
        const kept = { text: 'old complete file', reopened: true };
        expect(await call(page, 'droppedAtomicWriters')).toEqual({ worker: kept, async: kept, dedicated: kept });
      },
      60_000,
    );

    (engine === 'chromium' ? runs : test.skip)(
      'a dropped remote file releases its handle when collected',
      async () => {
        expect(await call(page, 'droppedFileIsReleased')).toEqual({ busyBefore: 'EBUSY', openedAfter: true });
      },
      60_000,
    );
  });

  describe('a page that is not cross-origin isolated', () => {
    runs(
      'falls back to the system pool and transferred copies',
      async () => {
        const plainPage = await openHarness(driver, plain);
        try {
          expect(await call(plainPage, 'environment')).toEqual({ isolated: false, pool: 'system' });
          expect(await call(plainPage, 'opfsRoundTrip', 8)).toEqual({ ok: true, isSync: false });
          expect(await call(plainPage, 'blobRandomReads')).toBe(true);
        } finally {
          await plainPage.close();
        }
      },
      120_000,
    );
  });

  describe('the demo', () => {
    runs(
      'streams a picked file into OPFS and shows its bytes',
      async () => {
        await demoTest(driver, urlOf(isolated, '/demo/index.html'));
      },
      120_000,
    );
  });
});
