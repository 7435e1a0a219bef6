// resumableUpload's records (Azurite): a token that cannot be saved is said, at once when it
// is the first (the upload is then not kept) and in the error of a call that fails later; a
// record is the store's own (endpoint, account), so two stores with the same path keep theirs;
// two calls for the same record run one after the other; `store: ''` is refused.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import type { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import { BufferReader } from '../../src/index.js';
import { uploadResumably, type UploadStoreKind } from '../../src/fs/uploads/resumable-upload.js';
import type { UploadRecord } from '../../src/fs/uploads/upload-store.js';
import { resumableUpload } from '../../src/node.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { azuriteFileSystem, isPutBlock, recordingFetch, sdkClient } from './azure-helpers.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;
const records = (store: string) => readdirSync(store).filter((name) => name.endsWith('.json'));

/** A store kind in memory whose saves fail from the `failFrom`-th on (1-based). */
function memoryStores(failFrom: number) {
  const kept = new Map<string, UploadRecord>();
  let saves = 0;
  const kind: UploadStoreKind = {
    defaultDir: 'memory',
    open: () => ({
      load: async (key) => kept.get(key),
      save: async (key, record) => {
        if (++saves >= failFrom) throw new IOError('no space left', { code: 'ENOSPC' });
        kept.set(key, record);
      },
      forget: async (key) => void kept.delete(key),
    }),
  };
  return { kind, kept };
}

