// Resumable block blob uploads against Azurite: tokens, suspend and resume, the uncommitted
// blocks Azure holds deciding what is durable, the errors of bad tokens and of uploads that
// are gone, and resumableUpload sending only the blocks missing.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileNotFoundError, IOError } from '../../src/errors.js';
import { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import type { UploadCheckpoint } from '../../src/fs/file-system.js';
import { uploadResumably, type UploadStoreKind } from '../../src/fs/uploads/resumable-upload.js';
import { resumableUpload } from '../../src/node.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { isPutBlock, recordingFetch, sdkClient, type Recorded } from './azure-helpers.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;

/** The block id's text: the upload id (24 digits), the run's tag (3), then the block's index in 5 digits. */
const decodeId = (id: string) => {
  const text = atob(id);
  return { uploadId: text.slice(0, 24), index: Number(text.slice(-5)) };
};
/** The index of the block a recorded Put Block stages. */
const blockIndex = (request: Recorded) => decodeId(request.url.searchParams.get('blockid')!).index;

describe('resumable Azure uploads against Azurite', () => {
  let server: AzuriteServer;
  let dir: string;
  const fsFor = (fetch?: FetchLike, uploadConcurrency = 4) =>
    new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      endpoint: server.endpoint,
      blockSize: MiB,
      uploadConcurrency,
      ...(fetch ? { fetch } : {}),
    });
  const read = async (fs: AzureFileSystem, path: string) => {
    await using file = await fs.openInputFile(path);
    return file.read();
  };
  const blob = (name: string) => sdkClient(server.endpoint).getContainerClient('uploads').getBlockBlobClient(name);
  /** The blocks Azure holds uncommitted for a blob (none when it has no block list at all). */
  const uncommitted = async (name: string) => {
    const list = await blob(name)
      .getBlockList('uncommitted')
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode === 404) return { uncommittedBlocks: [] };
        throw error;
      });
    return (list.uncommittedBlocks ?? []).map((block) => ({ ...decodeId(block.name), size: block.size }));
  };

  beforeAll(async () => {
    [server, dir] = [await startAzurite(), mkdtempSync(join(tmpdir(), 'nativefile-azure-resume-'))];
    await sdkClient(server.endpoint).getContainerClient('uploads').create();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a token at once, suspends keeping the staged blocks, and resumes at tell() = bytes durable', async () => {
    const fs = fsFor();
    const data = randomBytes(5 * MiB + 321, 1);
    const checkpoints: UploadCheckpoint[] = [];
    const out = await fs.openOutputStream('uploads/a.bin', { resumable: true, onCheckpoint: (c) => checkpoints.push(c) });
    const first = JSON.parse(out.resumeToken);
    expect(first).toMatchObject({ store: 'azure', path: 'uploads/a.bin', partSize: MiB, parts: [], durable: 0 });
    await out.write(data.subarray(0, 3 * MiB + 100));
    await out.flush();
    expect(out.bytesDurable).toBe(3 * MiB);
    const durable = checkpoints.map((c) => c.bytesDurable);
    // Blocks finish in any order: a checkpoint may jump by two, never go back.
    expect(durable).toEqual([...durable].sort((a, b) => a - b));
    expect(durable.at(-1)).toBe(3 * MiB);
    const token = await out.suspend();
    expect(out.closed).toBe(true);
    expect(JSON.parse(token)).toMatchObject({ uploadId: first.uploadId, durable: 3 * MiB });
    expect((await fs.getFileInfo('uploads/a.bin')).type).toBe('not-found');

    // Azurite keeps the staged blocks and lists them: ids of one length, from the upload id and the index.
    const held = (await uncommitted('a.bin')).sort((a, b) => a.index - b.index); // listed in the order staged
    expect(held).toEqual([0, 1, 2].map((index) => ({ uploadId: first.uploadId, index, size: MiB })));
    expect(new Set(JSON.parse(token).parts.map((id: string) => id.length)).size).toBe(1);
    expect(JSON.parse(token).parts.map((id: string) => decodeId(id).index)).toEqual([0, 1, 2]);

    const resumed = await fsFor().resumeOutputStream('uploads/a.bin', token);
    expect(resumed.tell()).toBe(3 * MiB);
    expect(resumed.bytesDurable).toBe(3 * MiB);
    await resumed.write(data.subarray(resumed.tell()));
    await resumed.close();
    expectBytes(await read(fs, 'uploads/a.bin'), data);
    const committed = await blob('a.bin').getBlockList('all');
    expect(committed.committedBlocks?.map((b) => b.size)).toEqual([MiB, MiB, MiB, MiB, MiB, 321]);
    expect(committed.uncommittedBlocks).toEqual([]);
  });

  it('takes the blocks Azure holds as durable, even those the token did not record yet', async () => {
    const fs = fsFor();
    const data = randomBytes(6 * MiB, 2);
    const out = await fs.openOutputStream('uploads/b.bin', { resumable: true });
    const early = out.resumeToken; // as if the process died before saving later tokens
    await out.write(data.subarray(0, 5 * MiB));
    await out.flush();
    await out.suspend();
    const resumed = await fs.resumeOutputStream('uploads/b.bin', early);
    expect(resumed.tell()).toBe(5 * MiB);
    expect(JSON.parse(resumed.resumeToken).parts).toHaveLength(5);
    await resumed.write(data.subarray(5 * MiB));
    await resumed.close();
    expectBytes(await read(fs, 'uploads/b.bin'), data);
  });

  it('keeps only the first blocks without a gap, each of the block size: a short or missing one is sent again', async () => {
    const fs = fsFor();
    const data = randomBytes(4 * MiB + 5, 3);
    const out = await fs.openOutputStream('uploads/gap.bin', { resumable: true });
    const token = out.resumeToken;
    const { uploadId, parts } = JSON.parse(token) as { uploadId: string; parts: string[] };
    expect(parts).toEqual([]);
    await out.suspend();
    // Blocks 0 and 1 whole, block 2 missing, block 3 there: only 0 and 1 are durable.
    const id = (index: number) => btoa(`${uploadId}${String(index).padStart(8, '0')}`);
    await blob('gap.bin').stageBlock(id(0), data.subarray(0, MiB), MiB);
    await blob('gap.bin').stageBlock(id(1), data.subarray(MiB, 2 * MiB), MiB);
    await blob('gap.bin').stageBlock(id(3), data.subarray(3 * MiB, 4 * MiB), MiB);
    const resumed = await fs.resumeOutputStream('uploads/gap.bin', token);
    expect(resumed.tell()).toBe(2 * MiB);
    await resumed.write(data.subarray(2 * MiB));
    await resumed.close();
    expectBytes(await read(fs, 'uploads/gap.bin'), data);

    // A short first block (a close that did not commit) is not durable.
    const short = await fs.openOutputStream('uploads/short.bin', { resumable: true });
    const shortToken = short.resumeToken;
    await short.suspend();
    const shortId = btoa(`${JSON.parse(shortToken).uploadId}00000000`);
    await blob('short.bin').stageBlock(shortId, data.subarray(0, 1000), 1000);
    const again = await fs.resumeOutputStream('uploads/short.bin', shortToken);
    expect(again.tell()).toBe(0);
    await again.write(data.subarray(0, 2 * MiB));
    await again.close();
    expectBytes(await read(fs, 'uploads/short.bin'), data.subarray(0, 2 * MiB));
  });

  it('a failed block fails the stream but keeps the upload, which resumes from the token', async () => {
    let failing = false;
    const flaky: FetchLike = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const url = new URL(request.url);
      if (failing && url.searchParams.get('comp') === 'block' && decodeId(url.searchParams.get('blockid')!).index === 3)
        return new Response('<Error><Code>InvalidHeaderValue</Code></Error>', { status: 400 });
      return fetch(input, init);
    };
    const fs = fsFor(flaky);
    const data = randomBytes(6 * MiB, 4);
    const out = await fs.openOutputStream('uploads/c.bin', { resumable: true });
    let token = out.resumeToken;
    failing = true;
    const wrote = (async () => {
      for (let i = 0; i < data.byteLength; i += MiB / 4) await out.write(data.subarray(i, i + MiB / 4));
      await out.close();
    })();
    await expect(wrote).rejects.toBeInstanceOf(IOError);
    // The blocks in flight beside the failed one land after the stream failed.
    await vi.waitFor(async () => expect((await uncommitted('c.bin')).length).toBeGreaterThanOrEqual(3));
    token = out.bytesDurable > 0 ? out.resumeToken : token;
    expect((await fs.getFileInfo('uploads/c.bin')).type).toBe('not-found');
    failing = false;
    const resumed = await fsFor().resumeOutputStream('uploads/c.bin', token);
    expect(resumed.tell()).toBe(3 * MiB);
    await resumed.write(data.subarray(resumed.tell()));
    await resumed.close();
    expectBytes(await read(fs, 'uploads/c.bin'), data);
  });

  it('commits nothing before close: the old blob stays until then, and abort leaves it untouched', async () => {
    const fs = fsFor();
    const old = randomBytes(MiB + 7, 5);
    const before = await fs.openOutputStream('uploads/old.bin');
    await before.write(old);
    await before.close();
    const etag = (await blob('old.bin').getProperties()).etag;

    const out = await fs.openOutputStream('uploads/old.bin', { resumable: true });
    const token = out.resumeToken;
    await out.write(randomBytes(2 * MiB + 3, 6));
    await out.flush();
    expectBytes(await read(fs, 'uploads/old.bin'), old);
    await out.abort();
    expect(out.closed).toBe(true);
    expect((await blob('old.bin').getProperties()).etag).toBe(etag);
    expectBytes(await read(fs, 'uploads/old.bin'), old);
    // The aborted upload is gone, though Azure keeps its blocks until they expire.
    await expect(fs.resumeOutputStream('uploads/old.bin', token)).rejects.toBeInstanceOf(FileNotFoundError);

    // Where no blob was, an abort leaves nothing, not even an uncommitted blob.
    const fresh = await fs.openOutputStream('uploads/never.bin', { resumable: true });
    const freshToken = fresh.resumeToken;
    await fresh.write(randomBytes(2 * MiB, 7));
    await fresh.flush();
    await fresh.abort();
    expect(await uncommitted('never.bin')).toEqual([]);
    expect((await fs.getFileInfo('uploads/never.bin')).type).toBe('not-found');
    await expect(fs.resumeOutputStream('uploads/never.bin', freshToken)).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('refuses a token of another path, a malformed one, and one of an upload that is gone', async () => {
    const recorded = recordingFetch();
    const fs = fsFor(recorded.fetch);
    const out = await fs.openOutputStream('uploads/d.bin', { resumable: true });
    await out.write(randomBytes(2 * MiB + 1, 8));
    await out.flush();
    const token = await out.suspend();
    const state = JSON.parse(token) as Record<string, unknown> & { parts: string[] };
    const tampered = (change: Record<string, unknown>) => JSON.stringify({ ...state, ...change });

    const requests = recorded.requests.length;
    await expect(fs.resumeOutputStream('uploads/other.bin', token)).rejects.toThrow(RangeError);
    await expect(fs.resumeOutputStream('uploads/other.bin', token)).rejects.toThrow(/uploads\/d\.bin/);
    await expect(fs.resumeOutputStream('uploads/d.bin', token.replace('"durable":2097152', '"durable":7'))).rejects.toThrow(
      TypeError,
    );
    await expect(fs.resumeOutputStream('uploads/d.bin', '{not json')).rejects.toThrow(TypeError);
    await expect(fs.resumeOutputStream('uploads/d.bin', 42 as unknown as string)).rejects.toThrow(TypeError);
    await expect(fs.resumeOutputStream('uploads/d.bin', tampered({ uploadId: 'not-ours' }))).rejects.toThrow(TypeError);
    await expect(fs.resumeOutputStream('uploads/d.bin', tampered({ parts: [state.parts[1], state.parts[0]] }))).rejects.toThrow(
      TypeError,
    );
    await expect(fs.resumeOutputStream('uploads/d.bin', tampered({ store: 's3' }))).rejects.toThrow(RangeError);
    const huge = 4001 * MiB;
    await expect(fs.resumeOutputStream('uploads/d.bin', tampered({ partSize: huge, durable: 2 * huge }))).rejects.toThrow(
      RangeError,
    );
    expect(recorded.requests.length).toBe(requests); // all refused before any request

    // Completed: the upload's blocks are committed, none is left uncommitted.
    const resumed = await fs.resumeOutputStream('uploads/d.bin', token);
    await resumed.close();
    await expect(fs.resumeOutputStream('uploads/d.bin', token)).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(fs.resumeOutputStream('uploads/d.bin', token)).rejects.toThrow(/gone/);
    // A token that recorded no block, of an upload that staged none: nothing to resume either.
    const empty = await fs.openOutputStream('uploads/e.bin', { resumable: true });
    await expect(fs.resumeOutputStream('uploads/e.bin', await empty.suspend())).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('an upload whose blocks another writer dropped by committing the blob is gone', async () => {
    const fs = fsFor();
    const out = await fs.openOutputStream('uploads/f.bin', { resumable: true });
    await out.write(randomBytes(2 * MiB, 9));
    await out.flush();
    const token = await out.suspend();
    expect(await uncommitted('f.bin')).toHaveLength(2);
    // Someone else's Put Block List: Azure discards every uncommitted block of the blob.
    const theirs = await fsFor().openOutputStream('uploads/f.bin');
    await theirs.write(new Uint8Array([1, 2, 3]));
    await theirs.close();
    expect(await uncommitted('f.bin')).toEqual([]);
    await expect(fs.resumeOutputStream('uploads/f.bin', token)).rejects.toBeInstanceOf(FileNotFoundError);

    // The same while a stream is open: its close cannot commit blocks that are gone.
    const live = await fs.openOutputStream('uploads/g.bin', { resumable: true });
    await live.write(randomBytes(2 * MiB, 10));
    await live.flush();
    const other = await fsFor().openOutputStream('uploads/g.bin');
    await other.write(new Uint8Array([4, 5, 6]));
    await other.close();
    await live.write(randomBytes(MiB + 1, 11));
    await expect(live.close()).rejects.toBeInstanceOf(FileNotFoundError);
    expect(Array.from(await read(fs, 'uploads/g.bin'))).toEqual([4, 5, 6]);
  });

  it('an ordinary stream has no token; an empty resumable upload makes an empty blob', async () => {
    const fs = fsFor();
    const out = await fs.openOutputStream('uploads/h.bin');
    // Not resumable, in its type and at run time: it has no token to give, nor suspend().
    expect('resumeToken' in out || 'suspend' in out).toBe(false);
    await out.abort();
    const empty = await fs.openOutputStream('uploads/empty.bin', { resumable: true });
    await empty.close();
    expect(await fs.getFileInfo('uploads/empty.bin')).toMatchObject({ type: 'file', size: 0 });
    expect(await uncommitted('empty.bin')).toEqual([]);
    await expect(fs.openOutputStream('missing/x.bin', { resumable: true })).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('resumableUpload of a Blob stopped by its signal resumes, sending only the blocks missing', async () => {
    const data = randomBytes(10 * MiB + 123, 12);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const store = join(dir, 'store');
    const firstRun = recordingFetch();
    const controller = new AbortController();
    const firstProgress: number[] = [];
    const stopped = resumableUpload(fsFor(firstRun.fetch, 2), 'uploads/big.bin', source, {
      store,
      signal: controller.signal,
      onProgress: (bytes) => {
        firstProgress.push(bytes);
        if (bytes >= 4 * MiB) controller.abort(new Error('stop here'));
      },
    });
    await expect(stopped).rejects.toThrow('stop here');
    expect(firstProgress).toEqual([...firstProgress].sort((a, b) => a - b));
    expect(readdirSync(store).filter((name) => name.endsWith('.json'))).toHaveLength(1);
    expect((await fsFor().getFileInfo('uploads/big.bin')).type).toBe('not-found');
    const held = await uncommitted('big.bin');
    expect(held.length).toBeGreaterThanOrEqual(4);

    const secondRun = recordingFetch();
    const progress: number[] = [];
    const result = await resumableUpload(fsFor(secondRun.fetch, 2), 'uploads/big.bin', source, {
      store,
      onProgress: (bytes) => progress.push(bytes),
    });
    expect(result.resumedFrom).toBeGreaterThanOrEqual(4 * MiB);
    expect(result.resumedFrom % MiB).toBe(0);
    const sent = secondRun.requests.filter(isPutBlock).map(blockIndex);
    // Only the missing blocks, each once: from the first not durable to the last.
    const from = result.resumedFrom / MiB;
    expect([...sent].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 - from }, (_, i) => from + i));
    expect(progress[0]).toBe(result.resumedFrom);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(data.byteLength);
    expectBytes(await read(fsFor(), 'uploads/big.bin'), data);
    expect(await uncommitted('big.bin')).toEqual([]);
    expect(readdirSync(store)).toEqual([]);
  });

  it('resumableUpload whose later tokens cannot be saved still completes: the blob is there', async () => {
    const data = randomBytes(3 * MiB + 5, 13);
    const forgotten: string[] = [];
    let saves = 0;
    // The first save (at open) must succeed: an upload whose token cannot be kept is not
    // started (resumable-records.test.ts); those after it failing fail nothing once committed.
    const failing: UploadStoreKind = {
      defaultDir: 'nowhere',
      open: () => ({
        load: async () => undefined,
        save: async () => {
          if (++saves > 1) throw new Error('disk full');
        },
        forget: async (key) => void forgotten.push(key),
      }),
    };
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const result = await uploadResumably(fsFor(undefined, 1), 'uploads/unsaved.bin', source, {}, failing);
    expect(result).toMatchObject({ size: data.byteLength, resumedFrom: 0 });
    expectBytes(await read(fsFor(), 'uploads/unsaved.bin'), data);
    expect(forgotten).toHaveLength(1);
    expect(saves).toBeGreaterThan(1);
  });
});
