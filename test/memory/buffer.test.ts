import { describe, expect, test } from 'vitest';
import { allocateBuffer, Buffer, IOError, ResizableBuffer, systemMemoryPool } from '../../src/index.js';
import { encode } from '../helpers.js';

describe('Buffer.wrap', () => {
  test('wraps an ArrayBuffer, a SharedArrayBuffer and any view without copying', () => {
    const bytes = encode('some data');
    const fromView = Buffer.wrap(bytes);
    bytes[0] = 0x53; // 'S'
    expect(fromView.toBytes()).toEqual(encode('Some data'));

    const ab = new ArrayBuffer(8);
    expect(Buffer.wrap(ab).view.buffer).toBe(ab);

    const sab = new SharedArrayBuffer(8);
    expect(Buffer.wrap(sab).view.buffer).toBe(sab);

    const words = new Uint16Array([0x0201, 0x0403]);
    expect(Buffer.wrap(words).toBytes()).toEqual(new Uint8Array([1, 2, 3, 4]));
    const dv = new DataView(new ArrayBuffer(10), 2, 4);
    expect(Buffer.wrap(dv).size).toBe(4);
    expect(Buffer.wrap(dv).address).toBe(2);
  });

  test('rejects strings, null, numbers and detached memory with a TypeError naming the value', () => {
    expect(() => Buffer.wrap('some data' as never)).toThrow(/got "some data".*TextEncoder/);
    expect(() => Buffer.wrap(null as never)).toThrow(TypeError);
    expect(() => Buffer.wrap(42 as never)).toThrow(/got 42/);
    const ab = new ArrayBuffer(8);
    structuredClone(ab, { transfer: [ab] });
    expect(() => Buffer.wrap(ab)).toThrow(/detached/);
    const view = new Uint8Array(new ArrayBuffer(4));
    structuredClone(view.buffer, { transfer: [view.buffer] });
    expect(() => Buffer.wrap(view)).toThrow(/detached/);
  });

  test('is mutable unless told otherwise', () => {
    expect(Buffer.wrap(new Uint8Array(1)).isMutable).toBe(true);
    expect(Buffer.wrap(new Uint8Array(1), { mutable: false }).isMutable).toBe(false);
    expect(() => Buffer.wrap(new Uint8Array(1), { mutable: 'yes' as never })).toThrow(TypeError);
  });
});

describe('Buffer.slice (PyArrow bounds rules)', () => {
  const buf = Buffer.wrap(encode('some data!'));

  test('slices without copying and records the parent', () => {
    expect(buf.slice(2).equals(encode('me data!'))).toBe(true);
    expect(buf.slice(2, 4).equals(encode('me d'))).toBe(true);
    expect(buf.slice(0).equals(buf)).toBe(true);
    expect(buf.slice(2).parent).toBe(buf);
    expect(buf.parent).toBeNull();
    expect(buf.slice(3).address).toBe(buf.address + 3);
    buf.slice(0, 1).view[0] = 0x53;
    expect(buf.at(0)).toBe(0x53);
    buf.view[0] = 0x73;
  });

  test('slice(size) is empty; out-of-range offsets and lengths are RangeErrors', () => {
    expect(buf.slice(buf.size).size).toBe(0);
    expect(() => buf.slice(-1)).toThrow(RangeError);
    expect(() => buf.slice(buf.size + 1)).toThrow(/offset 11 is past the end of a buffer of 10 bytes/);
    expect(() => buf.slice(1, buf.size)).toThrow(RangeError);
    expect(() => buf.slice(1, -1)).toThrow(RangeError);
    expect(() => buf.slice(0.5)).toThrow(RangeError);
    expect(() => buf.slice(NaN)).toThrow(/NaN/);
    expect(() => buf.slice('1' as never)).toThrow(TypeError);
    expect(() => buf.slice(2 ** 53)).toThrow(RangeError);
  });
});

describe('Buffer accessors', () => {
  test('at() indexes from either end and rejects out-of-range indexes', () => {
    const data = encode('some data!');
    const buf = Buffer.wrap(data);
    for (let i = -data.length; i < data.length; i++) {
      expect(buf.at(i)).toBe(data.at(i));
    }
    expect(() => buf.at(data.length)).toThrow(RangeError);
    expect(() => buf.at(-data.length - 1)).toThrow(/index -11 is out of range/);
  });

  test('equals() compares bytes, whatever the element type', () => {
    const a = Buffer.wrap(encode('some data!'));
    const b = Buffer.wrap(encode('some data!'));
    const c = encode('some data!');
    c[0] = 42;
    expect(a.equals(a)).toBe(true);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.equals(encode('some data'))).toBe(false);
    expect(a.equals(new Uint16Array(new Uint8Array(encode('some data!')).buffer))).toBe(true);
    expect(() => a.equals('some data!' as never)).toThrow(TypeError);
  });

  test('hex() is upper case', () => {
    expect(Buffer.wrap(encode('check')).hex()).toBe('636865636B');
    expect(Buffer.wrap(new Uint8Array([7, 0x30])).hex()).toBe('0730');
    expect(Buffer.wrap(new Uint8Array(0)).hex()).toBe('');
  });

  test('toBytes() copies; view does not', () => {
    const data = encode('abc');
    const buf = Buffer.wrap(data);
    const copy = buf.toBytes();
    copy[0] = 0;
    expect(data[0]).toBe(0x61);
    expect(buf.view.buffer).toBe(data.buffer);
  });
});

