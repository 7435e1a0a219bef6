/**
 * The browser checks in WebKitGTK (MiniBrowser launched directly, see webkit.ts): OPFS there
 * has no working sync access handles, so every OPFS file is on the async backend, from a
 * page, a dedicated worker and a SharedWorker.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
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
      ['sharedPool', []],
    ];

const results = new Map<string, PageMessage>();
let userAgent = '';
let finished: () => void = () => {};
const done = new Promise<void>((resolve) => (finished = resolve));
let server: ViteDevServer;
let browser: WebKitRun | undefined;
let dataDir: string;
const started = Date.now();

/** WebKitGTK's swap files in the system's temporary folder made since this suite started. */
const swapFilesLeft = () =>
  readdirSync(tmpdir()).filter(
    (name) => name.startsWith('FileSystemWritableStream-') && statSync(join(tmpdir(), name)).mtimeMs >= started - 1000,
  );

const runs = webkitAvailable() ? test : test.skip;

beforeAll(async () => {
  if (!webkitAvailable()) return;
  server = await startServer(isolation, false, [
    resultsEndpoint((message) => {
      if (message.event === 'start') userAgent = message.userAgent ?? '';
      if (message.event === 'result') results.set(message.name!, message);
      if (process.env.NATIVEFILE_WEBKIT_CALLS) console.log(JSON.stringify(message));
      if (message.event === 'page-error') console.error('WebKit page error:', message.message);
      if (message.event === 'done') finished();
    }),
  ]);
  dataDir = mkdtempSync(join(tmpdir(), 'nativefile-webkit-'));
  browser = openInWebKit(
    `${urlOf(server, '/test/browser/webkit.html')}?calls=${encodeURIComponent(JSON.stringify(CALLS))}`,
    dataDir,
  );
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 240_000))]);
}, 300_000);

afterAll(async () => {
  browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The value the page got for `name`, failing with the page's error if it threw. */
function valueOf(name: string): unknown {
  const message = results.get(name);
  if (message === undefined) throw new Error(`the WebKit page never answered ${name} (user agent: ${userAgent || 'none'})`);
  if (message.error !== undefined) throw new Error(`${name} failed in WebKit: ${message.error.name}: ${message.error.message}`);
  return message.value;
}

describe('in WebKitGTK (MiniBrowser)', () => {
  runs("leaves no swap file of WebKit's createWritable() in the system's temporary folder", () => {
    expect(results.size).toBeGreaterThan(0); // the page wrote files
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

  runs('the page and two workers share one wasm pool', () => {
    expect(valueOf('sharedPool')).toMatchObject({ seesA: true, seesB: true, workerSeesPage: 3000, disjoint: true, after: 0 });
  });
});
