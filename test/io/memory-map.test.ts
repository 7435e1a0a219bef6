import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  ClosedFileError,
  createMemoryMap,
  FileNotFoundError,
  IOError,
  memoryMap,
  MemoryMappedFile,
  UnsupportedOperationError,
} from '../../src/node.js';
import { decode, encode, largeSparseFile, randomBytes, tempFiles } from '../helpers.js';

const { dir, fresh, sampleFile } = tempFiles('mmap');

describe('memoryMap (PyArrow test_memory_map_*)', () => {
  test('passes the reader checks; seeking past the end throws', () => {
    const { path, data } = sampleFile();
    const f = memoryMap(path, 'r');
    expect(f).toBeInstanceOf(MemoryMappedFile);
    expect(f.readSync(10)).toEqual(data.subarray(0, 10));
    expect(f.readSync(0).byteLength).toBe(0);
    expect(f.tell()).toBe(10);
    expect(f.readSync()).toEqual(data.subarray(10));
    expect(f.sizeSync()).toBe(data.length);
    f.seek(0);
    expect(() => f.seek(data.length + 1)).toThrow(RangeError);
    expect(f.seek(3)).toBe(3);
    expect(f.seek(3, 1)).toBe(6);
    expect(f.seek(-2, 2)).toBe(data.length - 2);
    f.closeSync();
  });

  test('readBuffer is zero-copy, and buffers stay valid after close', () => {
    const { path, data } = sampleFile();
    const cases: Array<[ReturnType<MemoryMappedFile['readBufferSync']>, Uint8Array]> = [];
    {
      using f = memoryMap(path, 'rb');
      const first = f.readBufferSync(100);
      const second = f.readBufferSync(100);
      expect(second.view.buffer).toBe(first.view.buffer);
      expect(second.address).toBe(100);
      cases.push(
        [first, data.subarray(0, 100)],
        [second, data.subarray(100, 200)],
        [f.readBufferSync(100), data.subarray(200, 300)],
      );
    }
    (globalThis as { gc?: () => void }).gc?.();
    for (const [buffer, expected] of cases) expect(buffer.toBytes()).toEqual(expected);
  });

  test('writes land in the file and two maps see each other (test_memory_map_writer)', () => {
    const { path } = sampleFile();
    const f = memoryMap(path, 'r+b');
    f.seek(10);
    f.writeSync(encode('peekaboo'));
    expect(f.tell()).toBe(18);
    f.seek(10);
    expect(decode(f.readSync(8))).toBe('peekaboo');
    const f2 = memoryMap(path, 'r+b');
    f2.seek(10);
    f2.writeSync(encode('booapeak'));
    f.seek(10);
    expect(decode(f.readSync(8))).toBe('booapeak');
    // 'w' does not truncate, and is not readable.
    const f3 = memoryMap(path, 'w');
    f3.writeSync(encode('foo'));
    using f4 = memoryMap(path);
    expect(f4.sizeSync()).toBe(4096);
    expect(() => f3.readSync(5)).toThrow(UnsupportedOperationError);
    f.seek(0);
    expect(decode(f.readSync(3))).toBe('foo');
    f3.flushSync();
    expect(decode(readFileSync(path).subarray(0, 3))).toBe('foo');
    for (const m of [f, f2, f3]) m.closeSync();
  });

  test('writes cannot pass the end; resize grows the file (test_memory_map_resize)', () => {
    const data = randomBytes(4096, 99);
    const path = fresh();
    const m = createMemoryMap(path, 2048);
    m.writeSync(data.subarray(0, 2048));
    expect(() => m.writeSync(encode('x'))).toThrow(IOError);
    m.resize(4096);
    m.writeSync(data.subarray(2048));
    m.closeSync();
    expect(new Uint8Array(readFileSync(path))).toEqual(data);
  });

  test('resize below the position moves it back to the new end, as Arrow ResizeMap does', () => {
    using m = createMemoryMap(fresh(), 10);
    m.writeSync(encode('hello'));
    m.resize(3);
    expect(m.tell()).toBe(3);
    m.resize(0);
    expect(m.tell()).toBe(0);
    m.resize(8);
    m.seek(6);
    m.resize(7);
    expect(m.tell()).toBe(6);
  });

  test('reads after readline see bytes another map of the file wrote meanwhile', () => {
    const path = fresh();
    writeFileSync(path, 'line1\nline2\nline3\n');
    using reader = memoryMap(path, 'r');
    using writer = memoryMap(path, 'r+');
    expect(decode(reader.readlineSync())).toBe('line1\n');
    writer.writeAtSync(6, encode('LINE2'));
    expect(decode(reader.readlineSync())).toBe('LINE2\n');
  });

  test('modes (test_native_file_modes)', () => {
    const { path } = sampleFile();
    for (const [mode, canonical, readable, writable] of [
      ['r', 'rb', true, false],
      ['r+', 'rb+', true, true],
      ['r+b', 'rb+', true, true],
    ] as const) {
      using f = memoryMap(path, mode);
      expect([f.mode, f.readable(), f.writable(), f.seekable()]).toEqual([canonical, readable, writable, true]);
    }
  });

  test('an empty file maps (test_memory_zero_length)', () => {
    const path = fresh();
    writeFileSync(path, '');
    using m = memoryMap(path, 'r+b');
    expect(m.sizeSync()).toBe(0);
    expect(m.readBufferSync().size).toBe(0);
  });

  test('a closed map can be removed, and errors after close (test_memory_map_close_remove)', () => {
    const path = fresh();
    const m = createMemoryMap(path, 4096);
    m.closeSync();
    expect(m.closed).toBe(true);
    unlinkSync(path);
    expect(existsSync(path)).toBe(false);
    expect(() => m.tell()).toThrow(ClosedFileError);
    expect(() => m.sizeSync()).toThrow(ClosedFileError);
  });

  test('a missing file is FileNotFoundError', () => {
    expect(() => memoryMap(join(dir, 'non_existent_file'), 'rb')).toThrow(FileNotFoundError);
  });

  test("'w' and 'r+' create a missing file, empty, with the umask's permissions; 'r' does not", () => {
    for (const mode of ['w', 'r+'] as const) {
      const path = fresh();
      const m = memoryMap(path, mode);
      expect(statSync(path).size).toBe(0);
      expect(statSync(path).mode & 0o777).toBe(0o666 & ~process.umask());
      expect(m.sizeSync()).toBe(0);
      m.resize(5);
      m.writeSync(encode('hello'));
      m.closeSync();
      expect(decode(readFileSync(path))).toBe('hello');
    }
    const missing = fresh();
    expect(() => memoryMap(missing, 'r')).toThrow(FileNotFoundError);
    expect(existsSync(missing)).toBe(false);
  });

  test('a directory is IOError EISDIR at open', () => {
    const folder = fresh();
    mkdirSync(folder);
    for (const mode of ['r', 'r+', 'w'] as const) {
      expect(() => memoryMap(folder, mode)).toThrow(expect.objectContaining({ name: 'IOError', code: 'EISDIR' }));
    }
  });

  test('new files follow the umask', () => {
    const path = fresh();
    createMemoryMap(path, 10).closeSync();
    expect(statSync(path).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  test('maps files past 4 GiB in windows (test_memory_map_large_seeks)', () => {
    const path = largeSparseFile(dir);
    using f = memoryMap(path);
    expect(f.sizeSync()).toBe(2 ** 32 + 10);
    expect(f.seek(2 ** 32 + 5)).toBe(2 ** 32 + 5);
    const mark = f.readBufferSync(5);
    expect(decode(mark.view)).toBe('mark\n');
    expect(f.tell()).toBe(2 ** 32 + 10);
    expect(decode(f.readAtSync(2 ** 32 + 5, 5))).toBe('mark\n');
    unlinkSync(path);
  });
});

describe('without the addon', () => {
  test('memoryMap throws an IOError that says how to build it, and the rest works', async () => {
    const { cpSync, symlinkSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const copy = tempFiles('noaddon').dir;
    cpSync(new URL('../../dist', import.meta.url), join(copy, 'dist'), { recursive: true });
    symlinkSync(new URL('../../node_modules', import.meta.url), join(copy, 'node_modules'));
    const script = `
      const m = await import(${JSON.stringify(join(copy, 'dist/node.js'))});
      const reader = new m.BufferReader(new Uint8Array([1, 2, 3]));
      try { m.memoryMap('/etc/hostname'); console.log('mapped'); }
      catch (e) { console.log(JSON.stringify({ io: e instanceof m.IOError, code: e.code, message: e.message, read: reader.readSync().length })); }`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const result = JSON.parse(output);
    expect(result).toMatchObject({ io: true, code: 'ENOSYS', read: 3 });
    expect(result.message).toMatch(/npx node-gyp rebuild/);
  });
});
