// Requests that send a body, on Azure (Put Block, Put Blob) and HDFS (a DataNode's CREATE),
// whose answer never comes: the store takes the body and the answer is held back, as a stalled
// connection would. Each attempt fails ETIMEDOUT within a timeout that grows with the body
// (src/remote/request.ts, attemptTimeout) and is retried; the upload fails, it never hangs.
// test/remote/s3-part-timeout.test.ts does the same for S3 against a scripted server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HadoopFileSystem } from '../../src/fs/hadoop/hadoop-file-system.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { startWebHdfs, type WebHdfsServer } from '../servers/webhdfs.js';
import { azuriteFileSystem, sdkClient } from './azure-helpers.js';

const MiB = 1024 * 1024;
/** Small timeouts: a 1 MiB body is given 100 ms and 4 more, half a second. */
const quick = { retries: 1, baseDelay: 1, answerTimeout: 100 };
/** Only there to end a test that hangs; no assertion depends on time. */
const HANG = 30_000;

/**
 * A fetch that sends every request, but holds back the answers of those `silent` matches
 * until the request's signal aborts, as a server that took the body and went quiet.
 */
function withholding(silent: (method: string, url: URL) => boolean): { fetch: FetchLike; held: string[] } {
  const held: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const response = await globalThis.fetch(input, init);
    if (!silent(request.method, url)) return response;
    held.push(`${request.method} ${url.pathname}?${url.searchParams.get('comp') ?? url.searchParams.get('op') ?? ''}`);
    await response.body?.cancel();
    const signal = request.signal;
    return new Promise<Response>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  return { fetch, held };
}

describe('uploads whose answers never come', () => {
  let azurite: AzuriteServer;
  let hdfs: WebHdfsServer;
  beforeAll(async () => {
    [azurite, hdfs] = await Promise.all([startAzurite(), startWebHdfs()]);
    await sdkClient(azurite.endpoint).getContainerClient('silent').create();
  }, 60_000);
  afterAll(async () => {
    await azurite?.stop();
    await hdfs?.stop();
  });

  const azure = (fetch: FetchLike) => azuriteFileSystem(azurite.endpoint, { retry: quick, uploadConcurrency: 4, fetch });

  it(
    'an Azure upload whose Put Block is never answered fails ETIMEDOUT after its retry',
    async () => {
      const { fetch, held } = withholding((method, url) => method === 'PUT' && url.searchParams.get('comp') === 'block');
      const out = await azure(fetch).openOutputStream('silent/blocks.bin');
      await out.write(new Uint8Array(MiB)); // a whole block: staged now
      await expect(out.close()).rejects.toMatchObject({ name: 'IOError', code: 'ETIMEDOUT' });
      expect(held).toEqual(['PUT /devstoreaccount1/silent/blocks.bin?block', 'PUT /devstoreaccount1/silent/blocks.bin?block']);
    },
    HANG,
  );

  it(
    'an Azure blob written in one Put Blob that is never answered fails ETIMEDOUT',
    async () => {
      const { fetch, held } = withholding((method, url) => method === 'PUT' && url.pathname.endsWith('/small.bin'));
      const out = await azure(fetch).openOutputStream('silent/small.bin');
      await out.write(new Uint8Array(1000));
      await expect(out.close()).rejects.toMatchObject({ name: 'IOError', code: 'ETIMEDOUT' });
      expect(held.length).toBeGreaterThanOrEqual(2); // the attempt and its retry
    },
    HANG,
  );

  it(
    'an HDFS file whose DataNode never answers the CREATE fails ETIMEDOUT',
    async () => {
      const dataNode = (url: URL) => !url.href.startsWith(hdfs.url);
      const { fetch, held } = withholding((method, url) => method === 'PUT' && dataNode(url));
      const fs = new HadoopFileSystem({ url: hdfs.url, user: 'alice', bufferSize: MiB, retry: quick, fetch });
      const out = await fs.openOutputStream('/silent.bin');
      await out.write(new Uint8Array(1000));
      await expect(out.close()).rejects.toMatchObject({ name: 'IOError', code: 'ETIMEDOUT' });
      expect(held).toContain('PUT /webhdfs/v1/silent.bin?CREATE');
    },
    HANG,
  );
});
