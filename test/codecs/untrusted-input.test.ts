/**
 * Untrusted input for every codec: a small input that expands hugely stops at maxOutputBytes
 * (streams and Codec), and truncated or corrupt input is an IOError naming the codec, never a
 * hang or a wrong answer.
 */
import { describe, expect, test } from 'vitest';
import {
  BufferOutputStream,
  BufferReader,
  Codec,
  CompressedInputStream,
  CompressedOutputStream,
  IOError,
  type CodecName,
} from '../../src/index.js';
import { concat, sample } from './tools.js';

const STREAMS: CodecName[] = ['gzip', 'deflate', 'deflate-raw', 'bz2', 'brotli', 'lz4', 'zstd'];
const MiB = 1024 * 1024;

async function packStream(name: CodecName, data: Uint8Array, times = 1): Promise<Uint8Array> {
  const raw = new BufferOutputStream();
  const out = new CompressedOutputStream(raw, name);
  for (let i = 0; i < times; i++) await out.write(data);
  await out.close();
  return raw.getValue().toBytes();
}

async function readAll(name: CodecName, packed: Uint8Array, maxOutputBytes?: number): Promise<number> {
  const input = new CompressedInputStream(new BufferReader(packed), name, { maxOutputBytes });
  let total = 0;
  try {
    for (let part = await input.read(MiB); part.byteLength > 0; part = await input.read(MiB)) total += part.byteLength;
  } finally {
    await input.close();
  }
  return total;
}

describe.each(STREAMS)('%s', (name) => {
  test('a bomb stops at maxOutputBytes, in streams and in Codec', async () => {
    const zeros = new Uint8Array(4 * MiB);
    const bomb = await packStream(name, zeros, 16); // 64 MiB of zeros
    expect(bomb.byteLength).toBeLessThan(MiB);
    const failure = readAll(name, bomb, 2 * MiB);
    await expect(failure).rejects.toThrow(IOError);
    await expect(failure).rejects.toMatchObject({ code: 'E2BIG' });
    await expect(failure).rejects.toThrow(new RegExp(`^${name} data expands past maxOutputBytes \\(${2 * MiB} bytes\\)`));
    const codec = await Codec.open(name, { maxOutputBytes: 2 * MiB });
    expect(() => codec.decompress(bomb)).toThrow(/expands past maxOutputBytes/);
    expect(() => codec.decompress(bomb, 64 * MiB)).toThrow(/expands past maxOutputBytes/);
    expect(await readAll(name, bomb)).toBe(64 * MiB);
  });

  test('reads within maxOutputBytes get their bytes; the first read past it throws E2BIG, never a short end', async () => {
    const data = sample(100_000, 15);
    const input = new CompressedInputStream(new BufferReader(await packStream(name, data)), name, { maxOutputBytes: 60_000 });
    expect(Buffer.from(await input.read(50_000)).equals(Buffer.from(data.subarray(0, 50_000)))).toBe(true);
    expect(Buffer.from(await input.read(10_000)).equals(Buffer.from(data.subarray(50_000, 60_000)))).toBe(true);
    await expect(input.read(1)).rejects.toMatchObject({ code: 'E2BIG' });
    await expect(input.read()).rejects.toMatchObject({ code: 'E2BIG' });
    await input.close();
  });

  test('truncated input is an IOError naming the codec, at every cut', async () => {
    const data = sample(200_000, 5);
    const packed = await packStream(name, data);
    const codec = await Codec.open(name);
    // deflate-raw has no end marker a reader can check for every cut; the cuts inside blocks fail.
    for (const cut of [1, 10, packed.byteLength >> 1, packed.byteLength - 1]) {
      const part = packed.subarray(0, cut);
      if (name === 'deflate-raw' && cut === packed.byteLength - 1) continue;
      await expect(readAll(name, part), `cut at ${cut}`).rejects.toThrow(new RegExp(`^${name} data is (corrupt|truncated)`));
      expect(() => codec.decompress(part), `cut at ${cut}`).toThrow(new RegExp(`${name} data is (corrupt|truncated)`));
    }
  });

  test('corrupt input is an IOError naming the codec', async () => {
    const data = sample(200_000, 6);
    const packed = (await packStream(name, data)).slice();
    const codec = await Codec.open(name);
    const garbage = new TextEncoder().encode('this is not compressed data, not at all'.repeat(4));
    await expect(readAll(name, garbage)).rejects.toThrow(new RegExp(`^${name} data is (corrupt|truncated)`));
    expect(() => codec.decompress(garbage)).toThrow(new RegExp(`${name} data is (corrupt|truncated)`));
    // Trailing garbage after a complete stream is corrupt, not ignored.
    const trailing = new Uint8Array([...packed, ...garbage]);
    await expect(readAll(name, trailing)).rejects.toThrow(IOError);
    expect(() => codec.decompress(trailing)).toThrow(IOError);
  });

  test('streams joined are read whole, in streams and in Codec; deflate, one stream by its format, refuses the rest', async () => {
    const [a, b] = [sample(100_000, 11), sample(300_000, 12)];
    const codec = await Codec.open(name);
    const joined = concat(concat(await packStream(name, a), codec.compress(b).toBytes()), await packStream(name, a));
    if (name === 'deflate' || name === 'deflate-raw') {
      // As browsers' DecompressionStream: what follows the stream is corrupt data, never dropped in silence.
      await expect(readAll(name, joined)).rejects.toThrow(
        new RegExp(`^${name} data is corrupt.*bytes follow the end of the stream`),
      );
      expect(() => codec.decompress(joined)).toThrow(
        new RegExp(`^${name} data is corrupt: .* bytes follow the end of the stream`),
      );
      return;
    }
    expect(await readAll(name, joined)).toBe(500_000);
    expect(codec.decompress(joined).equals(concat(concat(a, b), a))).toBe(true);
  });
});

// Node 22.15+ has zlib zstd, whose decoder stops at the end of the first frame and takes a cut
// frame for a complete one (nodejs/node#64741); on Node 20 these check the wasm decoder alone.
describe('zstd, whatever decoder this runtime has', () => {
  test('every frame of concatenated zstd is read, in Codec and streams', async () => {
    const [a, b] = [sample(100_000, 8), sample(50_000, 9)];
    const codec = await Codec.open('zstd');
    const joined = concat(await packStream('zstd', a), codec.compress(b).toBytes());
    expect(codec.decompress(joined).equals(concat(a, b))).toBe(true);
    expect(await readAll('zstd', joined)).toBe(150_000);
  });

  test('a cut last frame is an IOError, in Codec and streams', async () => {
    const codec = await Codec.open('zstd');
    const whole = sample(100_000, 10);
    // A stream's frame (no checksum unless a level is given) and Codec's, alone and after a whole frame.
    for (const frame of [await packStream('zstd', whole), codec.compress(whole).toBytes()]) {
      for (const packed of [frame, concat(frame, frame)]) {
        for (const cut of [1, 3, 20]) {
          const part = packed.subarray(0, packed.byteLength - cut);
          await expect(readAll('zstd', part), `cut ${cut}`).rejects.toThrow(/^zstd data is (corrupt|truncated)/);
          expect(() => codec.decompress(part), `cut ${cut}`).toThrow(/^zstd data is (corrupt|truncated)/);
        }
      }
    }
  });
});
