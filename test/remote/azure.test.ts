import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError, IOError, UnsupportedOperationError } from '../../src/errors.js';
import type { AzureAccountOptions } from '../../src/fs/azure/azure-client.js';
import { AzureFileSystem, type AzureTransferOptions } from '../../src/fs/azure/azure-file-system.js';
import { expectedChecks, fileSystemChecks, STORE_TRAITS } from '../fs/filesystem-checks.js';
import { decode, encode, randomBytes } from '../helpers.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { isPutBlock, recordingFetch, sdkClient } from './azure-helpers.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;

/** The blob names of a container as the SDK lists them, uncommitted blobs included. */
async function sdkNames(server: AzuriteServer, container: string, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  const listing = sdkClient(server.endpoint)
    .getContainerClient(container)
    .listBlobsFlat({ prefix, includeUncommitedBlobs: true });
  for await (const blob of listing) names.push(blob.name);
  return names.sort();
}

describe('AzureFileSystem against Azurite', () => {
  let server: AzuriteServer;
  const fsWith = (options: Partial<AzureAccountOptions> & AzureTransferOptions & { accountKey?: string } = {}) =>
    new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      endpoint: server.endpoint,
      blockSize: MiB,
      ...options,
    });

  beforeAll(async () => {
    server = await startAzurite();
    const sdk = sdkClient(server.endpoint);
    await Promise.all(['data', 'other'].map((name) => sdk.getContainerClient(name).create()));
  }, 60_000);
  afterAll(async () => server?.stop());

  it('behaves as the other filesystems: the shared checks, with directories that cannot move', async () => {
    const fs = fsWith();
    await fs.createDir('data/checks');
    expect(await fileSystemChecks(fs, 'data/checks')).toEqual(expectedChecks(STORE_TRAITS.azure));
  });

  it('writes blocks the SDK reads byte-exact, and reads byte-exact what the SDK wrote', async () => {
    const fs = fsWith();
    const ours = randomBytes(3 * MiB + 12_345, 7);
    const out = await fs.openOutputStream('data/interop/ours.bin');
    for (let i = 0; i < ours.byteLength; i += 300_000) await out.write(ours.subarray(i, i + 300_000));
    await out.close();
    const blob = sdkClient(server.endpoint).getContainerClient('data').getBlockBlobClient('interop/ours.bin');
    expectBytes(new Uint8Array(await blob.downloadToBuffer()), ours);
    const blocks = await blob.getBlockList('committed');
    expect(blocks.committedBlocks?.map((b) => b.size)).toEqual([MiB, MiB, MiB, 12_345]);

    const theirs = randomBytes(5 * MiB + 7, 8);
    const sdkBlob = sdkClient(server.endpoint).getContainerClient('data').getBlockBlobClient('interop/theirs.bin');
    await sdkBlob.uploadData(theirs, { blockSize: 2 * MiB, maxSingleShotSize: MiB });
    await using file = await fs.openInputFile('data/interop/theirs.bin');
    expect(await file.size()).toBe(theirs.byteLength);
    expectBytes(await file.readAt(MiB - 3, 2 * MiB), theirs.subarray(MiB - 3, 3 * MiB - 3));
    const ranges = await file.readRanges([
      { offset: 0, length: 10 },
      { offset: 4 * MiB, length: MiB + 7 },
      { offset: 100, length: 50 },
    ]);
    expectBytes(ranges[0]!, theirs.subarray(0, 10));
    expectBytes(ranges[1]!, theirs.subarray(4 * MiB));
    expectBytes(ranges[2]!, theirs.subarray(100, 150));
    expectBytes(await file.read(), theirs);
  });

  it('keeps names with spaces, unicode and URL characters as they are, both ways', async () => {
    const fs = fsWith();
    const name = 'names/dir with space/ünïcødé 文件 #?&+%=;.txt';
    const out = await fs.openOutputStream(`data/${name}`);
    await out.write(encode('ours'));
    await out.close();
    const container = sdkClient(server.endpoint).getContainerClient('data');
    expect(await sdkNames(server, 'data', 'names/')).toEqual([name]);
    expect((await container.getBlobClient(name).downloadToBuffer()).toString()).toBe('ours');
    await container.getBlockBlobClient('names/dir with space/théirs ☃.txt').upload('theirs', 6);
    const listed = await fs.listDir('data/names/dir with space');
    expect(listed.map((i) => i.path).sort()).toEqual([`data/names/dir with space/théirs ☃.txt`, `data/${name}`]);
    await using file = await fs.openInputFile('data/names/dir with space/théirs ☃.txt');
    expect(decode(await file.read())).toBe('theirs');
  });

  it('stages blocks while writing and commits them on close: nothing is visible before', async () => {
    const recorder = recordingFetch();
    const fs = fsWith({ fetch: recorder.fetch });
    const out = await fs.openOutputStream('data/staged.bin');
    await out.write(randomBytes(2 * MiB + 5, 3));
    await out.flush();
    expect(recorder.requests.filter(isPutBlock)).toHaveLength(2);
    expect((await fs.getFileInfo('data/staged.bin')).type).toBe('not-found');
    await out.close();
    expect(await fs.getFileInfo('data/staged.bin')).toMatchObject({ type: 'file', size: 2 * MiB + 5 });
    expect(recorder.requests.filter((r) => r.url.searchParams.get('comp') === 'blocklist')).toHaveLength(1);
  });

  it('keeps at most uploadConcurrency blocks in flight, so memory stays at (concurrency + 1) blocks', async () => {
    const recorder = recordingFetch({ delay: (r) => (isPutBlock(r) ? 30 : 0) });
    const fs = fsWith({ fetch: recorder.fetch, uploadConcurrency: 3 });
    const data = randomBytes(12 * MiB, 4);
    const out = await fs.openOutputStream('data/bounded.bin');
    for (let i = 0; i < data.byteLength; i += 256 * 1024) await out.write(data.subarray(i, i + 256 * 1024));
    await out.close();
    expect(recorder.requests.filter(isPutBlock)).toHaveLength(12);
    expect(recorder.peak(isPutBlock)).toBe(3);
    await using file = await fs.openInputFile('data/bounded.bin');
    expectBytes(await file.read(), data);
  });

  it('abort() leaves nothing: no blob, no uncommitted blocks listed; a replaced blob stays as it was', async () => {
    const fs = fsWith();
    const out = await fs.openOutputStream('data/aborted/new.bin');
    await out.write(randomBytes(3 * MiB, 5));
    await out.flush();
    expect(await sdkNames(server, 'data', 'aborted/')).toEqual(['aborted/new.bin']);
    await out.abort();
    expect(out.closed).toBe(true);
    expect(await sdkNames(server, 'data', 'aborted/')).toEqual([]);

    const original = await fs.openOutputStream('data/aborted/kept.bin');
    await original.write(encode('original'));
    await original.close();
    const replacing = await fs.openOutputStream('data/aborted/kept.bin');
    await replacing.write(randomBytes(2 * MiB, 6));
    await replacing.abort();
    await using file = await fs.openInputFile('data/aborted/kept.bin');
    expect(decode(await file.read())).toBe('original');
  });

  it('a block refused once (503) is sent again; one refused for good fails close() and leaves nothing', async () => {
    let refusals = 0;
    const busy = recordingFetch({
      answer: (r) =>
        isPutBlock(r) && refusals++ === 0 ? new Response('', { status: 503, headers: { 'retry-after': '0' } }) : undefined,
    });
    const data = randomBytes(2 * MiB, 12);
    const out = await fsWith({ fetch: busy.fetch }).openOutputStream('data/retried.bin');
    await out.write(data);
    await out.close();
    expect(busy.requests.filter(isPutBlock)).toHaveLength(3);
    await using file = await fsWith().openInputFile('data/retried.bin');
    expectBytes(await file.read(), data);

    const refusing = recordingFetch({
      answer: (r) =>
        isPutBlock(r) && atob(r.url.searchParams.get('blockid')!).endsWith('00000001')
          ? new Response('<Error><Code>InvalidBlobOrBlock</Code><Message>refused on purpose</Message></Error>', { status: 400 })
          : undefined,
    });
    const failing = await fsWith({ fetch: refusing.fetch }).openOutputStream('data/refused/x.bin');
    const failure = await (async () => {
      for (let i = 0; i < 4; i++) await failing.write(randomBytes(MiB, i));
      await failing.close();
    })().catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'IOError', code: 'EINVAL', message: expect.stringContaining('refused on purpose') });
    await failing.abort().catch(() => {});
    expect(await sdkNames(server, 'data', 'refused/')).toEqual([]);
  });

  it('a blob replaced while open fails the next read with ESTALE', async () => {
    const fs = fsWith({ readAhead: 0 });
    const blob = sdkClient(server.endpoint).getContainerClient('data').getBlockBlobClient('stale.bin');
    await blob.uploadData(randomBytes(64 * 1024, 1));
    await using file = await fs.openInputFile('data/stale.bin');
    expect((await file.readAt(0, 10)).byteLength).toBe(10);
    await blob.uploadData(randomBytes(64 * 1024, 2));
    await expect(file.readAt(100, 10)).rejects.toMatchObject({ name: 'IOError', code: 'ESTALE' });
  });

  it('a wrong account key is IOError EACCES', async () => {
    const fs = fsWith({ accountKey: btoa('not the key of this account, 64 bytes long like real ones......') });
    const error = await fs.getFileInfo('data/staged.bin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect(error).toMatchObject({ code: 'EACCES' });
    // Azure says AuthenticationFailed, Azurite AuthorizationFailure: the message names the code.
    await expect(fs.listDir('data')).rejects.toMatchObject({ code: 'EACCES', message: expect.stringMatching(/^Auth\w+Fail/) });
  });

  it('lists page by page (NextMarker) with a small page size', async () => {
    const fs = fsWith();
    for (let i = 0; i < 7; i++) {
      const out = await fs.openOutputStream(`data/paged/f${i}.txt`);
      await out.write(encode(String(i)));
      await out.close();
    }
    await fs.createDir('data/paged/sub');
    const recorder = recordingFetch();
    const paged = fsWith({ fetch: recorder.fetch, listPageSize: 2 });
    const listed = await paged.listDir('data/paged');
    expect(listed.map((i) => `${i.path}:${i.type}`).sort()).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `data/paged/f${i}.txt:file`),
      'data/paged/sub:directory',
    ]);
    const lists = recorder.requests.filter((r) => r.url.searchParams.get('comp') === 'list');
    expect(lists.length).toBe(4);
    expect(lists.slice(1).every((r) => r.url.searchParams.has('marker'))).toBe(true);
    expect(await paged.listDir('data/paged', { recursive: true })).toHaveLength(8);
  });

  it('makes directories as pyarrow does: a marker blob per missing level, kept when the last file goes', async () => {
    const fs = fsWith();
    await fs.createDir('data/marked/a/b');
    expect(await sdkNames(server, 'data', 'marked/')).toEqual(['marked/', 'marked/a/', 'marked/a/b/']);
    const props = await sdkClient(server.endpoint).getContainerClient('data').getBlobClient('marked/a/b/').getProperties();
    expect(props.metadata).toEqual({ is_directory: 'true' });
    await fs.createDir('data/marked/a/b', { recursive: false });
    await expect(fs.createDir('data/marked/x/y', { recursive: false })).rejects.toBeInstanceOf(FileNotFoundError);

    const out = await fs.openOutputStream('data/implied/only.txt');
    await out.close();
    expect(await sdkNames(server, 'data', 'implied')).toEqual(['implied/only.txt']);
    await fs.deleteFile('data/implied/only.txt');
    expect((await fs.getFileInfo('data/implied')).type).toBe('directory');
    expect(await fs.listDir('data/implied')).toEqual([]);
    await expect(fs.openOutputStream('data/implied')).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('deleteDirContents empties a directory and keeps it; missingDirOk allows a missing one', async () => {
    const fs = fsWith();
    for (const name of ['a.txt', 'sub/b.txt', 'sub/deep/c.txt'])
      await (await fs.openOutputStream(`data/emptied/${name}`)).close();
    await fs.deleteDirContents('data/emptied');
    expect((await fs.getFileInfo('data/emptied')).type).toBe('directory');
    expect(await fs.listDir('data/emptied', { recursive: true })).toEqual([]);
    await expect(fs.deleteDirContents('data/nothing-here')).rejects.toBeInstanceOf(FileNotFoundError);
    await fs.deleteDirContents('data/nothing-here', { missingDirOk: true });
    await expect(fs.deleteDirContents('data/staged.bin')).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('moves blobs server-side, across containers and over an existing blob', async () => {
    const recorder = recordingFetch();
    const fs = fsWith({ fetch: recorder.fetch });
    const data = randomBytes(MiB + 1, 9);
    const out = await fs.openOutputStream('data/moving/one.bin');
    await out.write(data);
    await out.close();
    await (await fs.openOutputStream('other/landing.bin')).close();
    const before = recorder.requests.length;
    await fs.move('data/moving/one.bin', 'other/landing.bin');
    // No GET of the bytes: Copy Blob copies them inside the service.
    expect(recorder.requests.slice(before).some((r) => r.method === 'GET' && !r.url.searchParams.has('comp'))).toBe(false);
    expect((await fs.getFileInfo('data/moving/one.bin')).type).toBe('not-found');
    expect((await fs.getFileInfo('data/moving')).type).toBe('directory');
    await using moved = await fs.openInputFile('other/landing.bin');
    expectBytes(await moved.read(), data);
    await expect(fs.move('data/moving', 'data/moved')).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(fs.move('data/nothing.bin', 'data/x.bin')).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('rejects empty, . and .. segments before sending anything', async () => {
    const recorder = recordingFetch();
    const fs = fsWith({ fetch: recorder.fetch });
    for (const path of ['data/a/../b', 'data//b', 'data/./b', '../data/b']) {
      await expect(fs.getFileInfo(path)).rejects.toBeInstanceOf(RangeError);
      await expect(fs.openOutputStream(path)).rejects.toBeInstanceOf(RangeError);
      await expect(fs.deleteDir(path)).rejects.toBeInstanceOf(RangeError);
    }
    await expect(fs.move('data/ok', 'data/x/..')).rejects.toBeInstanceOf(RangeError);
    expect(recorder.requests).toEqual([]);
  });

  it('containers are the top-level directories', async () => {
    const fs = fsWith();
    await fs.createDir('made-here');
    expect((await fs.listDir('')).map((i) => i.path)).toEqual(expect.arrayContaining(['data', 'other', 'made-here']));
    expect((await fs.getFileInfo('made-here')).type).toBe('directory');
    await fs.deleteDir('made-here');
    expect((await fs.getFileInfo('made-here')).type).toBe('not-found');
    await expect(fs.openOutputStream('no-such-container/x.bin')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(fs.createDir('later/x/y', { recursive: false })).rejects.toBeInstanceOf(FileNotFoundError);
    await fs.createDir('later/x/y');
    expect(await sdkNames(server, 'later')).toEqual(['x/', 'x/y/']);
    await expect(fs.deleteDir('')).rejects.toMatchObject({ code: 'EACCES' });
  });
});
