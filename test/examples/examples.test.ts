/**
 * The README's examples are the files of examples/, and they run: the Node ones as programs
 * against the built package (`import 'nativefile'` resolves to dist/, as in an app), the
 * browser ones in a page in Chromium and Firefox, each against real servers on 127.0.0.1.
 * The README holds their text (scripts/examples.mjs copies it in; a test checks it did).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Plugin, ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from '../browser/driver.js';
import { hasNginx, startNginx, type NginxServer } from '../servers/nginx.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { startSigningServer, type SigningServer } from '../servers/signing-server.js';
import { isolation, startServer, urlOf } from '../browser/servers.js';
import type { ExamplesHarness } from './page.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'test/examples/.out');
const call = harnessCaller<ExamplesHarness>();

/** Runs examples/node/`name` as a program (TypeScript stripped by esbuild), returning its output. */
async function runExample(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const source = readFileSync(join(root, 'examples/node', name), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
  // Inside the repository, so that `import 'nativefile'` finds this package (dist/) by its name.
  const file = join(out, name.replace(/\.ts$/, '.mjs'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, code);
  const run = spawnSync(process.execPath, [file, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`${name} exited with ${run.status}: ${run.stderr}`);
  return run.stdout;
}

describe('the examples', () => {
  let nginx: NginxServer | undefined;
  let s3: S3Server;
  beforeAll(async () => {
    [nginx, s3] = await Promise.all([
      hasNginx ? startNginx({ preflight: true }) : undefined,
      startS3(['bucket', 'uploads'], { cors: true }),
    ]);
    const table = parquetWriteBuffer({ columnData: [{ name: 'id', data: [1, 2, 3], type: 'INT32' }] });
    if (nginx !== undefined) writeFileSync(join(nginx.root, 'table.parquet'), new Uint8Array(table));
    for (const [path, body] of [
      ['bucket/reports/a.csv', 'x,y\n1,2\n'],
      ['bucket/reports/2024/b.csv', 'x,y\n3,4\n'],
    ] as const)
      await s3.put(path, body);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([nginx?.stop(), s3?.stop()]);
    rmSync(out, { recursive: true, force: true });
  });

  it('the README shows each example as it is in examples/', () => {
    const check = spawnSync(process.execPath, [join(root, 'scripts/examples.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('every example type-checks (tsc -p . includes examples/) and each Node one runs as a program', async () => {
    expect(readdirSync(join(root, 'examples/node')).sort()).toEqual([
      'buffers-and-pools.ts',
      'capabilities.ts',
      'compressed-files.ts',
      'copy-s3-to-disk.ts',
      'files-and-maps.ts',
      'parquet-footer.ts',
    ]);
    expect(await runExample('buffers-and-pools.ts')).toMatch(/68656C6C6F[\s\S]*24 bytes/);
    expect(await runExample('capabilities.ts')).toContain('Uint8Array(3) [ 97, 98, 99 ]');
    expect(await runExample('compressed-files.ts')).toMatch(/first line\nsecond line\n\d+ 65536/);
    expect(await runExample('files-and-maps.ts')).toBe('4096 end\n');
    const target = join(out, 'reports');
    const copied = await runExample('copy-s3-to-disk.ts', ['bucket/reports', target], {
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY: s3.credentials.accessKeyId,
      S3_SECRET_KEY: s3.credentials.secretAccessKey,
    });
    expect(copied).toMatch(/2 files/);
    expect(readFileSync(join(target, '2024/b.csv'), 'utf8')).toBe('x,y\n3,4\n');
    if (nginx !== undefined)
      expect(await runExample('parquet-footer.ts', [`${nginx.url}table.parquet`])).toMatch(/^footer: \d+ bytes of \d+\n$/);
  }, 120_000);

  describe.each(['chromium', 'firefox'] as Engine[])('in %s, the browser examples', (engine) => {
    const runs = available(engine) ? test : test.skip;
    let pages: ViteDevServer;
    let signing: SigningServer;
    let driver: BrowserDriver;
    let page: PageDriver;
    beforeAll(async () => {
      if (!available(engine)) return;
      signing = await startSigningServer(s3.endpoint, s3.credentials);
      // The app's own server: it serves the page and signs at /sign (the signing server behind it).
      const sign: Plugin = {
        name: 'sign',
        configureServer(server) {
          server.middlewares.use('/sign', (request, response) => {
            const chunks: Buffer[] = [];
            request.on('data', (chunk: Buffer) => chunks.push(chunk));
            request.on('end', () => {
              void fetch(signing.url, { method: 'POST', body: Buffer.concat(chunks) })
                .then(async (answer) =>
                  response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
                )
                .catch(() => response.writeHead(502).end());
            });
          });
        },
      };
      pages = await startServer(isolation, false, [sign], { nativefile: join(root, 'src/index.ts') });
      driver = await launch(engine);
      page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
      await page.goto(urlOf(pages, '/test/examples/index.html'));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
    }, 120_000);
    afterAll(async () => {
      await driver?.close();
      await Promise.all([pages?.close(), signing?.stop()]);
    });

    runs('store a picked file in OPFS with progress', async () => {
      expect(await call(page, 'storePicked')).toEqual({ progress: 300_000, max: 300_000, stored: 300_000 });
    });
    runs('random access into a picked file', async () => {
      expect(await call(page, 'inspect')).toEqual({ magic: 'PAR1', tail: 'nds here', firstLine: 'PAR1 first line' });
    });
    runs('stream a download into OPFS', async () => {
      expect(await call(page, 'download', urlOf(pages, '/package.json'))).toMatchObject({
        text: expect.stringContaining('"nativefile"'),
      });
    });
    runs(
      'a resumable upload signed by the app server',
      async () => {
        const result = await call(page, 'uploadPicked', s3.endpoint);
        expect(result).toEqual({
          result: { path: 'uploads/video.mp4', size: 6 * 1024 * 1024 + 5, resumedFrom: 0 },
          last: 6 * 1024 * 1024 + 5,
        });
      },
      60_000,
    );
    runs(
      'capture offline, upload later, and bring files back',
      async () => {
        expect(await call(page, 'syncCaptures', s3.endpoint, s3.credentials)).toEqual({
          uploaded: 16,
          emptied: 0,
          back: 'from the server',
        });
      },
      60_000,
    );
  });
});
