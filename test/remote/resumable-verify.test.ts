// A resumed resumableUpload checks the parts the store holds against the source before it
// keeps them (Azurite: the SHA-256 of each block carried in the token; Ceph: each part's ETag,
// the MD5 of its bytes), so a source edited in place between two calls (same size; a Node
// Blob has no modification time the fingerprint could see) never gets its old bytes
// committed with the new ones: the resume keeps the parts before the first that differs.
import { mkdtempSync, openAsBlob, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSystem, ResumableFileSystem } from '../../src/fs/file-system.js';
import { fingerprintOf, sha256Hex, type ResumableUploadSource } from '../../src/fs/uploads/fingerprint.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { OSFile, resumableUpload } from '../../src/node.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { azuriteFileSystem, isPutBlock, recordingFetch, sdkClient } from './azure-helpers.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;

/** Starts an upload of `source` and stops it (signal) once `atLeast` bytes are durable. */
async function interrupted(fs: ResumableFileSystem, path: string, source: ResumableUploadSource, store: string, atLeast: number) {
  const controller = new AbortController();
  await expect(
    resumableUpload(fs, path, source, {
      store,
      signal: controller.signal,
      onProgress: (bytes) => bytes >= atLeast && controller.abort(new Error('stop here')),
    }),
  ).rejects.toThrow('stop here');
}

const read = async (fs: FileSystem, path: string) => {
  await using file = await fs.openInputFile(path);
  return file.read();
};
const records = (store: string) => readdirSync(store).filter((name) => name.endsWith('.json'));

