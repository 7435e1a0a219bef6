/**
 * AzureFileSystem in the browser: a cross-origin isolated page in Chromium and Firefox
 * reads and uploads through a SAS token, and through a signer that asks a signing server
 * holding the key, against Azurite on another origin with CORS rules set (so CORS and COEP
 * apply as they would in production), and resumes an upload from its token in OPFS. The page side is azure-harness.ts.
 */
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from '../browser/driver.js';
import { accountSas, sdkClient } from '../remote/azure-helpers.js';
import { startAzureSigner, type AzureSigningServer } from '../servers/azure-signer.js';
import { startAzurite, type AzuriteServer } from '../servers/azurite.js';
import type { AzureHarness } from './azure-harness.js';
import { MiB, pattern } from './pattern.js';
import { isolation, startPageServer, urlOf } from './servers.js';

const PATTERN_SIZE = 4 * MiB + 123;

/** The account's CORS rule a browser client needs (docs/cors.md explains it). */
export const AZURE_CORS_RULE = {
  allowedOrigins: '*',
  allowedMethods: 'GET,HEAD,PUT,POST,DELETE,OPTIONS',
  allowedHeaders: '*',
  exposedHeaders: '*',
  maxAgeInSeconds: 600,
};

let azurite: AzuriteServer;
let signer: AzureSigningServer;
let pages: ViteDevServer;
let sas: string;

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<AzureHarness>();

const engines: Engine[] = ['chromium', 'firefox'];

/** The names in the `web` container, uncommitted blobs included. */
async function names(prefix: string): Promise<string[]> {
  const found: string[] = [];
  const listing = sdkClient(azurite.endpoint).getContainerClient('web').listBlobsFlat({ prefix, includeUncommitedBlobs: true });
  for await (const blob of listing) found.push(blob.name);
  return found.sort();
}

