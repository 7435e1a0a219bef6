import { closeSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  BufferedInputStream,
  ClosedFileError,
  defaultMemoryPool,
  FileNotFoundError,
  inputStream,
  JsFile,
  OSFile,
  outputStream,
  UnsupportedOperationError,
} from '../../src/node.js';
import { open } from 'node:fs/promises';
import { decode, encode, largeSparseFile, tempFiles } from '../helpers.js';

const { dir, fresh, sampleFile } = tempFiles('osfile');

describe('OSFile (PyArrow test_os_file_*)', () => {
  test('passes the native file reader checks', () => {
    const { path, data } = sampleFile();
    const f = new OSFile(path, 'r');
    expect(f.readSync(10)).toEqual(data.subarray(0, 10));
    expect(f.readSync(0).byteLength).toBe(0);
    expect(f.tell()).toBe(10);
    expect(f.readSync()).toEqual(data.subarray(10));
    expect(f.sizeSync()).toBe(data.length);
    f.seek(0);
    f.seek(data.length + 1);
    expect(f.tell()).toBe(data.length + 1);
    expect(f.readSync(5).byteLength).toBe(0);
    expect(f.seek(3)).toBe(3);
    expect(f.seek(3, 1)).toBe(6);
    expect(f.seek(-2, 2)).toBe(data.length - 2);
    f.closeSync();
  });

  test('readBuffer reads into pool memory and readInto into the caller memory', async () => {
    const { path, data } = sampleFile();
    const f = new OSFile(path);
    const buffer = f.readBufferSync(1000);
    expect(buffer.equals(data.subarray(0, 1000))).toBe(true);
    expect(buffer.address % 64).toBe(0);
    const into = new Uint8Array(100);
    expect(await f.readInto(into)).toBe(100);
    expect(into).toEqual(data.subarray(1000, 1100));
    expect(await f.readAt(4000, 200)).toEqual(data.subarray(4000));
  });

  test('w truncates, a appends, and neither is readable or seekable', () => {
    const { path } = sampleFile();
    const f2 = new OSFile(path, 'w');
    f2.writeSync(encode('foo'));
    const f3 = new OSFile(path);
    expect(f3.sizeSync()).toBe(3);
    f3.closeSync();
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => f2.readSync(5)).toThrow(UnsupportedOperationError);
    f2.closeSync();
    const f4 = new OSFile(path, 'ab');
    f4.writeSync(encode('bar'));
    f4.closeSync();
    expect(readFileSync(path, 'utf8')).toBe('foobar');
  });

  test('modes (test_native_file_modes)', () => {
    const { path } = sampleFile();
    const cases: Array<[string, string, boolean, boolean, boolean]> = [
      ['r', 'rb', true, false, true],
      ['rb', 'rb', true, false, true],
      ['w', 'wb', false, true, false],
      ['wb', 'wb', false, true, false],
      ['ab', 'ab', false, true, false],
      ['a', 'ab', false, true, false],
    ];
    for (const [mode, canonical, readable, writable, seekable] of cases) {
      using f = new OSFile(path, mode as never);
      expect([f.mode, f.readable(), f.writable(), f.seekable()]).toEqual([canonical, readable, writable, seekable]);
    }
    expect(() => new OSFile(path, 'x' as never)).toThrow(RangeError);
  });

  test('new files follow the umask (test_native_file_permissions)', () => {
    const umask = process.umask();
    const path = fresh();
    new OSFile(path, 'w').closeSync();
    expect(statSync(path).mode & 0o777).toBe(0o666 & ~umask);
  });

  test('every method throws ClosedFileError after close', () => {
    const { path } = sampleFile();
    const f = new OSFile(path);
    f.closeSync();
    expect(f.closed).toBe(true);
    for (const call of [
      () => f.tell(),
      () => f.seek(0),
      () => f.sizeSync(),
      // @ts-expect-error misuse the types forbid; the run-time check is what is tested
      () => f.flushSync(),
      () => f.readable(),
      () => f.writable(),
      () => f.seekable(),
    ]) {
      expect(call).toThrow(ClosedFileError);
    }
  });

  test('a missing file is FileNotFoundError with code ENOENT', () => {
    expect(() => new OSFile(join(dir, 'non_existent_file'))).toThrow(FileNotFoundError);
    try {
      new OSFile(join(dir, 'non_existent_file'));
    } catch (error) {
      expect((error as FileNotFoundError).code).toBe('ENOENT');
    }
  });

  test('a directory is IOError EISDIR at open, sync and async, in every mode, leaking no descriptor', async () => {
    const folder = fresh();
    mkdirSync(folder);
    const descriptors = () => readdirSync('/proc/self/fd').length;
    const before = descriptors();
    for (const mode of ['r', 'rb', 'w', 'a'] as const) {
      expect(() => new OSFile(folder, mode)).toThrow(expect.objectContaining({ name: 'IOError', code: 'EISDIR' }));
      await expect(OSFile.open(folder, mode as 'r')).rejects.toThrow(
        expect.objectContaining({ name: 'IOError', code: 'EISDIR', message: expect.stringContaining(folder) }),
      );
    }
    expect(descriptors()).toBe(before);
  });

  test('reads past 4 GiB in a sparse file', () => {
    const path = largeSparseFile(dir);
    using f = new OSFile(path);
    expect(f.sizeSync()).toBe(2 ** 32 + 10);
    expect(f.seek(2 ** 32 + 5)).toBe(2 ** 32 + 5);
    expect(decode(f.readSync(5))).toBe('mark\n');
    expect(f.tell()).toBe(2 ** 32 + 10);
    unlinkSync(path);
  });

  test('read1 does not read to the end (test_native_file_read1)', () => {
    const path = fresh();
    writeFileSync(path, '123\n'.repeat(1_000_000));
    using f = new OSFile(path);
    expect(f.read1Sync().byteLength).toBeLessThan(4_000_000);
    expect(f.read1Sync(30_000).byteLength).toBe(30_000);
  });

  test('a Node FileHandle works through JsFile', async () => {
    const { path, data } = sampleFile();
    const f = new JsFile(await open(path));
    expect(await f.readAt(100, 10)).toEqual(data.subarray(100, 110));
    await f.close();
  });
});

