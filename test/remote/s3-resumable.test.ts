// Resumable multipart uploads against Ceph's S3 gateway: tokens, suspend and resume, what
// the store holds deciding what is durable, and the errors of bad tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError, IOError } from '../../src/errors.js';
import type { UploadCheckpoint } from '../../src/fs/file-system.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;

describe('resumable S3 uploads against Ceph', () => {
  let server: S3Server;
  const fsFor = (fetch?: FetchLike) =>
    new S3FileSystem({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: server.credentials,
      partSize: 5 * MiB,
      ...(fetch ? { fetch } : {}),
    });
  const read = async (s3: S3FileSystem, path: string) => {
    await using file = await s3.openInputFile(path);
    return file.read();
  };

  beforeAll(async () => {
    server = await startS3(['uploads']);
  });
  afterAll(async () => server?.stop());

  it('has a token at once, suspends keeping the durable parts, and resumes at tell() = bytes durable', async () => {
    const s3 = fsFor();
    const data = randomBytes(17 * MiB + 321, 1);
    const checkpoints: UploadCheckpoint[] = [];
    const out = await s3.openOutputStream('uploads/a.bin', { resumable: true, onCheckpoint: (c) => checkpoints.push(c) });
    expect(JSON.parse(out.resumeToken)).toMatchObject({ path: 'uploads/a.bin', partSize: 5 * MiB, parts: [], durable: 0 });
    await out.write(data.subarray(0, 12 * MiB));
    await out.flush();
    expect(out.bytesDurable).toBe(10 * MiB);
    const durable = checkpoints.map((c) => c.bytesDurable);
    // Parts finish in any order: a checkpoint may jump by two, never go back.
    expect(durable).toEqual([...durable].sort((a, b) => a - b));
    expect(durable.at(-1)).toBe(10 * MiB);
    const token = await out.suspend();
    expect(out.closed).toBe(true);
    expect(JSON.parse(token)).toMatchObject({ durable: 10 * MiB });
    expect((await s3.getFileInfo('uploads/a.bin')).type).toBe('not-found');
    expect(await server.pendingUploads('uploads', 'a.bin')).toHaveLength(1);

    const resumed = await s3.resumeOutputStream('uploads/a.bin', token);
    expect(resumed.tell()).toBe(10 * MiB);
    await resumed.write(data.subarray(resumed.tell()));
    await resumed.close();
    expectBytes(await read(s3, 'uploads/a.bin'), data);
    expect(await server.pendingUploads('uploads', 'a.bin')).toEqual([]);
  });

  it('takes the parts the store holds as durable, even those the token did not record yet', async () => {
    const s3 = fsFor();
    const data = randomBytes(16 * MiB, 2);
    const out = await s3.openOutputStream('uploads/b.bin', { resumable: true });
    const early = out.resumeToken; // as if the process died before saving later tokens
    await out.write(data.subarray(0, 15 * MiB));
    await out.flush();
    await out.suspend();
    const resumed = await s3.resumeOutputStream('uploads/b.bin', early);
    expect(resumed.tell()).toBe(15 * MiB);
    expect(JSON.parse(resumed.resumeToken).parts).toHaveLength(3);
    await resumed.write(data.subarray(15 * MiB));
    await resumed.close();
    expectBytes(await read(s3, 'uploads/b.bin'), data);
  });

  it('a failed part fails the stream but keeps the upload, which resumes from the token', async () => {
    let failing = false;
    const flaky: FetchLike = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (failing && url.searchParams.get('partNumber') === '3')
        return new Response('<Error><Code>InternalError</Code></Error>', { status: 400 });
      return fetch(input, init);
    };
    const s3 = fsFor(flaky);
    const data = randomBytes(13 * MiB, 3);
    const out = await s3.openOutputStream('uploads/c.bin', { resumable: true });
    let token = out.resumeToken;
    failing = true;
    const wrote = (async () => {
      for (let i = 0; i < data.byteLength; i += MiB) await out.write(data.subarray(i, i + MiB));
      await out.close();
    })();
    await expect(wrote).rejects.toBeInstanceOf(IOError);
    token = out.bytesDurable > 0 ? out.resumeToken : token;
    expect(await server.pendingUploads('uploads', 'c.bin')).toHaveLength(1);
    failing = false;
    const resumed = await fsFor().resumeOutputStream('uploads/c.bin', token);
    expect(resumed.tell()).toBe(10 * MiB);
    await resumed.write(data.subarray(resumed.tell()));
    await resumed.close();
    expectBytes(await read(s3, 'uploads/c.bin'), data);
    expect(await server.pendingUploads('uploads', 'c.bin')).toEqual([]);
  });

  it('refuses a token of another path, a corrupted one, and one of an upload that is gone', async () => {
    const s3 = fsFor();
    const out = await s3.openOutputStream('uploads/d.bin', { resumable: true });
    const token = out.resumeToken;
    await expect(s3.resumeOutputStream('uploads/other.bin', token)).rejects.toThrow(RangeError);
    await expect(s3.resumeOutputStream('uploads/other.bin', token)).rejects.toThrow(/uploads\/d\.bin/);
    await expect(s3.resumeOutputStream('uploads/d.bin', token.replace('"durable":0', '"durable":7'))).rejects.toThrow(TypeError);
    await expect(s3.resumeOutputStream('uploads/d.bin', '{not json')).rejects.toThrow(TypeError);
    await expect(s3.resumeOutputStream('uploads/d.bin', 42 as unknown as string)).rejects.toThrow(TypeError);
    await out.abort();
    await expect(s3.resumeOutputStream('uploads/d.bin', token)).rejects.toBeInstanceOf(FileNotFoundError);
    expect((await s3.getFileInfo('uploads/d.bin')).type).toBe('not-found');
    expect(await server.pendingUploads('uploads', 'd.bin')).toEqual([]);
  });

  it('an ordinary stream has no token', async () => {
    const out = await fsFor().openOutputStream('uploads/e.bin');
    // Not resumable, in its type and at run time: it has no token to give, nor suspend().
    expect('resumeToken' in out || 'suspend' in out).toBe(false);
    await out.abort();
  });

  it('an empty resumable upload makes an empty object', async () => {
    const s3 = fsFor();
    const out = await s3.openOutputStream('uploads/empty.bin', { resumable: true });
    await out.close();
    expect(await s3.getFileInfo('uploads/empty.bin')).toMatchObject({ type: 'file', size: 0 });
    expect(await server.pendingUploads('uploads', 'empty.bin')).toEqual([]);
  });
});