describe('resumableUpload records (Azurite)', () => {
  let a: AzuriteServer;
  let b: AzuriteServer;
  let dir: string;
  const fsOn = (server: AzuriteServer, fetch?: FetchLike) => azuriteFileSystem(server.endpoint, { fetch });
  const read = async (fs: AzureFileSystem, path: string) => {
    await using file = await fs.openInputFile(path);
    return file.read();
  };
  const uncommitted = async (server: AzuriteServer, name: string) => {
    const blob = sdkClient(server.endpoint).getContainerClient('uploads').getBlockBlobClient(name);
    const list = await blob.getBlockList('uncommitted').catch(() => ({ uncommittedBlocks: [] }));
    return list.uncommittedBlocks ?? [];
  };
  const stopAt = (atLeast: number) => {
    const controller = new AbortController();
    const reason = new Error('stop here');
    return {
      reason,
      signal: controller.signal,
      onProgress: (bytes: number) => bytes >= atLeast && controller.abort(reason),
    };
  };

  beforeAll(async () => {
    [a, b] = [await startAzurite(), await startAzurite()];
    await sdkClient(a.endpoint).getContainerClient('uploads').create();
    await sdkClient(b.endpoint).getContainerClient('uploads').create();
    dir = mkdtempSync(join(tmpdir(), 'nativefile-records-'));
  }, 90_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a first token that cannot be saved fails the call at once, and nothing is sent', async () => {
    const { kind } = memoryStores(1);
    const run = recordingFetch();
    const source = new Blob([randomBytes(3 * MiB, 1) as Uint8Array<ArrayBuffer>]);
    const failed = await uploadResumably(fsOn(a, run.fetch), 'uploads/first.bin', source, {}, kind).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(IOError);
    expect(failed).toMatchObject({ code: 'ENOSPC', message: expect.stringMatching(/could not be saved in memory/) });
    expect((failed as IOError).cause).toMatchObject({ message: 'no space left' });
    expect(run.requests.filter(isPutBlock)).toEqual([]);
    expect((await fsOn(a).getFileInfo('uploads/first.bin')).type).toBe('not-found');
  });

  it('a store folder that cannot be written (a file there) fails the call before anything is sent', async () => {
    const store = join(dir, 'a-file');
    writeFileSync(store, 'not a folder');
    const run = recordingFetch();
    const source = new Blob([randomBytes(3 * MiB, 2) as Uint8Array<ArrayBuffer>]);
    await expect(resumableUpload(fsOn(a, run.fetch), 'uploads/nowhere.bin', source, { store })).rejects.toThrow();
    expect(run.requests.filter(isPutBlock)).toEqual([]);
  });

  it('a later token that cannot be saved: the interrupted call says so, its reason the cause; the next resumes from the record kept', async () => {
    const { kind, kept } = memoryStores(2); // the first save (at open) is kept, none after
    const data = randomBytes(4 * MiB + 10, 3);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const stop = stopAt(2 * MiB);
    const failed = await uploadResumably(fsOn(a), 'uploads/later.bin', source, stop, kind).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(IOError);
    expect((failed as IOError).message).toMatch(
      /^stop here \(and the upload's latest resume token could not be saved in memory: no space left/,
    );
    expect((failed as IOError).cause).toBe(stop.reason);
    expect((failed as { suppressed?: unknown }).suppressed).toMatchObject({ code: 'ENOSPC' });
    expect(kept.size).toBe(1);
    const { kind: working } = memoryStores(Infinity);
    const result = await uploadResumably(fsOn(a), 'uploads/later.bin', source, {}, working);
    expect(result.size).toBe(data.byteLength);
    expectBytes(await read(fsOn(a), 'uploads/later.bin'), data);
  });

  it("refuses store: '' with a TypeError naming the option", async () => {
    const source = new Blob([randomBytes(MiB, 4) as Uint8Array<ArrayBuffer>]);
    await expect(resumableUpload(fsOn(a), 'uploads/empty-store.bin', source, { store: '' })).rejects.toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining('options.store') }),
    );
  });

  it('two stores with the same path keep a record each: completing one leaves the other resumable', async () => {
    const store = join(dir, 'store-two');
    const data = randomBytes(4 * MiB + 10, 5);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const stop = stopAt(2 * MiB);
    await expect(resumableUpload(fsOn(a), 'uploads/same.bin', source, { store, ...stop })).rejects.toBe(stop.reason);
    expect(records(store)).toHaveLength(1);
    await resumableUpload(fsOn(b), 'uploads/same.bin', source, { store });
    expect(records(store)).toHaveLength(1);
    const result = await resumableUpload(fsOn(a), 'uploads/same.bin', source, { store });
    expect(result.resumedFrom, 'the blocks A held were sent again').toBeGreaterThanOrEqual(2 * MiB);
    expectBytes(await read(fsOn(a), 'uploads/same.bin'), data);
    expect(records(store)).toEqual([]);
  });

  it('two calls for the same record run one after the other: both succeed, no record or block is left', async () => {
    const store = join(dir, 'store-twice');
    const data = randomBytes(6 * MiB + 10, 6);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const results = await Promise.allSettled([
      resumableUpload(fsOn(a), 'uploads/twice.bin', source, { store }),
      resumableUpload(fsOn(a), 'uploads/twice.bin', source, { store }),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
    expectBytes(await read(fsOn(a), 'uploads/twice.bin'), data);
    expect(readdirSync(store)).toEqual([]);
    expect(await uncommitted(a, 'twice.bin')).toEqual([]);
  });

  it('a call waiting for another on the same record stops with its signal, the other going on', async () => {
    const store = join(dir, 'store-wait');
    const data = randomBytes(6 * MiB + 10, 7);
    const source = new Blob([data as Uint8Array<ArrayBuffer>]);
    const controller = new AbortController();
    const reason = new Error('gave up waiting');
    const run = recordingFetch();
    let second: Promise<unknown> | undefined;
    // The second call starts once the first holds the record, and gives up while it uploads.
    const first = resumableUpload(fsOn(a), 'uploads/wait.bin', source, {
      store,
      onProgress: (bytes) => {
        if (bytes >= MiB && second === undefined) {
          second = resumableUpload(fsOn(a, run.fetch), 'uploads/wait.bin', source, { store, signal: controller.signal });
          second.catch(() => {});
        }
        if (bytes >= 4 * MiB) controller.abort(reason);
      },
    });
    await first;
    await expect(second).rejects.toBe(reason);
    expect(run.requests, 'the waiting call sent nothing').toEqual([]);
    expectBytes(await read(fsOn(a), 'uploads/wait.bin'), data);
    expect(readdirSync(store)).toEqual([]);
  });

  it('a source that fails mid-way stops the blocks in flight: no token is saved once the call has failed', async () => {
    const data = randomBytes(8 * MiB, 31);
    const source = new BufferReader(data);
    const readAt = source.readAt.bind(source);
    // The fingerprint's 4 KiB samples read; the upload's 1 MiB reads fail from 4 MiB on.
    source.readAt = (offset: number, length: number) =>
      offset >= 4 * MiB && length > 4096 ? Promise.reject(new Error('the disk went away')) : readAt(offset, length);
    // Blocks answered late, four at once: some are in flight when the source fails.
    const slow = recordingFetch({ delay: (request) => (isPutBlock(request) ? 300 : 0) });
    const fs = azuriteFileSystem(a.endpoint, { uploadConcurrency: 4, fetch: slow.fetch });
    let failed = false;
    let savesAfter = 0;
    const kept = new Map<string, UploadRecord>();
    const kind: UploadStoreKind = {
      defaultDir: 'memory',
      open: () => ({
        load: async (key) => kept.get(key),
        save: async (key, record) => {
          if (failed) savesAfter += 1;
          kept.set(key, record);
        },
        forget: async (key) => void kept.delete(key),
      }),
    };
    await expect(uploadResumably(fs, 'uploads/failing.bin', source, { chunkSize: MiB }, kind)).rejects.toThrow(
      'the disk went away',
    );
    failed = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(savesAfter).toBe(0);
    expect(kept.size).toBe(1); // the token of what is durable, for the next call
  });
});