describe('a resumed resumableUpload checks the parts held against the source (Azurite)', () => {
  let server: AzuriteServer;
  let dir: string;
  const fsFor = (fetch?: FetchLike) => azuriteFileSystem(server.endpoint, { fetch });

  beforeAll(async () => {
    [server, dir] = [await startAzurite(), mkdtempSync(join(tmpdir(), 'nativefile-verify-'))];
    await sdkClient(server.endpoint).getContainerClient('uploads').create();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an fs.openAsBlob source edited in place in its first block starts over, and the blob is the new bytes', async () => {
    const path = join(dir, 'edited-blob.bin');
    const store = join(dir, 'store-blob');
    const v1 = randomBytes(4 * MiB + 10, 8);
    writeFileSync(path, v1);
    await interrupted(fsFor(), 'uploads/edited-blob.bin', await openAsBlob(path), store, 2 * MiB);
    const v2 = v1.slice();
    v2.fill(0xee, 100_000, 100_100); // between the fingerprint's samples
    writeFileSync(path, v2);
    const result = await resumableUpload(fsFor(), 'uploads/edited-blob.bin', await openAsBlob(path), { store });
    expect(result.resumedFrom, 'resumed an upload of other bytes').toBe(0);
    expectBytes(await read(fsFor(), 'uploads/edited-blob.bin'), v2);
    expect(records(store)).toEqual([]);
  });

  it('an edit in a later block keeps the blocks before it, and sends it and the rest again', async () => {
    const path = join(dir, 'edited-later.bin');
    const store = join(dir, 'store-later');
    const v1 = randomBytes(6 * MiB + 10, 9);
    writeFileSync(path, v1);
    await interrupted(fsFor(), 'uploads/edited-later.bin', await openAsBlob(path), store, 4 * MiB);
    const v2 = v1.slice();
    v2.fill(0xee, 2 * MiB + 5000, 2 * MiB + 5100); // block 2
    writeFileSync(path, v2);
    const run = recordingFetch();
    const result = await resumableUpload(fsFor(run.fetch), 'uploads/edited-later.bin', await openAsBlob(path), { store });
    expect(result.resumedFrom).toBe(2 * MiB);
    expect(run.requests.filter(isPutBlock)).toHaveLength(5); // blocks 2 to 6
    expectBytes(await read(fsFor(), 'uploads/edited-later.bin'), v2);
  });

  it('a block of the interrupted run landing late, after the resume sent it again, is not what is committed', async () => {
    const path = join(dir, 'late.bin');
    const store = join(dir, 'store-late');
    const v1 = randomBytes(6 * MiB + 10, 15);
    writeFileSync(path, v1);
    await interrupted(fsFor(), 'uploads/late.bin', await openAsBlob(path), store, 4 * MiB);
    const { token } = JSON.parse(readFileSync(join(store, records(store)[0]!), 'utf8')) as { token: string };
    const firstRunIds = (JSON.parse(token) as { parts: string[] }).parts;
    const v2 = v1.slice();
    v2.fill(0xee, 2 * MiB + 5000, 2 * MiB + 5100); // block 2
    writeFileSync(path, v2);
    // The first run's Put Block of block 2, held up on the way (a proxy, a slow server), lands
    // once the resume has sent block 2 again: Azure replaces an uncommitted block of the same id.
    const blob = sdkClient(server.endpoint).getContainerClient('uploads').getBlockBlobClient('late.bin');
    const run = recordingFetch();
    let landed = false;
    const fetch: FetchLike = async (input, init) => {
      const response = await run.fetch(input, init);
      if (!landed && run.requests.some(isPutBlock)) {
        landed = true;
        await blob.stageBlock(firstRunIds[2]!, v1.slice(2 * MiB, 3 * MiB), MiB);
      }
      return response;
    };
    const result = await resumableUpload(fsFor(fetch), 'uploads/late.bin', await openAsBlob(path), { store });
    expect(landed).toBe(true);
    expect(result.resumedFrom).toBe(2 * MiB);
    expectBytes(await read(fsFor(), 'uploads/late.bin'), v2);
  });

  it('an OSFile edited in place gets another fingerprint (its mtime): a new upload of the new bytes', async () => {
    const path = join(dir, 'edited.bin');
    const store = join(dir, 'store-osfile');
    const v1 = randomBytes(4 * MiB + 10, 7);
    writeFileSync(path, v1);
    const first = new OSFile(path);
    await interrupted(fsFor(), 'uploads/edited.bin', first, store, 2 * MiB);
    await first.close();
    const v2 = v1.slice();
    v2.fill(0xee, 100_000, 100_100);
    writeFileSync(path, v2);
    await using second = new OSFile(path);
    const result = await resumableUpload(fsFor(), 'uploads/edited.bin', second, { store });
    expect(result.resumedFrom, 'resumed an upload of other bytes').toBe(0);
    expectBytes(await read(fsFor(), 'uploads/edited.bin'), v2);
  });

  it('an unchanged source resumes past every block it holds; a token without digests (older) sends them again', async () => {
    const data = randomBytes(5 * MiB + 10, 10);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const store = join(dir, 'store-same');
    await interrupted(fsFor(), 'uploads/same.bin', source, store, 3 * MiB);
    const [name] = records(store);
    const record = JSON.parse(readFileSync(join(store, name!), 'utf8')) as { token: string };
    const token = JSON.parse(record.token) as { digests?: string[]; parts: string[] };
    expect(token.digests).toHaveLength(token.parts.length);
    expect(token.digests!.every((digest) => /^[0-9a-f]{64}$/.test(digest))).toBe(true);

    // The token as an older version wrote it: the blocks cannot be checked, so none is kept.
    delete token.digests;
    writeFileSync(join(store, name!), JSON.stringify({ ...record, token: JSON.stringify(token) }));
    const old = await resumableUpload(fsFor(), 'uploads/same.bin', source, { store });
    expect(old.resumedFrom).toBe(0);
    expectBytes(await read(fsFor(), 'uploads/same.bin'), data);

    await interrupted(fsFor(), 'uploads/same2.bin', source, store, 3 * MiB);
    const resumed = await resumableUpload(fsFor(), 'uploads/same2.bin', source, { store });
    expect(resumed.resumedFrom).toBeGreaterThanOrEqual(3 * MiB);
    expectBytes(await read(fsFor(), 'uploads/same2.bin'), data);
  });

  it('a resume without a check (resumeOutputStream) keeps digests only for the first blocks it knows', async () => {
    const fs = fsFor();
    const data = randomBytes(6 * MiB, 14);
    const out = await fs.openOutputStream('uploads/low.bin', { resumable: true });
    const early = out.resumeToken; // no block, no digest
    await out.write(data.subarray(0, 3 * MiB));
    await out.flush();
    await out.suspend();
    const resumed = await fs.resumeOutputStream('uploads/low.bin', early);
    expect(resumed.tell()).toBe(3 * MiB);
    await resumed.write(data.subarray(3 * MiB, 5 * MiB));
    await resumed.flush();
    const token = JSON.parse(await resumed.suspend()) as { parts: string[]; digests: string[] };
    expect(token.parts).toHaveLength(5);
    expect(token.digests).toEqual([]); // blocks 0-2 have none: a check stops at the first
    const again = await fs.resumeOutputStream('uploads/low.bin', JSON.stringify(token));
    expect(again.tell()).toBe(5 * MiB);
    await again.write(data.subarray(5 * MiB));
    await again.close();
    expectBytes(await read(fs, 'uploads/low.bin'), data);
  });
});

