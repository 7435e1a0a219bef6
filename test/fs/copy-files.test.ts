/**
 * copyFiles between filesystems, against real servers on 127.0.0.1: a tree of 30 files (0 B
 * to 20 MiB) and an empty directory goes local → S3 (Ceph) → Azure (Azurite) → local,
 * byte-exact at each hop, in bounded memory; S3 to S3 is copied on the server; an abort
 * leaves nothing half-written. The OPFS hops (OPFS → S3 and back) run in pages
 * (test/remote-browser/uploads.test.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AzureFileSystem,
  copyFiles,
  FileNotFoundError,
  fromReadableStream,
  LocalFileSystem,
  S3FileSystem,
} from '../../src/node.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { startS3, type S3Server } from '../servers/s3.js';

const MiB = 1024 * 1024;
/** 30 sizes from 0 B to 20 MiB, across part boundaries. */
const SIZES = [0, 1, 100, 4095, 4096, 65_537, 1 * MiB, 5 * MiB - 1, 5 * MiB, 5 * MiB + 1, 7 * MiB, 20 * MiB];
const tree = Array.from({ length: 30 }, (_, i) => ({
  path: `${['', 'a/', 'a/b/', 'c/'][i % 4]}file-${i}.bin`,
  size: SIZES[i % SIZES.length]! + (i >= SIZES.length ? i : 0),
}));

/** Every file below `dir` (relative paths) and their bytes, empty directories as `dir/`. */
function snapshot(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (at: string): void => {
    const names = readdirSync(at);
    if (names.length === 0 && at !== dir) found.set(`${relative(dir, at)}/`, '');
    for (const name of names) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.set(relative(dir, path), readFileSync(path).toString('base64'));
    }
  };
  walk(dir);
  return found;
}

describe('copyFiles', () => {
  let s3: S3Server;
  let azurite: AzuriteServer;
  let dir: string;
  const requests: Array<{ method: string; url: string; copy: boolean }> = [];
  const recording: FetchLike = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push({ method: request.method, url: request.url, copy: request.headers.has('x-amz-copy-source') });
    return fetch(input, init);
  };
  const s3fs = () =>
    new S3FileSystem({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: s3.credentials,
      partSize: 5 * MiB,
      uploadConcurrency: 2,
      fetch: recording,
    });
  const azure = () =>
    new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      endpoint: azurite.endpoint,
      blockSize: 4 * MiB,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nativefile-copy-files-'));
    [s3, azurite] = await Promise.all([startS3(['hop']), startAzurite()]);
    const source = join(dir, 'source');
    mkdirSync(join(source, 'empty', 'deeper'), { recursive: true });
    tree.forEach(({ path, size }, i) => {
      mkdirSync(join(source, path, '..'), { recursive: true });
      writeFileSync(join(source, path), randomBytes(size, i + 1));
    });
    await azure().createDir('hop');
  }, 120_000);
  afterAll(async () => {
    await Promise.all([s3?.stop(), azurite?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a tree local → S3 → Azure → local, byte-exact at each hop, in bounded memory', async () => {
    const local = new LocalFileSystem();
    const expected = snapshot(join(dir, 'source'));
    const total = tree.reduce((sum, file) => sum + file.size, 0);
    let peak = 0;
    const base = process.memoryUsage().arrayBuffers;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - base)), 5);
    const progress: number[] = [];
    try {
      const toS3 = await copyFiles(local, join(dir, 'source'), s3fs(), 'hop/tree', {
        onProgress: (copied, all) => {
          expect(all).toBe(total);
          progress.push(copied);
        },
      });
      expect(toS3).toEqual({ files: 30, bytes: total });
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(total);
      expect((await s3fs().getFileInfo('hop/tree/empty/deeper')).type).toBe('directory');
      await copyFiles(s3fs(), 'hop/tree', azure(), 'hop/tree');
      await copyFiles(azure(), 'hop/tree', local, join(dir, 'back'));
    } finally {
      clearInterval(sampler);
    }
    expect(snapshot(join(dir, 'back'))).toEqual(expected);
    // Held at once at most: (2 + 1) S3 parts of 5 MiB or (4 + 1) Azure blocks of 4 MiB, the copy
    // Node's fetch makes of each body in flight, a 1 MiB chunk, and garbage not yet collected;
    // the tree is 220 MiB, and reading a hop's files whole would take far more.
    expect(peak).toBeLessThan(64 * MiB);
  }, 120_000);

  it('copies within one S3 filesystem on the server: no object bytes pass through', async () => {
    const fs = s3fs();
    requests.length = 0;
    const result = await copyFiles(fs, 'hop/tree/a', fs, 'hop/copied');
    expect(result.files).toBe(tree.filter((file) => file.path.startsWith('a/')).length);
    expect(requests.filter((r) => r.copy)).toHaveLength(result.files);
    expect(requests.filter((r) => r.method === 'GET' && !r.url.includes('list-type')).map((r) => r.url)).toEqual([]);
    await using one = await fs.openInputFile('hop/copied/b/file-2.bin');
    expect(Buffer.from(await one.read()).equals(readFileSync(join(dir, 'source', 'a/b/file-2.bin')))).toBe(true);
  });

  it('copies one file to a path; a missing source is FileNotFoundError', async () => {
    const local = new LocalFileSystem();
    await copyFiles(local, join(dir, 'source', 'c/file-3.bin'), s3fs(), 'hop/single.bin');
    expect(await s3fs().getFileInfo('hop/single.bin')).toMatchObject({ type: 'file', size: tree[3]!.size });
    await expect(copyFiles(local, join(dir, 'nothing'), s3fs(), 'hop/x')).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('an abort stops the copy and leaves no half-written object', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const copying = copyFiles(new LocalFileSystem(), join(dir, 'source', 'c'), s3fs(), 'hop/aborted', {
      signal: controller.signal,
      onProgress: (copied) => copied > 3 * MiB && controller.abort(reason),
    });
    await expect(copying).rejects.toBe(reason);
    const left = await s3fs().listDir('hop/aborted', { recursive: true });
    const sizes = new Map(tree.map((file) => [`hop/aborted/${file.path.slice(2)}`, file.size]));
    for (const info of left.filter((i) => i.type === 'file')) expect(info.size).toBe(sizes.get(info.path));
    expect(await s3.pendingUploads('hop', 'aborted')).toEqual([]);
  });

  it('a copy onto the local disk that fails mid-file leaves the file that was there, whole, and no partial one', async () => {
    const target = join(dir, 'kept');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'file-6.bin'), 'precious');
    // A source whose file breaks after 1 MiB (a store failing mid-body).
    const breaking = new (class extends LocalFileSystem {
      override async openInputStream() {
        const failing = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(1024 * 1024));
            controller.error(new Error('the store failed mid-body'));
          },
        });
        return fromReadableStream(failing) as never;
      }
    })();
    await expect(
      copyFiles(breaking, join(dir, 'source', 'a/b/file-6.bin'), new LocalFileSystem(), join(target, 'file-6.bin')),
    ).rejects.toThrow('mid-body');
    expect(readFileSync(join(target, 'file-6.bin'), 'utf8')).toBe('precious');
    expect(readdirSync(target)).toEqual(['file-6.bin']);
  });
});