describe('release', () => {
  test('a released buffer throws on every use, and releasing twice is harmless', () => {
    const buf = allocateBuffer(100);
    buf.release();
    buf.release();
    expect(buf.isReleased).toBe(true);
    expect(() => buf.size).toThrow(IOError);
    expect(() => buf.view).toThrow(/released/);
    expect(() => buf.slice(0)).toThrow(/released/);
    expect(() => buf.hex()).toThrow(/released/);
    expect(String(buf)).toBe('Buffer(released)');
  });

  test('pool memory returns when the buffer and all its slices are released', () => {
    const pool = systemMemoryPool();
    const before = pool.bytesAllocated();
    const buf = allocateBuffer(100, { pool });
    expect(pool.bytesAllocated()).toBe(before + 128);
    const slice = buf.slice(10, 10);
    buf.release();
    expect(pool.bytesAllocated()).toBe(before + 128);
    expect(slice.toBytes()).toEqual(new Uint8Array(10));
    slice.release();
    expect(pool.bytesAllocated()).toBe(before);
  });

  test('Symbol.dispose releases', () => {
    const pool = systemMemoryPool();
    const before = pool.bytesAllocated();
    {
      using buf = allocateBuffer(64, { pool });
      expect(pool.bytesAllocated()).toBe(before + 64);
      expect(buf.size).toBe(64);
    }
    expect(pool.bytesAllocated()).toBe(before);
  });
});

describe('allocateBuffer and ResizableBuffer', () => {
  test('allocates a mutable, 64-byte aligned, parentless buffer', () => {
    const buf = allocateBuffer(100);
    expect(buf.size).toBe(100);
    expect(buf.isMutable).toBe(true);
    expect(buf.parent).toBeNull();
    expect(buf.address % 64).toBe(0);
    buf.release();
  });

  test('resizable buffers grow keeping their bytes, and shrink', () => {
    const buf = allocateBuffer(100, { resizable: true });
    expect(buf).toBeInstanceOf(ResizableBuffer);
    buf.view.set([1, 2, 3]);
    buf.resize(200);
    expect(buf.size).toBe(200);
    expect(buf.capacity).toBe(256);
    expect(Array.from(buf.view.subarray(0, 4))).toEqual([1, 2, 3, 0]);
    buf.resize(2);
    expect(buf.toBytes()).toEqual(new Uint8Array([1, 2]));
    expect(buf.capacity).toBe(256);
    buf.resize(2, true);
    expect(buf.capacity).toBe(64);
    buf.reserve(1000);
    expect(buf.capacity).toBe(1024);
    expect(buf.size).toBe(2);
    expect(() => buf.resize(-1)).toThrow(RangeError);
    buf.release();
  });

  test('rejects bad sizes and pools, naming the value', () => {
    expect(() => allocateBuffer(-1)).toThrow(/size must be at least 0, got -1/);
    expect(() => allocateBuffer(1.5)).toThrow(/got 1.5/);
    expect(() => allocateBuffer(NaN)).toThrow(RangeError);
    expect(() => allocateBuffer(2 ** 53)).toThrow(RangeError);
    expect(() => allocateBuffer('10' as never)).toThrow(TypeError);
    expect(() => allocateBuffer(10, { pool: {} as never })).toThrow(/options.pool must be a MemoryPool/);
  });
});

describe('constructing a Buffer directly', () => {
  // JavaScript callers can reach the constructors TypeScript hides (PyArrow's Buffer raises too).
  const construct =
    (type: unknown, ...args: unknown[]) =>
    () =>
      new (type as new (...args: unknown[]) => unknown)(...args);

  test('throws a TypeError naming the factories, for Buffer and ResizableBuffer alike', () => {
    expect(construct(Buffer)).toThrow(TypeError);
    expect(construct(Buffer)).toThrow(/Buffer.wrap\(\).*allocateBuffer\(\)/);
    expect(construct(Buffer, new ArrayBuffer(8), 0, 8, true, null, null)).toThrow(TypeError);
    expect(construct(ResizableBuffer)).toThrow(/cannot be constructed directly/);
    class Subclass extends (Buffer as unknown as new () => object) {}
    expect(construct(Subclass)).toThrow(TypeError);
  });

  test('leaves the library’s own construction working: wrap, allocate, slice, resize', () => {
    const wrapped = Buffer.wrap(new Uint8Array([1, 2, 3]));
    expect(wrapped.slice(1).toBytes()).toEqual(new Uint8Array([2, 3]));
    const resizable = allocateBuffer(10, { resizable: true });
    resizable.resize(1000);
    expect(resizable.slice(0, 4).size).toBe(4);
    resizable.release();
  });
});
