/**
 * The browser checks in WebKitGTK (MiniBrowser launched directly, see webkit.ts): OPFS there
 * has no working sync access handles, so every OPFS file is on the async backend, from a
 * page, a second page (a same-origin iframe), a dedicated worker and a SharedWorker. A second,
 * short run opens the page from a server whose IO worker 404s.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plugin, ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTRACT } from './contract-expected.js';
import { isolation, startServer, urlOf } from './servers.js';
import { openInWebKit, resultsEndpoint, webkitAvailable, type PageMessage, type WebKitRun } from './webkit.js';

/** The harness calls the WebKit page runs, in order. */
const CALLS: Array<[string, unknown[]]> = process.env.NATIVEFILE_WEBKIT_CALLS
  ? (JSON.parse(process.env.NATIVEFILE_WEBKIT_CALLS) as Array<[string, unknown[]]>)
  : [
      ['environment', []],
      ['pageCapabilities', []],
      ['pageRoundTrip', [8, {}]],
      ['pageContract', [{}]],
      ['pageResponse', [{}]],
      ['workerRoundTrip', [8, {}]],
      ['workerContract', [{}]],
      ['workerResponse', []],
      ['sharedWorkerCapabilities', []],
      ['sharedWorkerRoundTrip', [8]],
      ['sharedWorkerContract', []],
      ['sharedWorkerResponse', []],
      ['sharedStore', ['auto']],
      ['blobRandomReads', []],
      ['concatenatedGzip', []],
      ['chunksAndLines', []],
      ['errors', []],
      ['truncateRemote', []],
      ['quotaTruncate', []],
      ['sharedPool', []],
      ['twoPages', []],
      ['pageGoneMidReplace', []],
      ['givenWorkers', []],
    ];

/** The calls of the page whose IO worker 404s. */
const BROKEN_CALLS: Array<[string, unknown[]]> = [
  ['environment', []],
  ['openWithBrokenWorker', []],
  ['brokenWorkerAsync', []],
];

/** What one MiniBrowser run's page posted: its answers by name, and when it was done. */
interface PageRun {
  readonly results: Map<string, PageMessage>;
  userAgent: string;
  readonly done: Promise<void>;
  readonly endpoint: Plugin;
}

function pageRun(): PageRun {
  let finished: () => void = () => {};
  const run: PageRun = {
    results: new Map(),
    userAgent: '',
    done: new Promise<void>((resolve) => (finished = resolve)),
    endpoint: resultsEndpoint((message) => {
      if (message.event === 'start') run.userAgent = message.userAgent ?? '';
      if (message.event === 'result') run.results.set(message.name!, message);
      if (process.env.NATIVEFILE_WEBKIT_CALLS) console.log(JSON.stringify(message));
      if (message.event === 'page-error') console.error('WebKit page error:', message.message);
      if (message.event === 'done') finished();
    }),
  };
  return run;
}

/** Opens webkit.html of `server` running `calls` in MiniBrowser, until the page is done or `timeout` passes. */
async function runCalls(server: ViteDevServer, run: PageRun, calls: unknown, timeout: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nativefile-webkit-'));
  dataDirs.push(dataDir);
  browser = openInWebKit(
    `${urlOf(server, '/test/browser/webkit.html')}?calls=${encodeURIComponent(JSON.stringify(calls))}`,
    dataDir,
  );
  await Promise.race([run.done, new Promise((resolve) => setTimeout(resolve, timeout))]);
  browser.close();
  browser = undefined;
}

const main = pageRun();
const broken = pageRun();
let server: ViteDevServer;
let brokenServer: ViteDevServer;
let browser: WebKitRun | undefined;
const dataDirs: string[] = [];
const started = Date.now();

/** WebKitGTK's swap files in the system's temporary folder made since this suite started. */
const swapFilesLeft = () =>
  readdirSync(tmpdir()).filter(
    (name) => name.startsWith('FileSystemWritableStream-') && statSync(join(tmpdir(), name)).mtimeMs >= started - 1000,
  );

const runs = webkitAvailable() ? test : test.skip;

