import { describe, expect, test } from 'vitest';
import {
  Buffer,
  BufferedInputStream,
  BufferedOutputStream,
  BufferReader,
  FixedSizeBufferWriter,
  UnsupportedOperationError,
} from '../../src/index.js';
import { decode, encode } from '../helpers.js';

describe('BufferedInputStream (PyArrow test_buffered_input_stream*)', () => {
  test('reads the raw file a buffer at a time; closing closes both', () => {
    const raw = new BufferReader(encode('123456789'));
    const f = new BufferedInputStream(raw, 4);
    expect(decode(f.readSync(2))).toBe('12');
    expect(raw.tell()).toBe(4);
    expect(f.bytesBuffered).toBe(2);
    f.closeSync();
    expect(f.closed).toBe(true);
    expect(raw.closed).toBe(true);
  });

  test('detach() to a seekable file leaves it open where the buffer left it', () => {
    const f = new BufferedInputStream(new BufferReader(encode('123456789')), 4);
    expect(decode(f.readSync(2))).toBe('12');
    const raw = f.detach();
    expect(f.closed).toBe(true);
    expect(raw.closed).toBe(false);
    expect(raw.seekable()).toBe(true);
    expect(decode(raw.readSync(4))).toBe('5678');
    raw.seek(2);
    expect(decode(raw.readSync(4))).toBe('3456');
  });

  test('detach() to a non-seekable stream', () => {
    const inner = new BufferedInputStream(new BufferReader(encode('123456789')), 4);
    const f = new BufferedInputStream(inner, 4);
    expect(decode(f.readSync(2))).toBe('12');
    const raw = f.detach();
    expect(raw.closed).toBe(false);
    expect(raw.seekable()).toBe(false);
    expect(decode(raw.readSync(4))).toBe('5678');
    expect(() => raw.seek(2)).toThrow(UnsupportedOperationError);
  });

  test('reads lines and everything else across buffer refills, sync and async', async () => {
    const text = 'alpha\nbeta\ngamma delta epsilon\n\nlast';
    const f = new BufferedInputStream(new BufferReader(encode(text)), 5);
    expect([...f.linesSync()].map(decode)).toEqual(['alpha\n', 'beta\n', 'gamma delta epsilon\n', '\n', 'last']);
    const g = new BufferedInputStream(new BufferReader(encode(text)), 3);
    expect(decode(await g.read(7))).toBe('alpha\nb');
    expect(decode(await g.read())).toBe(text.slice(7));
  });

  test('needs a buffer of at least one byte', () => {
    const raw = new BufferReader(encode('x'));
    expect(() => new BufferedInputStream(raw, 0)).toThrow(/larger than zero/);
    expect(() => new BufferedInputStream(raw, -1)).toThrow(RangeError);
    expect(() => new BufferedInputStream(raw, 'million' as never)).toThrow(TypeError);
  });
});

describe('BufferedOutputStream (PyArrow test_buffered_output_stream*)', () => {
  test('holds small writes until flush or close', () => {
    const target = new Uint8Array(100);
    const raw = new FixedSizeBufferWriter(Buffer.wrap(target));
    const f = new BufferedOutputStream(raw, 4);
    f.writeSync(encode('12'));
    expect(Array.from(target.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    f.flushSync();
    expect(decode(target.subarray(0, 4))).toBe('12\0\0');
    f.writeSync(encode('3456789'));
    f.closeSync();
    expect(f.closed).toBe(true);
    expect(raw.closed).toBe(true);
    expect(decode(target.subarray(0, 10))).toBe('123456789\0');
  });

  test('detach() writes out the buffer and leaves the raw file open', async () => {
    const target = new Uint8Array(100);
    const f = new BufferedOutputStream(new FixedSizeBufferWriter(Buffer.wrap(target)), 4);
    f.writeSync(encode('12'));
    expect(Array.from(target.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    const raw = await f.detach();
    expect(f.closed).toBe(true);
    expect(raw.closed).toBe(false);
    expect(decode(target.subarray(0, 4))).toBe('12\0\0');
  });

  test('a failed write to the raw file keeps the buffered bytes', () => {
    const target = new Uint8Array(2);
    const f = new BufferedOutputStream(new FixedSizeBufferWriter(Buffer.wrap(target)), 4);
    f.writeSync(encode('123'));
    expect(() => f.writeSync(encode('45'))).toThrow(/does not fit/);
    expect(f.bytesBuffered).toBe(3);
  });
});
