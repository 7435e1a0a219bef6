/**
 * Uploads from pages that hold no secrets, in Chromium and Firefox, against Ceph's S3 gateway
 * on another origin: a 64 MiB File uploaded with resumableUpload survives its page being
 * closed mid-way (a new page given the same file resumes from the token kept in OPFS and
 * completes, byte-exact, leaving no upload behind); requests are signed by a signing server
 * that holds the keys; presigned GET URLs (which refuse HEAD) are read with HttpFile.
 */
import { AwsClient } from 'aws4fetch';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from '../browser/driver.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { startSigningServer, type SigningServer } from '../servers/signing-server.js';
import type { Harness } from './harness.js';
import { isPattern, MiB, pattern } from './pattern.js';
import { COPY_TREE } from './upload-checks.js';
import { isolation, startPageServer, urlOf } from './servers.js';

const SIZE = 64 * MiB;
const PART = 5 * MiB;
const call = harnessCaller<Harness>();
const engines: Engine[] = ['chromium', 'firefox'];

let s3: S3Server;
let signing: SigningServer;
let pages: ViteDevServer;

describe('uploads from pages without secrets', () => {
  beforeAll(async () => {
    [s3, pages] = await Promise.all([startS3(['media'], { cors: true }), startPageServer(isolation)]);
    signing = await startSigningServer(s3.endpoint, s3.credentials);
    await s3.put('media/fixed/pattern.bin', pattern(0, 3 * MiB));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([signing?.stop(), s3?.stop(), pages?.close()]);
  });

  describe.each(engines)('in %s', (engine) => {
    const runs = available(engine) ? test : test.skip;
    let driver: BrowserDriver;
    const open = async (): Promise<PageDriver> => {
      const page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
      await page.goto(urlOf(pages, '/test/remote-browser/index.html'));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
      return page;
    };
    beforeAll(async () => {
      if (available(engine)) driver = await launch(engine);
    }, 120_000);
    afterAll(async () => driver?.close());

    runs(
      'a 64 MiB File survives its page closed mid-way: the next page resumes from the token in OPFS',
      async () => {
        const path = `media/resume-${engine}.bin`;
        const first = await open();
        await call(first, 'startResumableUpload', s3.endpoint, signing.url, path, SIZE);
        await first.waitFor(() => {
          const upload = (globalThis as unknown as { upload?: { durable: number[]; error?: unknown } }).upload;
          return upload?.error !== undefined || (upload?.durable.at(-1) ?? 0) >= 3 * 5 * 1024 * 1024;
        }, 120_000);
        const before = await call(first, 'uploadState');
        expect(before?.error).toBeUndefined();
        await first.close(); // the tab is closed mid-upload

        const second = await open();
        expect(await call(second, 'storedUploads')).toHaveLength(1);
        await call(second, 'startResumableUpload', s3.endpoint, signing.url, path, SIZE);
        await second.waitFor(() => {
          const upload = (globalThis as unknown as { upload?: { result?: unknown; error?: unknown } }).upload;
          return upload?.result !== undefined || upload?.error !== undefined;
        }, 180_000);
        const after = (await call(second, 'uploadState'))!;
        expect(after.error).toBeUndefined();
        expect(after.result).toMatchObject({ path, size: SIZE });
        const resumedFrom = after.result!.resumedFrom;
        expect(resumedFrom).toBeGreaterThanOrEqual(3 * PART);
        expect(after.durable[0]).toBe(resumedFrom);
        expect(after.durable).toEqual([...after.durable].sort((a, b) => a - b));
        expect(after.durable.at(-1)).toBe(SIZE);
        expect(await call(second, 'storedUploads')).toEqual([]);
        await second.close();

        const object = new Uint8Array(await (await s3.request(path)).arrayBuffer());
        expect(object.byteLength).toBe(SIZE);
        expect(isPattern(object, 0)).toBe(true);
        expect(await s3.pendingUploads('media', `resume-${engine}`)).toEqual([]);
      },
      300_000,
    );

    runs(
      'a signer function signs for the page: it uploads, lists and reads with no key',
      async () => {
        const page = await open();
        try {
          const result = await call(page, 'signerRoundTrip', s3.endpoint, signing.url, `media/signed-${engine}`);
          expect(result).toEqual({ listing: [`media/signed-${engine}/signed.bin:${11 * MiB}`], middleOk: true });
        } finally {
          await page.close();
        }
      },
      120_000,
    );

    runs(
      'copyFiles moves a tree from OPFS to S3 (upload later) and from S3 into OPFS (offline), byte-exact',
      async () => {
        const page = await open();
        try {
          const prefix = `media/copied-${engine}`;
          const result = await call(page, 'copyTreeThroughS3', s3.endpoint, signing.url, prefix);
          const total = COPY_TREE.reduce((sum, [, size]) => sum + size, 0);
          expect(result).toEqual({
            up: { files: COPY_TREE.length, bytes: total },
            down: { files: COPY_TREE.length, bytes: total },
            back: Object.fromEntries(COPY_TREE.map(([path]) => [path, true])),
            emptyDir: 'directory',
            lastProgress: total,
          });
          const six = new Uint8Array(await (await s3.request(`${prefix}/sub/deeper/six.bin`)).arrayBuffer());
          expect(six.byteLength).toBe(6 * MiB + 1);
          expect(isPattern(six, 0)).toBe(true);
        } finally {
          await page.close();
        }
      },
      120_000,
    );

    runs(
      'HttpFile reads a presigned GET URL, which refuses HEAD, and names it without the signature',
      async () => {
        const client = new AwsClient({ ...s3.credentials, service: 's3', region: 'us-east-1' });
        const signed = await client.sign(`${s3.endpoint}/media/fixed/pattern.bin?X-Amz-Expires=600`, {
          aws: { signQuery: true },
        });
        const page = await open();
        try {
          const result = await call(page, 'readPresigned', signed.url, 2 * MiB + 5);
          expect(result).toMatchObject({ size: 3 * MiB, ok: true });
          expect(JSON.stringify(result)).not.toContain(new URL(signed.url).searchParams.get('X-Amz-Signature'));
        } finally {
          await page.close();
        }
      },
      120_000,
    );
  });
});
