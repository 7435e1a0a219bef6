import { deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  Buffer,
  BufferOutputStream,
  BufferReader,
  CompressedInputStream,
  CompressedOutputStream,
  FixedSizeBufferWriter,
  IOError,
} from '../../src/index.js';
import { randomBytes } from '../helpers.js';

const text = new TextEncoder().encode('some test data\n'.repeat(10) + 'eof\n');

async function compress(data: Uint8Array, codec: 'gzip' | 'deflate' | 'deflate-raw'): Promise<Uint8Array> {
  const raw = new BufferOutputStream();
  const compressed = new CompressedOutputStream(raw, codec);
  expect([compressed.readable(), compressed.writable(), compressed.seekable()]).toEqual([false, true, false]);
  await compressed.write(data);
  await compressed.close();
  expect(raw.closed).toBe(true);
  return raw.getValue().toBytes();
}

describe('compressed streams', () => {
  for (const codec of ['gzip', 'deflate', 'deflate-raw'] as const) {
    test(`round trip through ${codec}`, async () => {
      const packed = await compress(text, codec);
      expect(packed.byteLength).toBeLessThan(text.byteLength);
      const raw = new BufferReader(packed);
      const input = new CompressedInputStream(raw, codec);
      expect([input.readable(), input.writable(), input.seekable()]).toEqual([true, false, false]);
      expect(Buffer.wrap(await input.read()).equals(text)).toBe(true);
      await input.close();
      expect(raw.closed).toBe(true);
    });
  }

  test('reads what zlib wrote, and zlib reads what it writes', async () => {
    const data = randomBytes(500_000);
    const input = new CompressedInputStream(new BufferReader(gzipSync(data)), 'gzip');
    expect((await input.readBuffer()).equals(data)).toBe(true);
    expect(Buffer.wrap(gunzipSync(await compress(data, 'gzip'))).equals(data)).toBe(true);
    const raw = new CompressedInputStream(new BufferReader(deflateRawSync(text)), 'deflate-raw');
    expect(Buffer.wrap(await raw.read()).equals(text)).toBe(true);
  });

  test('reads concatenated gzip members fully', async () => {
    const joined = new Uint8Array([...gzipSync(text.subarray(0, 50)), ...gzipSync(text.subarray(50))]);
    const input = new CompressedInputStream(new BufferReader(joined), 'gzip');
    expect(Buffer.wrap(await input.read()).equals(text)).toBe(true);
  });

  test('corrupt input is an IOError, not a hang', async () => {
    const input = new CompressedInputStream(new BufferReader(new TextEncoder().encode('foo'.repeat(10))), 'gzip');
    await expect(input.read()).rejects.toThrow(IOError);
    const truncated = gzipSync(randomBytes(100_000)).subarray(0, 5000);
    const cut = new CompressedInputStream(new BufferReader(truncated), 'gzip');
    await expect(cut.read()).rejects.toThrow(/gzip data is corrupt or truncated/);
  });

  test('unknown codecs are RangeErrors, missing ones TypeErrors', () => {
    const raw = new BufferReader(text);
    expect(() => new CompressedInputStream(raw, 'unknown_compression' as never)).toThrow(RangeError);
    expect(() => new CompressedInputStream(raw, null as never)).toThrow(TypeError);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => new CompressedOutputStream(raw, 'gzip')).toThrow(/writable/);
  });

  test('a failing sink fails the writes instead of leaving them waiting', async () => {
    const full = new FixedSizeBufferWriter(Buffer.wrap(new Uint8Array(10)));
    const out = new CompressedOutputStream(full, 'gzip');
    const attempt = async () => {
      for (let i = 0; i < 100; i++) await out.write(randomBytes(100_000, i + 1));
      await out.close();
    };
    await expect(attempt()).rejects.toThrow(/does not fit/);
  });
});