beforeAll(async () => {
  if (!webkitAvailable()) return;
  [server, brokenServer] = await Promise.all([
    startServer(isolation, false, [main.endpoint]),
    startServer(isolation, true, [broken.endpoint]),
  ]);
  // One browser at a time: each run has its own virtual display and profile.
  await runCalls(server, main, CALLS, 240_000);
  await runCalls(brokenServer, broken, BROKEN_CALLS, 60_000);
}, 360_000);

afterAll(async () => {
  browser?.close();
  await Promise.all([server?.close(), brokenServer?.close()]);
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
});

/** The value the page of `run` got for `name`, failing with the page's error if it threw. */
function valueOf(name: string, run: PageRun = main): unknown {
  const message = run.results.get(name);
  if (message === undefined) throw new Error(`the WebKit page never answered ${name} (user agent: ${run.userAgent || 'none'})`);
  if (message.error !== undefined) throw new Error(`${name} failed in WebKit: ${message.error.name}: ${message.error.message}`);
  return message.value;
}

describe('in WebKitGTK (MiniBrowser)', () => {
  runs("leaves no swap file of WebKit's createWritable() in the system's temporary folder", () => {
    expect(main.results.size).toBeGreaterThan(0); // the page wrote files
    expect(swapFilesLeft()).toEqual([]);
  });

  runs('the page is cross-origin isolated and uses the wasm pool on shared memory', () => {
    expect(valueOf('environment')).toEqual({ isolated: true, pool: 'wasm' });
  });

  runs('a page falls back to the async backend (the IO worker has no sync access handles) and round trips', () => {
    expect(valueOf('pageRoundTrip')).toEqual({ ok: true, backend: 'async', isSync: false });
  });

  runs('a dedicated worker falls back to the async backend and round trips', () => {
    expect(valueOf('workerRoundTrip')).toEqual({ ok: true, backend: 'async', isSync: false });
  });

  runs('a SharedWorker round trips on the async backend', () => {
    expect(valueOf('sharedWorkerCapabilities')).toMatchObject({ syncAccessHandle: false });
    expect(valueOf('sharedWorkerRoundTrip')).toEqual({ ok: true, backend: 'async', isSync: false });
  });

  runs('the contract holds in a page, a dedicated worker and a SharedWorker', () => {
    for (const name of ['pageContract', 'workerContract', 'sharedWorkerContract']) {
      expect(valueOf(name), name).toEqual({ backend: 'async', isSync: false, result: CONTRACT });
    }
  });

  runs("new Response(toReadableStream(file)) gives an OPFS file's bytes", () => {
    for (const name of ['pageResponse', 'workerResponse', 'sharedWorkerResponse']) {
      expect(valueOf(name), name).toEqual({ same: true, length: 300_001, backend: 'async' });
    }
  });

  runs('a page and a SharedWorker share one store through Web Locks', () => {
    expect(valueOf('sharedStore')).toMatchObject({
      pageWrites: { ok: 'async' },
      workerWriter: { error: { code: 'EBUSY' } },
      workerWaited: { text: 'old' },
      pageWhileReplaced: { text: 'old' },
      pageWriter: { error: { code: 'EBUSY' } },
      pageAfterReplace: { text: 'new' },
    });
  });

  runs('Blob reads, gzip streams, lines, errors and truncate work', () => {
    expect(valueOf('blobRandomReads')).toBe(true);
    expect(valueOf('concatenatedGzip')).toEqual({ same: true, length: 154, expected: 154, corrupt: 'IOError' });
    expect(valueOf('chunksAndLines')).toMatchObject({ lines: 2000 });
    expect(valueOf('errors')).toMatchObject({ missingIsFileNotFound: true, missingCode: 'ENOENT', badPathIsTypeError: true });
    expect(valueOf('truncateRemote')).toEqual({ sizes: [105, 3], bytes: [1, 1, 1] });
  });

  runs('growing a file past the quota (no navigator.storage.estimate() here) is ENOSPC and keeps the file', () => {
    const quota = valueOf('quotaTruncate') as { writeError: { code: string; message: string } };
    expect(quota).toMatchObject({ backend: 'async', sizeAfterFailure: 1000, laterWrite: 'ok', size: 1010, intact: true });
    expect(quota.writeError.code).toBe('ENOSPC');
    expect(quota.writeError.message).toMatch(
      /room for 4294966296 more bytes \(navigator\.storage\.estimate\(\) gave no figures\)/,
    );
  });

  runs('the page and two workers share one wasm pool', () => {
    expect(valueOf('sharedPool')).toMatchObject({ seesA: true, seesB: true, workerSeesPage: 3000, disjoint: true, after: 0 });
  });

  describe('two pages (the second a same-origin iframe) share one store', () => {
    const busy = (path: string) => ({
      error: { name: 'IOError', code: 'EBUSY', message: expect.stringContaining(path) as unknown },
    });

    runs('the second page is isolated too and opens files on its own async backend', () => {
      expect(valueOf('twoPages')).toMatchObject({
        peerCapabilities: { worker: true, syncAccessHandle: false, isolated: true },
        pageWrites: { ok: 'async' },
        pageHolds: { ok: 'async' },
      });
    });

    runs('a second writer gets EBUSY naming the path; a reader waits with wait: true, and a signal stops the wait', () => {
      const result = valueOf('twoPages') as { path: string };
      expect(result).toMatchObject({
        peerWriter: busy(result.path),
        peerReplacer: busy(result.path),
        peerReader: busy(result.path),
        peerStopped: { error: { name: 'TimeoutError' } },
        peerWaitedFor: 'this page',
        peerWaited: { text: 'old' },
      });
    });

    runs("a reader sees the old file while the other page replaces it ('wb'), then the new one", () => {
      const result = valueOf('twoPages') as { path: string };
      expect(result).toMatchObject({
        peerReplaces: { ok: 'async' },
        pageWhileReplaced: { text: 'old' },
        pageWriter: busy(result.path),
        pageAfterReplace: { text: 'new' },
        peerAfterReplace: { text: 'new' },
      });
    });

    runs('a page removed mid-replace leaves the old file intact; its locks go, the next writer removes the partial file', () => {
      expect(valueOf('pageGoneMidReplace')).toMatchObject({
        peerReplaces: { ok: 'async' },
        whileWriting: ['.data.txt.nativefile-partial', 'data.txt'],
        writerWhileWriting: { error: { code: 'EBUSY' } },
        afterGone: { text: 'old' },
        writerAfterGone: { ok: 'async' },
        afterNextWriter: ['data.txt'],
        text: { text: 'old' },
      });
    });
  });

  describe('a failing IO worker', () => {
    runs('one that 404s makes open reject with EWORKER within seconds, each time; the async backend still works', () => {
      expect(valueOf('environment', broken)).toEqual({ isolated: true, pool: 'wasm' });
      const attempts = valueOf('openWithBrokenWorker', broken) as Array<{ error: { code: string; message: string }; ms: number }>;
      expect(attempts).toHaveLength(2);
      for (const attempt of attempts) {
        expect(attempt.error.code).toBe('EWORKER');
        expect(attempt.error.message).toMatch(/IO worker (failed|did not answer)/);
        expect(attempt.ms).toBeLessThan(6000);
      }
      // A worker URL that does not load is a bundling mistake: no silent fallback (README,
      // "Where it runs"), though this page could reach OPFS when it asks for the async backend.
      expect(valueOf('brokenWorkerAsync', broken)).toMatchObject({
        written: { ok: 'async' },
        read: { text: 'async' },
        auto: { error: { name: 'IOError', code: 'EWORKER' } },
      });
    });

    runs('one the app gives that fails at start-up, or is terminated before use, rejects with EWORKER', () => {
      expect(valueOf('givenWorkers')).toMatchObject({
        startUp: { error: { name: 'IOError', code: 'EWORKER' } },
        terminated: { error: { name: 'IOError', code: 'EWORKER', message: expect.stringMatching(/did not answer/) } },
        defaultWorker: { ok: 'async' },
      });
    });

    // It used to reject with ENOSYNCACCESS: an open through { worker } bypassed the fallback.
    runs("one the app gives that works serves on the async backend, as with the package's own worker", () => {
      expect((valueOf('givenWorkers') as { working: unknown }).working).toEqual({ ok: 'async', text: { text: 'given' } });
    });
  });
});
