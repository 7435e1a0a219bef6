import { describe, expect, test } from 'vitest';
import { allocateBuffer, Buffer, FixedSizeBufferWriter, IOError } from '../../src/index.js';
import { encode } from '../helpers.js';

describe('FixedSizeBufferWriter', () => {
  test('writes into the buffer it was given (PyArrow test_allocate_buffer)', () => {
    const buf = allocateBuffer(100);
    const writer = new FixedSizeBufferWriter(buf);
    writer.writeSync(encode('abcde'));
    expect(buf.toBytes().subarray(0, 5)).toEqual(encode('abcde'));
  });

  test('seeks, and a write that does not fit writes nothing', async () => {
    const target = new Uint8Array(10);
    const writer = new FixedSizeBufferWriter(Buffer.wrap(target));
    expect(writer.seekable()).toBe(true);
    writer.seek(8);
    expect(() => writer.writeSync(encode('xyz'))).toThrow(IOError);
    expect(() => writer.writeSync(encode('xyz'))).toThrow(/write of 3 bytes at offset 8 does not fit in a buffer of 10 bytes/);
    expect(target).toEqual(new Uint8Array(10));
    await writer.write(encode('xy'));
    expect(writer.tell()).toBe(10);
    expect(writer.seek(-10, 2)).toBe(0);
    expect(() => writer.seek(11)).toThrow(RangeError);
    expect(target.subarray(8)).toEqual(encode('xy'));
  });

  test('needs a mutable Buffer', () => {
    expect(() => new FixedSizeBufferWriter(Buffer.wrap(new Uint8Array(4), { mutable: false }))).toThrow(/mutable/);
    expect(() => new FixedSizeBufferWriter(new Uint8Array(4) as never)).toThrow(TypeError);
  });
});
