// Requests that send a body (an upload's parts, a small object's PutObject) to a server that
// takes the whole body and never answers: each attempt fails ETIMEDOUT and is retried like any
// transient failure, so an upload either ends on an answered retry or fails; it never hangs.
import { afterEach, describe, expect, it } from 'vitest';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { queryOf, startHostileServer, type HostileServer } from '../servers/hostile.js';

const MiB = 1024 * 1024;
/** Small timeouts: a 5 MiB part gets its answer timeout scaled by its size, a few seconds here. */
const quick = { retries: 1, baseDelay: 1, answerTimeout: 100 };
/** Only there to end a test that hangs; no assertion depends on time. */
const HANG = 30_000;

describe('S3 requests that send a body to a server that never answers', () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  /** A store that starts uploads and aborts them, and answers parts as `part` says (or never). */
  const store = (part: (attempt: number) => boolean) => {
    let attempts = 0;
    return startHostileServer((request, response) => {
      const query = queryOf(request);
      if (request.method === 'POST' && query.has('uploads')) {
        response.writeHead(200).end('<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>');
      } else if (request.method === 'PUT' && query.has('partNumber')) {
        // The whole body has arrived (the server reads it before this runs).
        if (part(++attempts)) response.writeHead(200, { etag: '"0123456789abcdef0123456789abcdef"' }).end();
      } else if (request.method === 'POST' && query.has('uploadId')) {
        response.writeHead(200).end('<CompleteMultipartUploadResult><ETag></ETag></CompleteMultipartUploadResult>');
      } else if (request.method === 'GET' && query.has('list-type')) {
        response.writeHead(200).end('<ListBucketResult/>'); // the open's look for a directory
      } else if (request.method === 'HEAD') {
        response.writeHead(404).end();
      } else if (request.method === 'DELETE') {
        response.writeHead(204).end();
      } else if (request.method === 'PUT') {
        return; // PutObject: taken, never answered
      } else {
        response.writeHead(500).end();
      }
    });
  };
  const fsOn = (url: string) =>
    new S3FileSystem({ endpoint: url, region: 'us-east-1', forcePathStyle: true, partSize: 5 * MiB, retry: quick });

  it(
    'an upload whose part is never answered fails ETIMEDOUT after its retry and is aborted',
    async () => {
      server = await store(() => false);
      const out = await fsOn(server.url).openOutputStream('bucket/silent.bin');
      await out.write(new Uint8Array(5 * MiB)); // a whole part: sent now
      await expect(out.close()).rejects.toMatchObject({ name: 'IOError', code: 'ETIMEDOUT' });
      expect(server.log.filter((line) => line.startsWith('PUT /bucket/silent.bin?partNumber=1'))).toHaveLength(2);
      expect(server.log).toContain('DELETE /bucket/silent.bin?uploadId=up-1');
    },
    HANG,
  );

  it(
    'an upload whose part times out once and is answered on the retry closes',
    async () => {
      server = await store((attempt) => attempt > 1);
      const out = await fsOn(server.url).openOutputStream('bucket/second.bin');
      await out.write(new Uint8Array(5 * MiB));
      await out.close();
      expect(server.log.filter((line) => line.startsWith('PUT /bucket/second.bin?partNumber=1'))).toHaveLength(2);
      expect(server.log.at(-1)).toBe('POST /bucket/second.bin?uploadId=up-1');
    },
    HANG,
  );

  it(
    'a small object whose PutObject is never answered fails ETIMEDOUT',
    async () => {
      server = await store(() => false);
      const out = await fsOn(server.url).openOutputStream('bucket/small.bin');
      await out.write(new Uint8Array(1000));
      await expect(out.close()).rejects.toMatchObject({ name: 'IOError', code: 'ETIMEDOUT' });
      expect(server.log.filter((line) => line.startsWith('PUT'))).toEqual(['PUT /bucket/small.bin', 'PUT /bucket/small.bin']);
    },
    HANG,
  );
});
