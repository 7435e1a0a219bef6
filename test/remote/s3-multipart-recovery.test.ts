// Multipart uploads against Ceph when an answer is lost on the way back: the request reached
// the store and did its work, the client saw a cut connection and tried again.
//
// CompleteMultipartUpload: AWS answers the retry of a Complete it carried out with 404
// NoSuchUpload; Ceph (measured) answers 200 when the object there has the ETag the listed parts
// make, and 500 InternalError otherwise. The network below answers the retry as AWS does, and
// everything else (the parts, the object's ETag the client checks) is Ceph's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError } from '../../src/errors.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;
const NO_SUCH_UPLOAD =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';

/** What a request is: its method and query, from fetch's arguments. */
const requestOf = (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  return { url, method: init?.method ?? 'GET' };
};

/** The network's failure after the request went through: the answer never arrives. */
const lostAnswer = (): TypeError => new TypeError('fetch failed', { cause: new Error('other side closed') });

describe('S3 multipart uploads whose answers are lost, against Ceph', () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await startS3(['recovery']);
  });
  afterAll(async () => server?.stop());

  const fsWith = (fetch: FetchLike) =>
    new S3FileSystem({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: server.credentials,
      partSize: 5 * MiB,
      retry: { retries: 2, baseDelay: 1 },
      fetch,
    });

  /**
   * A network on which the first CompleteMultipartUpload does `first` (reach Ceph, or not),
   * then loses its answer; later ones are answered as AWS answers an upload no longer there.
   */
  const losingComplete =
    (first: (input: string | URL | Request, init: RequestInit | undefined, uploadId: string) => Promise<void>): FetchLike =>
    async (input, init) => {
      const { url, method } = requestOf(input, init);
      const uploadId = url.searchParams.get('uploadId');
      if (method !== 'POST' || uploadId === null) return fetch(input, init);
      if (!completes.has(uploadId)) {
        completes.add(uploadId);
        await first(input, init, uploadId);
        throw lostAnswer();
      }
      return new Response(NO_SUCH_UPLOAD, { status: 404, headers: { 'content-type': 'application/xml' } });
    };
  const completes = new Set<string>();

  const upload = async (s3: S3FileSystem, path: string, data: Uint8Array): Promise<void> => {
    const out = await s3.openOutputStream(path);
    await out.write(data);
    await out.close();
  };

  it('close() succeeds when Complete committed the object but its answer was lost', async () => {
    const s3 = fsWith(
      losingComplete(async (input, init) => {
        await (await fetch(input, init)).text(); // Ceph completes the upload
      }),
    );
    const data = randomBytes(11 * MiB + 5, 7); // three parts
    await upload(s3, 'recovery/committed.bin', data);
    await using file = await s3.openInputFile('recovery/committed.bin');
    expectBytes(await file.read(), data);
    expect(await server.pendingUploads('recovery', 'committed.bin')).toEqual([]);
  });

  it('close() fails ENOENT saying the upload is gone and no object is there when it was aborted', async () => {
    const s3 = fsWith(
      losingComplete(async (_input, _init, uploadId) => {
        await server.request(`recovery/aborted.bin?uploadId=${encodeURIComponent(uploadId)}`, { method: 'DELETE' });
      }),
    );
    const failure = upload(s3, 'recovery/aborted.bin', randomBytes(6 * MiB, 8));
    await expect(failure).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(failure).rejects.toThrow(/upload .* is gone .*no object is there/);
    expect((await s3.getFileInfo('recovery/aborted.bin')).type).toBe('not-found');
  });

  it('close() fails ENOENT naming both ETags when the object there is another write', async () => {
    const s3 = fsWith(
      losingComplete(async (_input, _init, uploadId) => {
        await server.request(`recovery/other.bin?uploadId=${encodeURIComponent(uploadId)}`, { method: 'DELETE' });
        await server.put('recovery/other.bin', 'another writer');
      }),
    );
    const failure = upload(s3, 'recovery/other.bin', randomBytes(6 * MiB, 9));
    await expect(failure).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(failure).rejects.toThrow(/upload .* is gone .*ETag "[0-9a-f]{32}", not "[0-9a-f]{32}-2"/);
    await using file = await s3.openInputFile('recovery/other.bin');
    expect(new TextDecoder().decode(await file.read())).toBe('another writer');
  });

  it('a Create whose answer was lost is retried and aborts no other upload of the key', async () => {
    // Another writer's upload of the same key, pending while ours runs: it must survive.
    const started = await (await server.request('recovery/shared.bin?uploads', { method: 'POST' })).text();
    const theirs = /<UploadId>([^<]+)<\/UploadId>/.exec(started)![1]!;
    let creates = 0;
    const s3 = fsWith(async (input, init) => {
      const { url, method } = requestOf(input, init);
      if (method !== 'POST' || !url.searchParams.has('uploads') || ++creates > 1) return fetch(input, init);
      await (await fetch(input, init)).text(); // Ceph starts an upload nobody will hear of
      throw lostAnswer();
    });
    const data = randomBytes(6 * MiB, 10);
    await upload(s3, 'recovery/shared.bin', data);
    expect(creates).toBe(2);
    await using file = await s3.openInputFile('recovery/shared.bin');
    expectBytes(await file.read(), data);
    const pending = await server.pendingUploads('recovery', 'shared.bin');
    expect(pending).toContain(theirs);
    // The orphan the lost answer left (README: a lifecycle rule ends it) holds no part.
    for (const id of pending) {
      const parts = await (await server.request(`recovery/shared.bin?uploadId=${encodeURIComponent(id)}`)).text();
      expect(parts).not.toContain('<Part>');
    }
  });
});