describe('inputStream and outputStream with paths (PyArrow input_stream/output_stream)', () => {
  const text = encode('some test data\n'.repeat(10) + 'eof\n');

  test('open OS files; bufferSize 0 gives the OSFile itself', async () => {
    const path = fresh();
    const out = outputStream(path);
    expect(out).toBeInstanceOf(OSFile);
    await out.write(text);
    await out.close();
    expect(await inputStream(path).read()).toEqual(text);
    expect(inputStream(path, { bufferSize: 32 })).toBeInstanceOf(BufferedInputStream);
    expect(() => inputStream(path, { bufferSize: -1 })).toThrow(RangeError);
    expect(() => inputStream(join(dir, 'missing'))).toThrow(FileNotFoundError);
  });

  test('detect gzip from .gz, unless compression is null', async () => {
    const path = `${fresh()}.gz`;
    const out = outputStream(path, { bufferSize: 64 });
    await out.write(text);
    await out.close();
    expect(gunzipSync(readFileSync(path))).toEqual(Buffer.from(text));
    expect(await inputStream(path).read()).toEqual(text);
    expect(await inputStream(path, { compression: null }).read()).toEqual(new Uint8Array(readFileSync(path)));
  });

  test('options a stream refuses are refused before the path is opened: the file kept, no descriptor left', () => {
    const path = `${fresh()}.gz`;
    writeFileSync(path, 'precious');
    const descriptors = () => readdirSync('/proc/self/fd').length;
    const before = descriptors();
    for (let i = 0; i < 20; i++) {
      expect(() => outputStream(path, { compression: 'gzip', level: 99 })).toThrow(RangeError);
      expect(() => outputStream(path, { compression: 'snappy' })).toThrow(/snappy/);
      expect(() => inputStream(path, { compression: 'snappy' })).toThrow(/snappy/);
      expect(() => inputStream(path, { maxOutputBytes: -1 })).toThrow(RangeError);
    }
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(descriptors() - before).toBeLessThan(5);
  });
});