describe('AzureFileSystem in the browser', () => {
  beforeAll(async () => {
    [azurite, signer, pages] = await Promise.all([startAzurite(), startAzureSigner(), startPageServer(isolation)]);
    const sdk = sdkClient(azurite.endpoint);
    await sdk.setProperties({ cors: [AZURE_CORS_RULE] });
    const container = sdk.getContainerClient('web');
    await container.create();
    // The Node side puts the fixtures there itself, so the page's reads test reading only.
    await container.getBlockBlobClient('dir/pattern.bin').uploadData(pattern(0, PATTERN_SIZE));
    await container.getBlockBlobClient('dir/sub/other.txt').upload('other', 5);
    sas = accountSas();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([azurite?.stop(), signer?.stop(), pages?.close()]);
  });

  describe.each(engines)('in %s', (engine) => {
    const runs = available(engine) ? test : test.skip;
    let driver: BrowserDriver;
    let page: PageDriver;
    beforeAll(async () => {
      if (!available(engine)) return;
      driver = await launch(engine);
      page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
      await page.goto(urlOf(pages, '/test/remote-browser/azure.html'));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
    }, 120_000);
    afterAll(async () => {
      await driver?.close();
    });

    runs('the page is cross-origin isolated and on another origin than Azurite', async () => {
      const { isolated, origin } = await call(page, 'environment');
      expect(isolated).toBe(true);
      expect(origin).not.toBe(new URL(azurite.endpoint).origin);
    });

    runs(
      'reads ranges through a SAS token; getFileInfo and listDir see what is there',
      async () => {
        expect(await call(page, 'azureRead', azurite.endpoint, sas, 'web/dir/pattern.bin', 'web/dir')).toEqual({
          size: PATTERN_SIZE,
          readAtOk: true,
          rangesOk: true,
          info: { type: 'file', size: PATTERN_SIZE, hasMtime: true },
          listing: ['web/dir/pattern.bin:file', 'web/dir/sub:directory'],
          missing: 'not-found',
          directory: 'directory',
        });
      },
      60_000,
    );

    runs(
      'uploads staged blocks through a SAS token, visible only after close',
      async () => {
        const path = `web/up/${engine}.bin`;
        expect(await call(page, 'azureWrite', azurite.endpoint, sas, path, 3)).toEqual({
          beforeClose: 'not-found',
          afterClose: 'file',
          size: 3 * MiB + 5,
          tailOk: true,
        });
        const bytes = await sdkClient(azurite.endpoint)
          .getContainerClient('web')
          .getBlobClient(`up/${engine}.bin`)
          .downloadToBuffer();
        expect(Buffer.compare(bytes, pattern(0, 3 * MiB + 5))).toBe(0);
      },
      120_000,
    );

    runs(
      'uploads, moves and lists through a signer: the key stays on the signing server',
      async () => {
        signer.signed.length = 0;
        const result = await call(
          page,
          'azureSigned',
          azurite.endpoint,
          signer.url,
          `web/signed-${engine}/a.bin`,
          `web/signed-${engine}/b.bin`,
          2,
        );
        expect(result).toEqual({
          written: { beforeClose: 'not-found', afterClose: 'file', size: 2 * MiB + 5, tailOk: true },
          listing: [`web/signed-${engine}/b.bin`],
        });
        expect(signer.signed.some((r) => new URL(r.url).searchParams.get('comp') === 'blocklist')).toBe(true);
      },
      120_000,
    );

    runs(
      'abort after blocks were staged leaves neither a blob nor uncommitted blocks',
      async () => {
        expect(await call(page, 'azureAbort', azurite.endpoint, sas, `web/aborted/${engine}.bin`)).toEqual({
          after: 'not-found',
          closed: true,
        });
        expect(await names(`aborted/${engine}`)).toEqual([]);
      },
      120_000,
    );

    runs(
      'resumableUpload of a File stopped by its signal resumes from the token in OPFS where its durable blocks end, byte-exact',
      async () => {
        const size = 6 * MiB + 11;
        const path = `resumable/${engine}.bin`;
        const result = await call(page, 'azureResumable', azurite.endpoint, sas, `web/${path}`, size);
        expect(result).toMatchObject({ stopped: 'stop here', size, firstProgress: result.resumedFrom, lastProgress: size });
        expect(result.monotonic).toBe(true);
        expect(result.resumedFrom).toBeGreaterThanOrEqual(2 * MiB);
        expect(result.resumedFrom).toBeLessThan(size);
        const blob = sdkClient(azurite.endpoint).getContainerClient('web').getBlockBlobClient(path);
        expect(Buffer.compare(await blob.downloadToBuffer(), pattern(0, size))).toBe(0);
        expect((await blob.getBlockList('uncommitted')).uncommittedBlocks).toEqual([]);
      },
      120_000,
    );

    runs(
      'resumableUpload: two calls for one File run one after the other on a Web Lock, a waiting one stops with its signal',
      async () => {
        const size = 8 * MiB + 3;
        const result = await call(page, 'azureLockedCalls', azurite.endpoint, sas, `web/locked/${engine}.bin`, size);
        expect(result).toMatchObject({ outcomes: ['ok', 'ok', 'gave up waiting'], held: 1, pending: 2, records: [] });
        const blob = sdkClient(azurite.endpoint).getContainerClient('web').getBlockBlobClient(`locked/${engine}.bin`);
        expect(Buffer.compare(await blob.downloadToBuffer(), pattern(0, size))).toBe(0);
      },
      120_000,
    );

    runs(
      'resumableUpload of a File changed under the same name, size and time keeps only the blocks still its own',
      async () => {
        const result = await call(page, 'azureChangedFile', azurite.endpoint, sas, `web/changed/${engine}.bin`, 5 * MiB + 3);
        expect(result).toEqual({ resumedFrom: MiB, same: true });
      },
      120_000,
    );

    runs(
      'a blob replaced between two reads fails the second with ESTALE',
      async () => {
        const blob = sdkClient(azurite.endpoint).getContainerClient('web').getBlockBlobClient(`stale-${engine}.bin`);
        await blob.uploadData(pattern(0, 2 * MiB));
        expect(await call(page, 'azureOpenHeld', azurite.endpoint, sas, `web/stale-${engine}.bin`)).toEqual({ size: 2 * MiB });
        await blob.uploadData(pattern(1, 2 * MiB));
        expect(await call(page, 'azureReadHeld', MiB, 1000)).toMatchObject({ error: { name: 'IOError', code: 'ESTALE' } });
      },
      60_000,
    );

    runs(
      'reads, uploads and aborts the same from a dedicated module worker',
      async () => {
        const result = await call(
          page,
          'workerAzure',
          azurite.endpoint,
          sas,
          'web/dir/pattern.bin',
          'web/dir',
          `web/worker-${engine}/up.bin`,
          `web/worker-${engine}/aborted.bin`,
        );
        expect(result.where).toEqual({ worker: true, isolated: true });
        expect(result.read).toMatchObject({ size: PATTERN_SIZE, readAtOk: true, rangesOk: true });
        expect(result.written).toEqual({ beforeClose: 'not-found', afterClose: 'file', size: 2 * MiB + 5, tailOk: true });
        expect(result.aborted).toEqual({ after: 'not-found', closed: true });
        expect(await names(`worker-${engine}/`)).toEqual([`worker-${engine}/up.bin`]);
      },
      120_000,
    );

    runs(
      'a refused SAS is EACCES, and the message does not show its signature',
      async () => {
        const secret = 'PageSecretSignature0123456789';
        const refused = sas.replace(/sig=[^&]*/, `sig=${secret}`);
        expect(await call(page, 'azureRefused', azurite.endpoint, refused, 'web/dir/pattern.bin', secret)).toMatchObject({
          name: 'IOError',
          code: 'EACCES',
          showsSecret: false,
        });
      },
      60_000,
    );
  });
});
