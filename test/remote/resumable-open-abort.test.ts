// resumableUpload aborted while it opens its upload (ListParts, the upload's creation): it
// rejects with the abort's reason at once, not once the store answers or its answer timeout ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { resumableUpload } from '../../src/node.js';
import type { FetchLike } from '../../src/remote/transport.js';

describe('resumableUpload aborted while it opens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nativefile-open-abort-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("rejects with the abort's reason before the store answers", async () => {
    let requestEnded = false;
    // A store that never answers: each request ends only when its own signal (the answer timeout) aborts.
    const silent: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => {
          requestEnded = true;
          reject(init.signal!.reason);
        }),
      );
    const s3 = new S3FileSystem({
      endpoint: 'http://s3.test',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      fetch: silent,
      retry: { retries: 0, answerTimeout: 2000 },
    });
    const controller = new AbortController();
    const reason = new Error('the user left');
    setTimeout(() => controller.abort(reason), 50);
    const uploading = resumableUpload(s3, 'bucket/key.bin', new Blob([new Uint8Array(100)]), {
      store: dir,
      signal: controller.signal,
    });
    await expect(uploading).rejects.toBe(reason);
    expect(requestEnded).toBe(false);
  });
});
