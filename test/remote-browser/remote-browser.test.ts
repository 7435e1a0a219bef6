/**
 * Remote files in the browser: HttpFile and S3FileSystem in a cross-origin isolated page and
 * in a module worker, in Chromium and Firefox, against nginx and Ceph's S3 gateway on other origins
 * (so CORS and COEP apply as they would in production). The page side is harness.ts.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from '../browser/driver.js';
import { hasNginx, startNginx, type NginxServer } from '../servers/nginx.js';
import { startS3, type S3Server } from '../servers/s3.js';
import type { Harness } from './harness.js';
import { linesText, MiB, pattern } from './pattern.js';
import { isolation, startPageServer, urlOf } from './servers.js';

const PATTERN_SIZE = 4 * MiB + 123;
const LINES = 5000;
const ROWS = 20_000;
const names = (i: number): string => `row-${i}`;
const scores = (i: number): number => ((i * 7919) % 1000) / 10;

let nginx: NginxServer;
/** A server with Access-Control-Allow-Origin but no answers to preflights (nginx's 405). */
let noPreflight: NginxServer;
let s3: S3Server;
let pages: ViteDevServer;

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<Harness>();

const engines: Engine[] = ['chromium', 'firefox'];

// Without nginx (apt-get install nginx; npm test's pretest and CI install it) nothing here can run.
describe.skipIf(!hasNginx)('remote files in the browser', () => {
  beforeAll(async () => {
    [nginx, noPreflight, s3, pages] = await Promise.all([
      startNginx({ preflight: true }),
      startNginx(),
      startS3(['data'], { cors: true }),
      startPageServer(isolation),
    ]);
    writeFileSync(join(nginx.root, 'pattern.bin'), pattern(0, PATTERN_SIZE));
    writeFileSync(join(noPreflight.root, 'pattern.bin'), pattern(0, 1000));
    writeFileSync(join(nginx.root, 'lines.txt'), linesText(LINES));
    const ids = Array.from({ length: ROWS }, (_, i) => i);
    const columnData = [
      { name: 'id', data: ids, type: 'INT32' as const },
      { name: 'name', data: ids.map(names), type: 'STRING' as const },
      { name: 'score', data: ids.map(scores), type: 'DOUBLE' as const },
    ];
    writeFileSync(join(nginx.root, 'table.parquet'), new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 5000 })));
    // The Node side puts the S3 fixtures there itself, so the page's reads test reading only.
    await s3.put('data/dir/pattern.bin', pattern(0, PATTERN_SIZE));
    await s3.put('data/dir/sub/other.txt', 'other');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([nginx?.stop(), noPreflight?.stop(), s3?.stop(), pages?.close()]);
  });

  describe.each(engines)('in %s', (engine) => {
    const runs = available(engine) ? test : test.skip;
    let driver: BrowserDriver;
    let page: PageDriver;
    beforeAll(async () => {
      if (!available(engine)) return;
      driver = await launch(engine);
      // Firefox reports each request refused by CORS as a page error; one test makes those on purpose.
      page = await driver.newPage(
        (message) => message.startsWith('Cross-Origin Request Blocked') || console.error(`${engine} page error:`, message),
      );
      await page.goto(urlOf(pages, '/test/remote-browser/index.html'));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
    }, 120_000);
    afterAll(async () => {
      await driver?.close();
    });

    runs(
      'missing files are FileNotFoundError: the servers send CORS headers on errors too',
      async () => {
        expect(await call(page, 'openMissing', `${nginx.url}missing.bin`)).toMatchObject({
          name: 'FileNotFoundError',
          code: 'ENOENT',
        });
        expect(await call(page, 's3OpenMissing', s3.endpoint, 'data/missing.bin')).toMatchObject({
          name: 'FileNotFoundError',
          code: 'ENOENT',
        });
      },
      60_000,
    );

    runs('the page is cross-origin isolated and on another origin than the servers', async () => {
      const { isolated, origin } = await call(page, 'environment');
      expect(isolated).toBe(true);
      expect(origin).not.toBe(new URL(nginx.url).origin);
      expect(origin).not.toBe(s3.endpoint);
    });

    describe('HttpFile', () => {
      runs(
        'opens with one HEAD, reads at an offset, and coalesces nearby ranges into one request',
        async () => {
          const result = await call(page, 'readPatternOverHttp', `${nginx.url}pattern.bin`);
          expect(result.size).toBe(PATTERN_SIZE);
          expect(result.openRequests.map((r) => r.method)).toEqual(['HEAD']);
          expect(result.etag).toMatch(/^"/);
          expect(result.readAtOk).toBe(true);
          expect(result.rangesOk).toBe(true);
          // Three ranges within 8 KiB of each other are one request; the far one is another.
          expect(result.rangeRequests).toBe(2);
        },
        60_000,
      );

      runs(
        'without Accept-Ranges and ETag exposed, open costs one more small GET and reads still work',
        async () => {
          const result = await call(page, 'readPatternOverHttp', `${nginx.url}unexposed/pattern.bin`);
          expect(result.openRequests.map((r) => [r.method, r.range, r.status])).toEqual([
            ['HEAD', null, 200],
            ['GET', 'bytes=0-0', 206],
          ]);
          expect(result.size).toBe(PATTERN_SIZE);
          // Last-Modified is a CORS-safelisted response header: reads are conditional on it instead.
          expect(result.etag).toBeUndefined();
          expect(result.lastModified).toBeDefined();
          expect(result).toMatchObject({ readAtOk: true, rangesOk: true });
        },
        60_000,
      );

      runs(
        'a server compressing on the fly still serves ranges: open, reads and lines() work',
        async () => {
          const result = await call(page, 'readPatternOverHttp', `${nginx.url}gzip/pattern.bin`);
          expect(result).toMatchObject({ size: PATTERN_SIZE, readAtOk: true, rangesOk: true });
          // The browser asks HEAD with gzip accepted (nginx then drops Content-Length), but puts
          // Accept-Encoding: identity on requests with Range (the Fetch standard says so).
          expect(result.openRequests.map((r) => [r.method, r.status])).toEqual([
            ['HEAD', 200],
            ['GET', 206],
          ]);
          expect(await call(page, 'linesOverHttp', `${nginx.url}gzip/lines.txt`)).toMatchObject({ count: LINES });
        },
        60_000,
      );

      runs(
        'lines() yields every line of a text file',
        async () => {
          expect(await call(page, 'linesOverHttp', `${nginx.url}lines.txt`)).toEqual({
            count: LINES,
            first: 'line 0\n',
            last: `line ${LINES - 1}\n`,
          });
        },
        60_000,
      );

      // With the ETag exposed reads carry If-Match; under /unexposed/ only Last-Modified (a
      // CORS-safelisted header) is visible, so they carry If-Unmodified-Since instead.
      for (const [prefix, how] of [
        ['', 'If-Match'],
        ['unexposed/', 'If-Unmodified-Since'],
      ] as const) {
        runs(
          `a file replaced on the server between two reads fails the second with ESTALE (${how})`,
          async () => {
            const name = `stale-${engine}-${how}.bin`;
            const path = join(nginx.root, name);
            writeFileSync(path, pattern(0, 2 * MiB));
            utimesSync(path, new Date(), new Date(Date.now() - 60_000));
            expect(await call(page, 'openHeld', `${nginx.url}${prefix}${name}`)).toEqual({ ok: true });
            // Same size: only the time tells the versions apart (nginx's ETag is mtime-size).
            writeFileSync(path, pattern(1, 2 * MiB));
            expect(await call(page, 'readHeld', MiB, 1000)).toMatchObject({ error: { name: 'IOError', code: 'ESTALE' } });
            rmSync(path);
          },
          60_000,
        );
      }

      runs(
        'a read the server refuses a preflight for is an IOError whose message points at CORS',
        async () => {
          const result = await call(page, 'readRefusedByCors', `${noPreflight.url}pattern.bin`);
          expect(result.opened).toBe(true);
          // The browser tells a page nothing more than a network error: the message says where to look.
          expect(result.error).toMatchObject({
            name: 'IOError',
            code: 'ECONNRESET',
            message: expect.stringContaining('docs/cors.md'),
          });
        },
        60_000,
      );

      runs(
        'hyparquet reads rows across two row groups through asyncBufferOf in a few GETs',
        async () => {
          const result = await call(page, 'parquetRows', `${nginx.url}table.parquet`, 4990, 5010);
          const expected = Array.from({ length: 20 }, (_, k) => 4990 + k).map((i) => ({
            id: i,
            name: names(i),
            score: scores(i),
          }));
          expect(result.rows).toEqual(expected);
          // Footer length, footer, then the 3 columns of each of the 2 row groups in one batch.
          expect(result.gets).toBeLessThanOrEqual(4);
        },
        60_000,
      );

      runs(
        'reads the same from a dedicated module worker',
        async () => {
          const result = await call(page, 'workerHttp', `${nginx.url}pattern.bin`, `${nginx.url}lines.txt`);
          expect(result.where).toEqual({ worker: true, isolated: true });
          expect(result.read).toMatchObject({ size: PATTERN_SIZE, readAtOk: true, rangesOk: true, rangeRequests: 2 });
          expect(result.lines.count).toBe(LINES);
        },
        60_000,
      );
    });

    describe('S3FileSystem', () => {
      runs(
        'reads ranges through openInputFile; getFileInfo and listDir see what is there',
        async () => {
          const result = await call(page, 's3Read', s3.endpoint, 'data/dir/pattern.bin', 'data/dir');
          expect(result).toEqual({
            size: PATTERN_SIZE,
            readAtOk: true,
            rangesOk: true,
            info: { type: 'file', size: PATTERN_SIZE, hasMtime: true },
            listing: ['data/dir/pattern.bin:file', 'data/dir/sub:directory'],
            missing: 'not-found',
          });
        },
        60_000,
      );

      runs(
        'reads, uploads and aborts the same from a dedicated module worker',
        async () => {
          const pending = await s3.pendingUploads('data');
          const result = await call(
            page,
            'workerS3',
            s3.endpoint,
            'data/dir/pattern.bin',
            'data/dir',
            `data/worker-${engine}.bin`,
            `data/worker-aborted-${engine}.bin`,
          );
          expect(result.read).toMatchObject({
            size: PATTERN_SIZE,
            readAtOk: true,
            rangesOk: true,
            listing: ['data/dir/pattern.bin:file', 'data/dir/sub:directory'],
          });
          expect(result.multipart).toEqual({ beforeClose: 'not-found', afterClose: 'file', size: 6 * MiB, tailOk: true });
          expect(result.aborted).toEqual({ after: 'not-found', closed: true });
          expect(await s3.pendingUploads('data')).toEqual(pending);
        },
        120_000,
      );

      runs(
        'creates a directory, moves an object and deletes the directory',
        async () => {
          expect(await call(page, 's3Manage', s3.endpoint, `data/manage-${engine}`)).toEqual({
            listed: [`data/manage-${engine}/b.txt:file`, `data/manage-${engine}/empty:directory`],
            after: 'not-found',
          });
        },
        60_000,
      );

      runs(
        'a multipart upload is visible only after close',
        async () => {
          const pending = await s3.pendingUploads('data');
          const result = await call(page, 's3Multipart', s3.endpoint, `data/multipart-${engine}.bin`, 11);
          expect(result).toEqual({ beforeClose: 'not-found', afterClose: 'file', size: 11 * MiB, tailOk: true });
          expect(await s3.pendingUploads('data')).toEqual(pending);
        },
        120_000,
      );

      runs(
        'abort after a part was sent leaves neither an object nor an upload',
        async () => {
          const pending = await s3.pendingUploads('data');
          expect(await call(page, 's3Abort', s3.endpoint, `data/aborted-${engine}.bin`)).toEqual({
            after: 'not-found',
            closed: true,
          });
          expect(await s3.pendingUploads('data')).toEqual(pending);
        },
        120_000,
      );

      runs(
        'an OPFS file uploads with progress; an upload cancelled half-way rejects with the reason and leaves nothing',
        async () => {
          const mib = 12;
          const pending = await s3.pendingUploads('data');
          const result = await call(
            page,
            'opfsUpload',
            s3.endpoint,
            `data/opfs-${engine}.bin`,
            `data/opfs-cancelled-${engine}.bin`,
            mib,
          );
          expect(result.copied).toBe(mib * MiB);
          expect(result.size).toBe(mib * MiB);
          expect(result.middleOk).toBe(true);
          expect(result.progress.length).toBe(mib);
          expect(result.progress.at(-1)).toEqual([mib * MiB, mib * MiB]);
          expect(result.progress.every(([done], i) => i === 0 || done > result.progress[i - 1]![0])).toBe(true);
          expect(result.aborted).toMatchObject({
            sameReason: true,
            error: { name: 'AbortError' },
            progressAtAbort: (mib / 2) * MiB,
            after: 'not-found',
          });
          expect(await s3.pendingUploads('data')).toEqual(pending);
        },
        120_000,
      );
    });
  });
});
