// What S3FileSystem does when a response header it needs is not visible: in a browser that
// is what a bucket whose CORS configuration does not expose the header looks like. A fetch
// that drops the header from the gateway's answers stands in for the browser here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { S3_TEST_CREDENTIALS } from '../servers/s3-credentials.js';

const MiB = 1024 * 1024;
const credentials = S3_TEST_CREDENTIALS;

/** A fetch whose responses lack `header`, as a page sees a header the server does not expose. */
function hiding(header: string): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    const headers = new Headers(response.headers);
    headers.delete(header);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

describe('S3FileSystem when a header is hidden (not exposed through CORS)', () => {
  let server: S3Server;
  const fsFor = (fetch?: FetchLike) =>
    new S3FileSystem({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      partSize: 5 * MiB,
      ...(fetch ? { fetch } : {}),
    });

  beforeAll(async () => {
    server = await startS3(['data']);
    const out = await fsFor().openOutputStream('data/object.bin');
    await out.write(randomBytes(1000, 1));
    await out.close();
  });
  afterAll(async () => server?.stop());

  it('opening an object whose Content-Length is hidden fails with EPROTO naming CORS, not an empty file', async () => {
    const error = await fsFor(hiding('content-length'))
      .openInputFile('data/object.bin')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect(error).toMatchObject({ code: 'EPROTO', message: expect.stringMatching(/Content-Length.*CORS/) });
  });

  it('getFileInfo leaves the size out when Content-Length is hidden rather than saying 0', async () => {
    const info = await fsFor(hiding('content-length')).getFileInfo('data/object.bin');
    expect(info.type).toBe('file');
    expect(info.size).toBeUndefined();
  });

  it('a multipart upload whose part ETags are hidden fails naming CORS and leaves nothing', async () => {
    const out = await fsFor(hiding('etag')).openOutputStream('data/multi.bin');
    const error = await (async () => {
      for (let i = 0; i < 6; i++) await out.write(randomBytes(MiB, i));
      await out.close();
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EPROTO', message: expect.stringMatching(/ETag.*CORS/) });
    expect(await server.pendingUploads('data')).toEqual([]);
    expect((await fsFor().getFileInfo('data/multi.bin')).type).toBe('not-found');
  });
});
