import { describe, expect, test } from 'vitest';
import { Buffer, BufferReader, ClosedFileError, UnsupportedOperationError } from '../../src/index.js';
import { decode, encode } from '../helpers.js';

describe('BufferReader', () => {
  test('reads, seeks and tells like a BytesIO (PyArrow test_bytes_reader)', () => {
    const data = encode('some sample data');
    const f = new BufferReader(data);
    expect(f.tell()).toBe(0);
    expect(f.sizeSync()).toBe(data.length);
    expect(decode(f.readSync(4))).toBe('some');
    expect(f.tell()).toBe(4);
    f.seek(0);
    expect(f.tell()).toBe(0);
    f.seek(0, 2);
    expect(f.tell()).toBe(data.length);
    f.seek(5);
    expect(f.tell()).toBe(5);
    expect(decode(f.readSync(50))).toBe('sample data');
    expect(f.closed).toBe(false);
    f.closeSync();
    expect(f.closed).toBe(true);
  });

  test('passes the native file reader checks (PyArrow _check_native_file_reader)', async () => {
    const data = crypto.getRandomValues(new Uint8Array(4096));
    const f = new BufferReader(data);
    expect(f.mode).toBe('rb');
    expect(await f.read(10)).toEqual(data.subarray(0, 10));
    expect(await f.read(0)).toEqual(new Uint8Array(0));
    expect(f.tell()).toBe(10);
    expect(await f.read()).toEqual(data.subarray(10));
    expect(await f.size()).toBe(data.length);
    f.seek(0);
    expect(f.tell()).toBe(0);
    expect(f.seek(3)).toBe(3);
    expect(f.seek(3, 1)).toBe(6);
    expect(f.seek(-2, 2)).toBe(data.length - 2);
    expect(() => f.seek(data.length + 1)).toThrow(/past the end of BufferReader \(4096 bytes\)/);
    expect(() => f.seek(-1)).toThrow(RangeError);
    expect(() => f.seek(0, 3 as never)).toThrow(/whence must be 0, 1 or 2, got 3/);
    expect(f.tell()).toBe(data.length - 2);
  });

  test('readBuffer is zero-copy and keeps the parent', () => {
    const source = Buffer.wrap(encode('0123456789'));
    const f = new BufferReader(source);
    f.seek(2);
    const buf = f.readBufferSync(3);
    expect(decode(buf.view)).toBe('234');
    expect(buf.parent).toBe(source);
    expect(buf.view.buffer).toBe(source.view.buffer);
    expect(f.tell()).toBe(5);
    expect(decode(f.readBufferSync().view)).toBe('56789');
    expect(f.readBufferSync(10).size).toBe(0);
  });

  test('readAt does not move the position; reads past the end are short or empty', async () => {
    const f = new BufferReader(encode('some sample data'));
    expect(decode(f.readAtSync(3, 5))).toBe('e sam');
    expect(decode(await f.readAt(0, 50))).toBe('some sample data');
    expect(f.readAtSync(100, 5).byteLength).toBe(0);
    expect(f.tell()).toBe(0);
    expect(() => f.readAtSync(-1, 5)).toThrow(RangeError);
    expect(() => f.readAtSync(0, NaN)).toThrow(/n must be a safe integer, got NaN/);
  });

  test('readInto fills the view and returns the count', async () => {
    const f = new BufferReader(encode('some sample data longer than 10'));
    const target = new Uint8Array(10);
    expect(f.readIntoSync(target)).toBe(10);
    expect(decode(target)).toBe('some sampl');
    const wide = new Uint16Array(20);
    expect(await f.readInto(wide)).toBe(21);
    expect(() => f.readIntoSync('x' as never)).toThrow(TypeError);
  });

  test('readline and iteration split on newlines, keeping them', async () => {
    const text = 'line1\nline2\n\nlast';
    const f = new BufferReader(encode(text));
    expect(decode(f.readlineSync())).toBe('line1\n');
    expect(decode(f.readlineSync(3))).toBe('lin');
    expect(decode(f.readlineSync())).toBe('e2\n');
    expect(f.tell()).toBe(12);
    f.seek(0);
    expect([...f.linesSync()].map(decode)).toEqual(['line1\n', 'line2\n', '\n', 'last']);
    f.seek(0);
    const lines: string[] = [];
    for await (const line of f) lines.push(decode(line));
    expect(lines.join('')).toBe(text);
    expect(await f.readline()).toEqual(new Uint8Array(0));
  });

  test('readline finds lines longer than its look-ahead', () => {
    const long = 'x'.repeat(10_000);
    const f = new BufferReader(encode(`${long}\nend`));
    expect(decode(f.readlineSync())).toBe(`${long}\n`);
    expect(decode(f.readlineSync())).toBe('end');
  });

  test('read1 reads at most what was asked', () => {
    const f = new BufferReader(new Uint8Array(100_000));
    expect(f.read1Sync().byteLength).toBe(65536);
    expect(f.read1Sync(30_000).byteLength).toBe(30_000);
    expect(f.read1Sync(30_000).byteLength).toBe(100_000 - 65536 - 30_000);
    expect(f.read1Sync().byteLength).toBe(0);
  });

  test('is read-only and refuses strings', () => {
    const f = new BufferReader(encode('abc'));
    expect(f.readable()).toBe(true);
    expect(f.writable()).toBe(false);
    expect(f.seekable()).toBe(true);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => f.writeSync(encode('x'))).toThrow(UnsupportedOperationError);
    expect(() => new BufferReader('some sample data' as never)).toThrow(TypeError);
  });

  test('every method but close throws ClosedFileError after close', async () => {
    const f = new BufferReader(encode('abc'));
    await f.close();
    await f.close();
    for (const call of [
      () => f.tell(),
      () => f.seek(0),
      () => f.sizeSync(),
      // @ts-expect-error misuse the types forbid; the run-time check is what is tested
      () => f.flushSync(),
      () => f.readable(),
      () => f.writable(),
      () => f.seekable(),
      () => f.readSync(),
      () => f.readAtSync(0, 1),
      () => f.readBufferSync(),
      () => f.readlineSync(),
    ]) {
      expect(call).toThrow(ClosedFileError);
    }
    await expect(f.read()).rejects.toThrow(ClosedFileError);
    await expect(f.size()).rejects.toThrow(/closed BufferReader/);
  });

  test('using and await using close the file', async () => {
    let kept: BufferReader;
    {
      using f = new BufferReader(encode('abc'));
      kept = f;
    }
    expect(kept.closed).toBe(true);
    {
      await using f = new BufferReader(encode('abc'));
      kept = f;
    }
    expect(kept.closed).toBe(true);
  });
});