describe('a resumed resumableUpload checks the parts held against the source (Ceph)', () => {
  let server: S3Server;
  let dir: string;
  const fsFor = (fetch?: FetchLike) =>
    new S3FileSystem({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: server.credentials,
      partSize: 5 * MiB,
      uploadConcurrency: 1,
      ...(fetch ? { fetch } : {}),
    });
  /** A fetch that counts the parts sent. */
  const counting = () => {
    const parts: number[] = [];
    const fetch: FetchLike = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const number = url.searchParams.get('partNumber');
      if (number !== null) parts.push(Number(number));
      return globalThis.fetch(input, init);
    };
    return { fetch, parts };
  };

  beforeAll(async () => {
    [server, dir] = [await startS3(['uploads']), mkdtempSync(join(tmpdir(), 'nativefile-verify-s3-'))];
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an fs.openAsBlob source edited in its second part keeps the first, by its ETag, and sends the rest', async () => {
    const path = join(dir, 'edited.bin');
    const store = join(dir, 'store');
    const v1 = randomBytes(16 * MiB + 10, 11);
    writeFileSync(path, v1);
    await interrupted(fsFor(), 'uploads/edited.bin', await openAsBlob(path), store, 10 * MiB);
    const v2 = v1.slice();
    v2.fill(0xee, 6 * MiB, 6 * MiB + 100); // part 2
    writeFileSync(path, v2);
    const run = counting();
    const result = await resumableUpload(fsFor(run.fetch), 'uploads/edited.bin', await openAsBlob(path), { store });
    expect(result.resumedFrom).toBe(5 * MiB);
    expect(run.parts.sort((a, b) => a - b)).toEqual([2, 3, 4]);
    expectBytes(await read(fsFor(), 'uploads/edited.bin'), v2);
    expect(await server.pendingUploads('uploads', 'edited.bin')).toEqual([]);
  });

  it('a record an older version kept (keyed without the store) is resumed, its parts checked, then moved', async () => {
    const data = randomBytes(11 * MiB, 13);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const store = join(dir, 'store-legacy');
    await interrupted(fsFor(), 'uploads/legacy.bin', source, store, 5 * MiB);
    const [name] = records(store);
    const fingerprint = JSON.stringify(await fingerprintOf(source));
    const legacy = (await sha256Hex(`s3\nuploads/legacy.bin\n${fingerprint}`)).slice(0, 40);
    renameSync(join(store, name!), join(store, `${legacy}.json`));
    const run = counting();
    const result = await resumableUpload(fsFor(run.fetch), 'uploads/legacy.bin', source, { store });
    expect(result.resumedFrom).toBeGreaterThanOrEqual(5 * MiB);
    expect(Math.min(...run.parts)).toBe(result.resumedFrom / (5 * MiB) + 1);
    expectBytes(await read(fsFor(), 'uploads/legacy.bin'), data);
    expect(readdirSync(store)).toEqual([]);
    expect(await server.pendingUploads('uploads', 'legacy.bin')).toEqual([]);
  });

  it('a store that does not check its parts (not one of nativefile) is not resumed: its upload is dropped', async () => {
    const s3 = fsFor();
    // Forwards everything but the check: what another ResumableFileSystem would do.
    const unchecked = {
      typeName: s3.typeName,
      openOutputStream: s3.openOutputStream.bind(s3),
      openInputFile: s3.openInputFile.bind(s3),
      resumeOutputStream: (path: string, token: string, options?: { onCheckpoint?: () => void }) =>
        s3.resumeOutputStream(path, token, { ...(options?.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}) }),
    } as unknown as ResumableFileSystem;
    const data = randomBytes(11 * MiB, 12);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const store = join(dir, 'store-unchecked');
    await interrupted(unchecked, 'uploads/unchecked.bin', source, store, 5 * MiB);
    const result = await resumableUpload(unchecked, 'uploads/unchecked.bin', source, { store });
    expect(result.resumedFrom).toBe(0);
    expectBytes(await read(s3, 'uploads/unchecked.bin'), data);
    expect(await server.pendingUploads('uploads', 'unchecked.bin')).toEqual([]);
  });
});
