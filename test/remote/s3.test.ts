import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError, IOError, UnsupportedOperationError } from '../../src/errors.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { S3_TEST_CREDENTIALS } from '../servers/s3-credentials.js';
import { startSigningServer } from '../servers/signing-server.js';
import { HttpFile } from '../../src/remote/http-file.js';
import { AwsClient } from 'aws4fetch';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;
const credentials = S3_TEST_CREDENTIALS;

interface Recorded {
  method: string;
  url: URL;
  authorization: string | null;
}

function recordingFetch(fail?: (request: Recorded) => Response | undefined): { fetch: FetchLike; requests: Recorded[] } {
  const requests: Recorded[] = [];
  return {
    requests,
    fetch: async (input, init) => {
      const req = input instanceof Request ? input : new Request(input, init);
      const recorded = { method: req.method, url: new URL(req.url), authorization: req.headers.get('authorization') };
      requests.push(recorded);
      const failure = fail?.(recorded);
      if (failure !== undefined) return failure;
      return fetch(input, init);
    },
  };
}

describe('S3FileSystem against Ceph', () => {
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
  });
  afterAll(async () => server?.stop());

  it('writes a small object in one PUT and reads ranges of it back, signed', async () => {
    const recorder = recordingFetch();
    const s3 = fsFor(recorder.fetch);
    const data = randomBytes(300_000, 3);
    const out = await s3.openOutputStream('data/small/one.bin');
    await out.write(data);
    await out.close();
    await using file = await s3.openInputFile('data/small/one.bin');
    expect(await file.size()).toBe(data.byteLength);
    expectBytes(await file.readAt(1000, 5000), data.subarray(1000, 6000));
    const parts = await file.readRanges([
      { offset: 10, length: 100 },
      { offset: 200, length: 50 },
      { offset: 250_000, length: 10 },
    ]);
    expectBytes(parts[0]!, data.subarray(10, 110));
    expectBytes(parts[1]!, data.subarray(200, 250));
    expectBytes(parts[2]!, data.subarray(250_000, 250_010));
    expect(
      recorder.requests.every((r) => r.authorization?.startsWith(`AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/`)),
    ).toBe(true);
    expect(recorder.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('looks at a path in one listing: a write checks for a directory, a missing path is stat-ed, in one request each', async () => {
    const recorder = recordingFetch();
    const s3 = fsFor(recorder.fetch);
    const out = await s3.openOutputStream('data/looks/one.bin');
    await out.write(randomBytes(10, 4));
    await out.close();
    const describe = (r: Recorded) => `${r.method} ${r.url.searchParams.has('list-type') ? 'listing' : r.url.pathname}`;
    expect(recorder.requests.map(describe)).toEqual(['GET listing', 'PUT /data/looks/one.bin']);
    recorder.requests.length = 0;
    expect((await s3.getFileInfo('data/looks/none')).type).toBe('not-found');
    expect(recorder.requests.map(describe)).toEqual(['HEAD /data/looks/none', 'GET listing']);
    // A directory only its marker makes is one still.
    await s3.createDir('data/looks/empty');
    await expect(s3.openOutputStream('data/looks/empty')).rejects.toMatchObject({ code: 'EISDIR' });
    expect((await s3.getFileInfo('data/looks/empty')).type).toBe('directory');
  });

  it('uploads 16 MiB in 5 MiB parts, visible only once closed', async () => {
    const recorder = recordingFetch();
    const s3 = fsFor(recorder.fetch);
    const data = randomBytes(16 * MiB + 123, 5);
    const out = await s3.openOutputStream('data/big/object.bin');
    for (let i = 0; i < data.byteLength; i += MiB) await out.write(data.subarray(i, i + MiB));
    await out.flush();
    expect((await s3.getFileInfo('data/big/object.bin')).type).toBe('not-found');
    expect(await out.size()).toBe(data.byteLength);
    await out.close();
    const parts = recorder.requests.filter((r) => r.method === 'PUT' && r.url.searchParams.has('partNumber'));
    // Parts go up several at once: they may arrive in any order.
    expect(parts.map((r) => r.url.searchParams.get('partNumber')).sort()).toEqual(['1', '2', '3', '4']);
    const info = await s3.getFileInfo('data/big/object.bin');
    expect(info).toMatchObject({ type: 'file', size: data.byteLength });
    await using file = await s3.openInputFile('data/big/object.bin');
    expectBytes(await file.read(), data);
    expect(await server.pendingUploads('data')).toEqual([]);
  });

  it('uploads a Blob part by part after bytes already written, byte-exact, with progress', async () => {
    const recorder = recordingFetch();
    const s3 = fsFor(recorder.fetch);
    const head = randomBytes(1234, 30);
    const data = randomBytes(12 * MiB + 99, 31);
    const out = await s3.openOutputStream('data/blob-upload.bin');
    await out.write(head);
    const progress: number[] = [];
    expect(await out.upload(new Blob([data.slice()]), { onProgress: (n) => progress.push(n) })).toBe(data.byteLength);
    expect(progress.at(-1)).toBe(data.byteLength);
    expect(out.tell()).toBe(head.byteLength + data.byteLength);
    await out.close();
    const parts = recorder.requests.filter((r) => r.method === 'PUT' && r.url.searchParams.has('partNumber'));
    expect(parts).toHaveLength(3);
    await using file = await s3.openInputFile('data/blob-upload.bin');
    const all = await file.read();
    expectBytes(all.subarray(0, head.byteLength), head);
    expectBytes(all.subarray(head.byteLength), data);
  });

  it('abort() discards a multipart upload: no object, no parts left', async () => {
    const recorder = recordingFetch();
    const s3 = fsFor(recorder.fetch);
    const out = await s3.openOutputStream('data/aborted.bin');
    await out.write(randomBytes(11 * MiB, 6));
    await out.flush();
    expect(await server.pendingUploads('data')).toHaveLength(1);
    await out.abort();
    expect(out.closed).toBe(true);
    expect((await s3.getFileInfo('data/aborted.bin')).type).toBe('not-found');
    expect(await server.pendingUploads('data')).toEqual([]);
    expect(recorder.requests.some((r) => r.method === 'DELETE' && r.url.searchParams.has('uploadId'))).toBe(true);
  });

  it('a failing part aborts the upload and close() reports the failure', async () => {
    const recorder = recordingFetch((r) =>
      r.method === 'PUT' && r.url.searchParams.get('partNumber') === '2'
        ? new Response('<Error><Code>InvalidPart</Code><Message>broken on purpose</Message></Error>', { status: 400 })
        : undefined,
    );
    const s3 = fsFor(recorder.fetch);
    const out = await s3.openOutputStream('data/failed.bin');
    const wrote = (async () => {
      for (let i = 0; i < 4; i++) await out.write(randomBytes(5 * MiB, i));
      await out.close();
    })();
    const error = await wrote.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as Error).message).toContain('broken on purpose');
    await out.abort().catch(() => {});
    expect((await s3.getFileInfo('data/failed.bin')).type).toBe('not-found');
    expect(await server.pendingUploads('data')).toEqual([]);
  });

  it('lists directories as common prefixes, recursively or not', async () => {
    const s3 = fsFor();
    for (const path of ['data/tree/a.txt', 'data/tree/sub/b.txt', 'data/tree/sub/deep/c.txt']) {
      const out = await s3.openOutputStream(path);
      await out.write(new TextEncoder().encode(path));
      await out.close();
    }
    const flat = await s3.listDir('data/tree');
    expect(flat.map((i) => [i.path, i.type]).sort()).toEqual([
      ['data/tree/a.txt', 'file'],
      ['data/tree/sub', 'directory'],
    ]);
    expect(flat.find((i) => i.type === 'file')).toMatchObject({ size: 'data/tree/a.txt'.length });
    const deep = await s3.listDir('data/tree', { recursive: true });
    expect(deep.map((i) => i.path).sort()).toEqual([
      'data/tree/a.txt',
      'data/tree/sub',
      'data/tree/sub/b.txt',
      'data/tree/sub/deep',
      'data/tree/sub/deep/c.txt',
    ]);
    expect((await s3.getFileInfo('data/tree/sub')).type).toBe('directory');
    expect((await s3.getFileInfo('data/tree/nothing')).type).toBe('not-found');
    expect((await s3.getFileInfo('data')).type).toBe('directory');
    await expect(s3.listDir('data/tree/none')).rejects.toBeInstanceOf(FileNotFoundError);
    // The root lists the buckets, and with `recursive` what is in them, as pyarrow and Azure do.
    expect((await s3.listDir('')).map((i) => `${i.path}:${i.type}`)).toContain('data:directory');
    const everything = (await s3.listDir('', { recursive: true })).map((i) => i.path);
    expect(everything).toEqual(expect.arrayContaining(['data', 'data/tree', 'data/tree/sub/deep/c.txt']));
  });

  it('creates, moves and deletes files and directories', async () => {
    const s3 = fsFor();
    await s3.createDir('data/made');
    expect((await s3.getFileInfo('data/made')).type).toBe('directory');
    const out = await s3.openOutputStream('data/made/x.bin');
    await out.write(new Uint8Array([1, 2, 3]));
    await out.close();
    await s3.move('data/made/x.bin', 'data/made/x.bin'); // a move onto itself does nothing, as in pyarrow
    await s3.move('data/made/x.bin', 'data/made/y.bin');
    expect((await s3.getFileInfo('data/made/x.bin')).type).toBe('not-found');
    await using moved = await s3.openInputFile('data/made/y.bin');
    expect(await moved.read()).toEqual(new Uint8Array([1, 2, 3]));
    await s3.deleteFile('data/made/y.bin');
    await expect(s3.deleteFile('data/made/y.bin')).rejects.toBeInstanceOf(FileNotFoundError);
    await s3.deleteDir('data/tree');
    expect((await s3.getFileInfo('data/tree')).type).toBe('not-found');
    await expect(s3.openInputFile('data/nope.bin')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(s3.openAppendStream('data/made/z')).rejects.toBeInstanceOf(UnsupportedOperationError);
  });

  it('a wrong secret is EACCES: the gateway checks every signature', async () => {
    const s3 = new S3FileSystem({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { ...credentials, secretAccessKey: 'not-the-secret' },
    });
    await expect(s3.getFileInfo('data/small/one.bin')).rejects.toMatchObject({ code: 'EACCES' });
    await expect(s3.listDir('data')).rejects.toMatchObject({
      code: 'EACCES',
      message: expect.stringMatching(/SignatureDoesNotMatch/),
    });
  });

  it("refuses '..', '.' and empty segments before any request: they cannot reach another object or the bucket", async () => {
    const victim = fsFor();
    await victim.createDir('victim');
    const out = await victim.openOutputStream('victim/keep.txt');
    await out.write(new TextEncoder().encode('precious'));
    await out.close();
    const recorder = recordingFetch();
    const s3 = fsFor(recorder.fetch);
    for (const path of ['victim/x/..', 'victim/./keep.txt', 'victim//keep.txt', 'victim/d/../keep.txt', '../victim/keep.txt']) {
      await expect(s3.deleteFile(path), path).rejects.toThrow(RangeError);
      await expect(s3.deleteDir(path), path).rejects.toThrow(RangeError);
      await expect(s3.openOutputStream(path), path).rejects.toThrow(RangeError);
      await expect(s3.openInputFile(path), path).rejects.toThrow(RangeError);
      await expect(s3.getFileInfo(path), path).rejects.toThrow(RangeError);
      await expect(s3.listDir(path), path).rejects.toThrow(RangeError);
      await expect(s3.createDir(path), path).rejects.toThrow(RangeError);
      await expect(s3.move(path, 'victim/other.txt'), path).rejects.toThrow(RangeError);
      await expect(s3.move('victim/keep.txt', path), path).rejects.toThrow(RangeError);
    }
    await expect(s3.deleteFile('victim/x/..')).rejects.toThrow(/victim\/x\/\.\./);
    expect(recorder.requests).toEqual([]);
    await using kept = await victim.openInputFile('victim/keep.txt');
    expect(new TextDecoder().decode(await kept.read())).toBe('precious');
  });

  it('a signer function signs each request elsewhere (headers or presigned URLs): no secret here', async () => {
    const signing = await startSigningServer(server.endpoint, credentials);
    try {
      for (const presign of [false, true]) {
        const s3 = new S3FileSystem({
          endpoint: server.endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          partSize: 5 * MiB,
          signer: async (request) =>
            (await fetch(`${signing.url}${presign ? '?presign' : ''}`, { method: 'POST', body: JSON.stringify(request) })).json(),
        });
        const data = randomBytes(11 * MiB, presign ? 9 : 8);
        const path = `data/signed/${presign ? 'presigned' : 'headers'}.bin`;
        const out = await s3.openOutputStream(path);
        await out.write(data);
        await out.close();
        expect((await s3.listDir('data/signed')).map((info) => info.path)).toContain(path);
        await using file = await s3.openInputFile(path);
        expectBytes(await file.readAt(5 * MiB - 10, 100), data.subarray(5 * MiB - 10, 5 * MiB + 90));
      }
      expect(signing.signed.some((r) => r.url.includes('partNumber='))).toBe(true);
    } finally {
      await signing.stop();
    }
  });

  it('a signer that refuses is EACCES naming the request, not retried', async () => {
    let calls = 0;
    const s3 = new S3FileSystem({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      signer: async () => {
        calls++;
        throw new Error('the app server said no');
      },
    });
    await expect(s3.getFileInfo('data/x.bin')).rejects.toMatchObject({
      code: 'EACCES',
      message: expect.stringMatching(/signer refused HEAD .*the app server said no/),
    });
    expect(calls).toBe(1);
  });

  it('HttpFile reads a presigned GET URL, which refuses HEAD', async () => {
    const data = randomBytes(200_000, 12);
    await server.put('data/presigned.bin', data);
    const client = new AwsClient({ ...credentials, service: 's3', region: 'us-east-1' });
    const signed = await client.sign(`${server.endpoint}/data/presigned.bin?X-Amz-Expires=600`, { aws: { signQuery: true } });
    expect((await fetch(signed.url, { method: 'HEAD' })).status).toBe(403);
    await using file = await HttpFile.open(signed.url, { readAhead: 0 });
    expect(await file.size()).toBe(data.byteLength);
    expectBytes(await file.readAt(150_000, 1000), data.subarray(150_000, 151_000));
    expect(file.url).not.toContain(new URL(signed.url).searchParams.get('X-Amz-Signature'));
  });

  it('rejects a part size below S3 minimum or above its largest, naming it', () => {
    expect(() => new S3FileSystem({ region: 'us-east-1', partSize: MiB })).toThrow(/partSize.*5 MiB/);
    // S3 would refuse such parts only once their bytes were sent.
    expect(() => new S3FileSystem({ region: 'us-east-1', partSize: 6 * 1024 * MiB })).toThrow(/partSize.*5 GiB.*6442450944/);
  });
});
