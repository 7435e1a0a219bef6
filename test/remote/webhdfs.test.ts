import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileNotFoundError, IOError } from '../../src/errors.js';
import { HadoopFileSystem } from '../../src/fs/hadoop/hadoop-file-system.js';
import { HdfsFile } from '../../src/fs/hadoop/hdfs-file.js';
import { randomBytes } from '../helpers.js';
import { startWebHdfs, type WebHdfsServer } from '../servers/webhdfs.js';
import { expectBytes } from './expect-bytes.js';

// Against a WebHDFS protocol fake (test/servers/webhdfs.ts): no HDFS can run here.

describe('HadoopFileSystem over WebHDFS (protocol fake)', () => {
  let server: WebHdfsServer;
  let hdfs: HadoopFileSystem;
  beforeAll(async () => {
    server = await startWebHdfs();
    hdfs = new HadoopFileSystem({ url: server.url, user: 'alice', bufferSize: 1024 * 1024, retry: { retries: 1, baseDelay: 1 } });
  });
  afterAll(async () => server?.stop());
  beforeEach(() => {
    server.log.length = 0;
  });

  it('writes with a two-step CREATE (noredirect) then APPENDs, and reads ranges back through the DataNode', async () => {
    const data = randomBytes(2_500_000, 21);
    const out = await hdfs.openOutputStream('/user/alice/data.bin');
    for (let i = 0; i < data.byteLength; i += 500_000) await out.write(data.subarray(i, i + 500_000));
    await out.close();
    const writes = server.log.filter((l) => /op=(CREATE|APPEND)/.test(l));
    expect(writes[0]).toMatch(
      /^NN PUT \/webhdfs\/v1\/user\/alice\/data\.bin\?op=CREATE&user\.name=alice&overwrite=true&noredirect=true$/,
    );
    expect(writes[1]).toMatch(/^DN PUT .*op=CREATE/);
    expect(writes.some((l) => l.startsWith('NN POST') && l.includes('op=APPEND'))).toBe(true);

    server.log.length = 0;
    await using file = await hdfs.openInputFile('/user/alice/data.bin');
    expect(file).toBeInstanceOf(HdfsFile);
    expect(await file.size()).toBe(data.byteLength);
    expectBytes(await file.readAt(1_000_000, 300_000), data.subarray(1_000_000, 1_300_000));
    const parts = await file.readRanges([
      { offset: 10, length: 10 },
      { offset: 30, length: 10 },
      { offset: 2_000_000, length: 5 },
    ]);
    expectBytes(parts[1]!, data.subarray(30, 40));
    expectBytes(parts[2]!, data.subarray(2_000_000, 2_000_005));
    expect(
      server.log.filter((l) => l.startsWith('NN GET') && l.includes('op=OPEN')).map((l) => /offset=\d+&length=\d+/.exec(l)?.[0]),
    ).toEqual(['offset=1000000&length=300000', 'offset=10&length=30', 'offset=2000000&length=5']);
    expect(server.log.filter((l) => l.startsWith('DN GET'))).toHaveLength(3);
    expectBytes(await file.read(), data);
  });

  it('appends to an existing file', async () => {
    const out = await hdfs.openOutputStream('/user/alice/log.txt');
    await out.write(new TextEncoder().encode('one\n'));
    await out.close();
    const more = await hdfs.openAppendStream('/user/alice/log.txt');
    await more.write(new TextEncoder().encode('two\n'));
    await more.close();
    await using file = await hdfs.openInputFile('/user/alice/log.txt');
    expect(new TextDecoder().decode(await file.read())).toBe('one\ntwo\n');
  });

  it('reports file info, lists directories and walks them recursively', async () => {
    await hdfs.createDir('/tree/sub/deep');
    for (const path of ['/tree/a.txt', '/tree/sub/b.txt', '/tree/sub/deep/c.txt']) {
      const out = await hdfs.openOutputStream(path);
      await out.write(new TextEncoder().encode(path));
      await out.close();
    }
    expect(await hdfs.getFileInfo('/tree/a.txt')).toMatchObject({ path: '/tree/a.txt', type: 'file', size: 11 });
    expect((await hdfs.getFileInfo('/tree/a.txt')).mtime).toBeInstanceOf(Date);
    expect(await hdfs.getFileInfo('/tree/sub')).toMatchObject({ type: 'directory' });
    expect(await hdfs.getFileInfo('/tree/none')).toEqual({ path: '/tree/none', type: 'not-found' });
    expect((await hdfs.listDir('/tree')).map((i) => [i.path, i.type])).toEqual([
      ['/tree/a.txt', 'file'],
      ['/tree/sub', 'directory'],
    ]);
    expect((await hdfs.listDir('/tree', { recursive: true })).map((i) => i.path).sort()).toEqual([
      '/tree/a.txt',
      '/tree/sub',
      '/tree/sub/b.txt',
      '/tree/sub/deep',
      '/tree/sub/deep/c.txt',
    ]);
    await expect(hdfs.listDir('/tree/a.txt')).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(hdfs.listDir('/nothing')).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('moves and deletes, with pyarrow errors for missing paths', async () => {
    const out = await hdfs.openOutputStream('/m/x.bin');
    await out.close();
    await hdfs.move('/m/x.bin', '/m/y.bin');
    expect((await hdfs.getFileInfo('/m/x.bin')).type).toBe('not-found');
    expect((await hdfs.getFileInfo('/m/y.bin')).size).toBe(0);
    await expect(hdfs.move('/m/gone', '/m/z')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(hdfs.deleteFile('/m')).rejects.toMatchObject({ code: 'EISDIR' });
    await hdfs.deleteFile('/m/y.bin');
    await expect(hdfs.deleteFile('/m/y.bin')).rejects.toBeInstanceOf(FileNotFoundError);
    await hdfs.deleteDir('/m');
    expect((await hdfs.getFileInfo('/m')).type).toBe('not-found');
    await expect(hdfs.openInputFile('/m/y.bin')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(hdfs.createDir('/no/parent', { recursive: false })).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('maps RemoteException JSON: AccessControlException to EACCES, FileAlreadyExistsException to EEXIST', async () => {
    const error = await hdfs.getFileInfo('/private/secret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as IOError).code).toBe('EACCES');
    expect((error as Error).message).toMatch(/AccessControlException: Permission denied: user=alice/);
    const out = await hdfs.openOutputStream('/file-not-dir');
    await out.close();
    await expect(hdfs.createDir('/file-not-dir')).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('sends a delegation token instead of user.name when given one', async () => {
    const secure = new HadoopFileSystem({ url: server.url, delegationToken: 'TOKEN123' });
    expect((await secure.getFileInfo('/private')).type).toBe('not-found');
    expect(server.log.at(-1)).toContain('delegation=TOKEN123');
    expect(server.log.at(-1)).not.toContain('user.name');
  });

  it("refuses '..', '.' and empty segments before any request; deleteDir('/x/..') cannot reach the root", async () => {
    await hdfs.createDir('/user/bob');
    server.log.length = 0;
    for (const path of ['/x/..', '/user/bob/..', '/user/./bob', '/user//bob', 'user/bob/../..']) {
      await expect(hdfs.deleteDir(path), path).rejects.toThrow(RangeError);
      await expect(hdfs.deleteFile(path), path).rejects.toThrow(RangeError);
      await expect(hdfs.openOutputStream(path), path).rejects.toThrow(RangeError);
      await expect(hdfs.openInputFile(path), path).rejects.toThrow(RangeError);
      await expect(hdfs.getFileInfo(path), path).rejects.toThrow(RangeError);
      await expect(hdfs.listDir(path), path).rejects.toThrow(RangeError);
      await expect(hdfs.createDir(path), path).rejects.toThrow(RangeError);
      await expect(hdfs.move(path, '/user/b2'), path).rejects.toThrow(RangeError);
      await expect(hdfs.move('/user/bob', path), path).rejects.toThrow(RangeError);
    }
    expect(server.log).toEqual([]);
    expect((await hdfs.getFileInfo('/user/bob')).type).toBe('directory');
  });

  it('a failed flush fails the stream: close() rejects with that error and the bytes are not reported durable', async () => {
    const path = '/user/alice/failed-flush.txt';
    const out = await hdfs.openOutputStream(path);
    await out.write(new TextEncoder().encode('precious'));
    server.failDataNodeWrites(10);
    const flushed = await out.flush().catch((error: unknown) => error);
    expect(flushed).toBeInstanceOf(IOError);
    server.failDataNodeWrites(0);
    await expect(out.close()).rejects.toBe(flushed);
    expect(out.closed).toBe(true);
  });

  it('a failed append fails the stream as well: close() rejects, and the file keeps what it had', async () => {
    const path = '/user/alice/failed-append.txt';
    const first = await hdfs.openOutputStream(path);
    await first.write(new TextEncoder().encode('kept\n'));
    await first.close();
    const more = await hdfs.openAppendStream(path);
    await more.write(new TextEncoder().encode('lost\n'));
    server.failDataNodeWrites(10);
    await expect(more.flush()).rejects.toBeInstanceOf(IOError);
    server.failDataNodeWrites(0);
    await expect(more.write(new TextEncoder().encode('more\n'))).rejects.toBeInstanceOf(IOError);
    await expect(more.close()).rejects.toBeInstanceOf(IOError);
    await using file = await hdfs.openInputFile(path);
    expect(new TextDecoder().decode(await file.read())).toBe('kept\n');
  });
});

describe('HadoopFileSystem with a NameNode that ignores noredirect (Hadoop 2.7 and older)', () => {
  let server: WebHdfsServer;
  let hdfs: HadoopFileSystem;
  beforeAll(async () => {
    server = await startWebHdfs({ noredirect: false });
    hdfs = new HadoopFileSystem({ url: server.url, user: 'alice', retry: { retries: 1, baseDelay: 1 } });
  });
  afterAll(async () => server?.stop());

  it('sends the body to the redirect target itself: a file is replaced with its bytes, never emptied', async () => {
    const path = '/keep.txt';
    for (const text of ['precious', 'replaced']) {
      const out = await hdfs.openOutputStream(path);
      await out.write(new TextEncoder().encode(text));
      await out.close();
      await using file = await hdfs.openInputFile(path);
      expect(new TextDecoder().decode(await file.read())).toBe(text);
    }
    const more = await hdfs.openAppendStream(path);
    await more.write(new TextEncoder().encode('+more'));
    await more.close();
    await using file = await hdfs.openInputFile(path);
    expect(new TextDecoder().decode(await file.read())).toBe('replaced+more');
    // No data operation reached the DataNode without its body.
    const toDataNode = server.log.filter((line) => line.startsWith('DN PUT') || line.startsWith('DN POST'));
    expect(toDataNode).toHaveLength(3);
  });

  it('maps an answer that is not JSON to an IOError, not a SyntaxError', async () => {
    const broken = new HadoopFileSystem({
      url: server.url,
      fetch: async () => new Response('<html>proxy error</html>', { status: 200 }),
      retry: { retries: 0 },
    });
    await expect(broken.getFileInfo('/keep.txt')).rejects.toMatchObject({ name: 'IOError', code: 'EPROTO' });
  });
});
