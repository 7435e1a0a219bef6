// resumableUpload aborted while it opens its upload, against Ceph's S3 gateway: the call
// rejects at once (resumable-open-abort.test.ts); what becomes of the upload the store opens
// after that is decided here. A new upload, created late, is released (AbortMultipartUpload)
// and nothing is saved for it: the caller was told it failed, and no later call has a token
// to resume it from. A resumed upload opened late is kept, with the record it was resumed
// from, so an abort during its open does not throw away the parts it holds. The test's fetch
// holds the opening request until the call has rejected, then lets the store answer it.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { resumableUpload } from '../../src/node.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;

/** The requests answered, as `METHOD /path?query STATUS`. */
type Answered = string[];

/**
 * A fetch that holds the first request `held` matches until `release()`, calling `onHeld`
 * when it arrives, and lists every answer.
 */
function holdingFetch(held: (method: string, url: URL) => boolean, onHeld: () => void) {
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let holding = true;
  const answered: Answered = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (holding && held(method, url)) {
      holding = false;
      onHeld();
      await gate;
    }
    const response = await globalThis.fetch(input, init);
    answered.push(`${method} ${url.pathname}${url.search} ${response.status}`);
    return response;
  };
  return { fetch, release: () => release(), answered };
}

/** Waits until `done()` holds; a generous bound only against a hang. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !done(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() - started > 30_000) throw new Error(`gave up waiting for ${what}`);
  }
}

describe('resumableUpload aborted while it opens, when the store opens the upload after all (Ceph)', () => {
  let server: S3Server;
  const dir = mkdtempSync(join(tmpdir(), 'nativefile-late-open-'));
  const fsFor = (fetch?: FetchLike) =>
    new S3FileSystem({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: server.credentials,
      partSize: 5 * MiB,
      ...(fetch ? { fetch } : {}),
    });
  const records = (store: string): string[] => {
    try {
      return readdirSync(store).filter((name) => name.endsWith('.json'));
    } catch {
      return []; // never created: nothing was saved
    }
  };

  beforeAll(async () => {
    server = await startS3(['uploads']);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('releases a new upload created after the call rejected, and saves no token for it', async () => {
    const store = join(dir, 'new');
    const controller = new AbortController();
    const reason = new Error('the user left');
    // CreateMultipartUpload: POST ?uploads.
    const s3 = holdingFetch(
      (method, url) => method === 'POST' && url.searchParams.has('uploads'),
      () => controller.abort(reason),
    );
    const uploading = resumableUpload(fsFor(s3.fetch), 'uploads/new.bin', new Blob([new Uint8Array(100)]), {
      store,
      signal: controller.signal,
    });
    await expect(uploading).rejects.toBe(reason);
    s3.release();
    // Settled either way: the late upload is released (DELETE ?uploadId=), or its token saved.
    await until(
      () => s3.answered.some((line) => line.startsWith('DELETE ')) || records(store).length > 0,
      'the late upload to be released or saved',
    );
    expect(s3.answered.filter((line) => line.startsWith('POST '))).toEqual([expect.stringMatching(/\?uploads(=|&|\s)/)]);
    expect.soft(records(store)).toEqual([]);
    expect.soft(s3.answered).toContainEqual(expect.stringMatching(/^DELETE \/uploads\/new\.bin\?uploadId=\S+ 204$/));
    expect.soft(await server.pendingUploads('uploads', 'new.bin')).toEqual([]);
  });

  it('keeps a resumed upload opened after the call rejected, and its record, for the next call to resume', async () => {
    const store = join(dir, 'resumed');
    const data = randomBytes(11 * MiB + 7, 3);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const first = new AbortController();
    const stopped = resumableUpload(fsFor(), 'uploads/resumed.bin', source, {
      store,
      signal: first.signal,
      onProgress: (bytes) => {
        if (bytes >= 5 * MiB) first.abort(new Error('stop after a part'));
      },
    });
    await expect(stopped).rejects.toThrow('stop after a part');
    expect(records(store)).toHaveLength(1);
    expect(await server.pendingUploads('uploads', 'resumed.bin')).toHaveLength(1);

    const second = new AbortController();
    const reason = new Error('the user left again');
    // ListParts of the upload the record names: GET ?uploadId=.
    const s3 = holdingFetch(
      (method, url) => method === 'GET' && url.searchParams.has('uploadId'),
      () => second.abort(reason),
    );
    const resuming = resumableUpload(fsFor(s3.fetch), 'uploads/resumed.bin', source, { store, signal: second.signal });
    await expect(resuming).rejects.toBe(reason);
    s3.release();
    await until(() => s3.answered.some((line) => line.startsWith('GET ')), 'the late ListParts');

    const result = await resumableUpload(fsFor(), 'uploads/resumed.bin', source, { store });
    expect(result.resumedFrom).toBeGreaterThanOrEqual(5 * MiB);
    expect(s3.answered.filter((line) => line.startsWith('DELETE '))).toEqual([]);
    await using file = await fsFor().openInputFile('uploads/resumed.bin');
    expectBytes(await file.read(), data);
    expect(records(store)).toEqual([]);
  });
});
