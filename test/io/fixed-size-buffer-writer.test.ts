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

  test.each(['writeSync', 'write', 'writeAtSync', 'writeAt'] as const)(
    'a write larger than 8 MiB that does not fit writes nothing and leaves the position (%s)',
    async (method) => {
      const target = new Uint8Array(12 << 20);
      const writer = new FixedSizeBufferWriter(Buffer.wrap(target));
      const data = new Uint8Array(13 << 20).fill(7);
      const attempt = async () => {
        if (method === 'writeSync') return writer.writeSync(data);
        if (method === 'writeAtSync') return writer.writeAtSync(0, data);
        return method === 'write' ? writer.write(data) : writer.writeAt(0, data);
      };
      await expect(attempt()).rejects.toMatchObject({
        code: 'ENOSPC',
        message: expect.stringMatching(/13631488 bytes at offset 0/),
      });
      expect(writer.tell()).toBe(0);
      expect(target.some((byte) => byte !== 0)).toBe(false);
    },
  );

  test('needs a mutable Buffer', () => {
    expect(() => new FixedSizeBufferWriter(Buffer.wrap(new Uint8Array(4), { mutable: false }))).toThrow(/mutable/);
    expect(() => new FixedSizeBufferWriter(new Uint8Array(4) as never)).toThrow(TypeError);
  });
});