describe('OSFile reads into pool memory', () => {
  test('readBuffer, sync and async, and through a BufferedInputStream, land in the default pool', async () => {
    const { path } = tempFiles('os-pool').sampleFile();
    const pool = defaultMemoryPool();
    using file = new OSFile(path);
    for (const buffer of [
      file.readBufferSync(100),
      await file.readBuffer(100),
      await new BufferedInputStream(new OSFile(path), 64).readBuffer(100),
    ]) {
      expect(buffer.size).toBe(100);
      expect(pool.bytesAllocated()).toBeGreaterThan(0);
      // Pool memory: a view into the pool's large memory, not 100 bytes wrapped on their own.
      expect(buffer.view.buffer.byteLength).toBeGreaterThan(100);
      buffer.release();
    }
  });

  test('readBufferSync gives what readSync gives: across the end, at the end, after readline; no pool memory stays behind', () => {
    const { path, data } = sampleFile();
    data.set(encode('line one\n'), 2000);
    writeFileSync(path, data);
    const pool = defaultMemoryPool();
    const before = pool.bytesAllocated();
    using file = new OSFile(path);
    using twin = new OSFile(path);
    const reads = [1000, 1000, 0, 1000, 1000, 1000, 1000, 1000];
    for (const [i, n] of reads.entries()) {
      if (i === 2) expect(decode(file.readlineSync())).toBe(decode(twin.readlineSync()));
      const buffer = file.readBufferSync(n);
      expect(buffer.toBytes()).toEqual(twin.readSync(n));
      expect(file.tell()).toBe(twin.tell());
      buffer.release();
    }
    expect(file.tell()).toBe(data.byteLength);
    expect(pool.bytesAllocated()).toBe(before);
  });

  test('readBuffer calls made at once, after a readline, read in call order what read would', async () => {
    const { path, data } = sampleFile();
    data.set(encode('line one\n'), 0);
    writeFileSync(path, data);
    const pool = defaultMemoryPool();
    const before = pool.bytesAllocated();
    await using file = await OSFile.open(path);
    // Not awaited one by one: each starts after the one before it, the line's look-ahead included.
    const [line, ...buffers] = await Promise.all([
      file.readline(),
      file.readBuffer(1000),
      file.readBuffer(4000),
      file.readBuffer(10),
    ]);
    expect(decode(line)).toBe('line one\n');
    expect(buffers.map((buffer) => buffer.size)).toEqual([1000, data.byteLength - 1009, 0]);
    expect(buffers[0]!.toBytes()).toEqual(data.subarray(9, 1009));
    expect(buffers[1]!.toBytes()).toEqual(data.subarray(1009));
    for (const buffer of buffers) buffer.release();
    expect(pool.bytesAllocated()).toBe(before);
    await expect(file.readBuffer(-1)).rejects.toThrow(RangeError);
  });

  test('a synchronous call right after an awaited async one is not refused as concurrent', async () => {
    const { path, data } = sampleFile();
    await using file = await OSFile.open(path);
    const first = await file.readBuffer(10);
    const second = file.readBufferSync(10);
    await file.readInto(new Uint8Array(10));
    const fourth = file.readSync(10);
    expect([first.toBytes(), second.toBytes(), fourth]).toEqual([
      data.subarray(0, 10),
      data.subarray(10, 20),
      data.subarray(30, 40),
    ]);
  });

  test('a failed readBuffer rejects with the IOError and gives its pool memory back', async () => {
    const { path } = sampleFile();
    const pool = defaultMemoryPool();
    const file = await OSFile.open(path);
    const before = pool.bytesAllocated();
    closeSync(file.fd);
    await expect(file.readBuffer(1000)).rejects.toThrow(expect.objectContaining({ name: 'IOError', code: 'EBADF' }));
    expect(pool.bytesAllocated()).toBe(before);
    await expect(file.close()).rejects.toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  test('a failed readBufferSync throws the IOError and gives its pool memory back', () => {
    const { path } = sampleFile();
    const pool = defaultMemoryPool();
    const file = new OSFile(path);
    const before = pool.bytesAllocated();
    // The descriptor closed behind the file's back: the read fails with EBADF.
    closeSync(file.fd);
    expect(() => file.readBufferSync(1000)).toThrow(expect.objectContaining({ name: 'IOError', code: 'EBADF' }));
    expect(pool.bytesAllocated()).toBe(before);
    // Closing now finds the descriptor gone (and no finalizer closes its number later).
    expect(() => file.closeSync()).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });
});
