/**
 * PyArrow's codec, compressed-stream, detection, transcoding and get_stream tests
 * (python/pyarrow/tests/test_io.py), ported. Where PyArrow raises ValueError we raise
 * RangeError; `Codec.detect` returns a name (SPEC), and `decompress` without a size works
 * for every codec that records its size (PyArrow always asks for it; `lz4_raw` does here).
 */
import { bzip2Sync } from './bzip2.js';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { makeTable, RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import {
  Buffer,
  BufferOutputStream,
  BufferReader,
  Codec,
  compress,
  CompressedInputStream,
  CompressedOutputStream,
  decompress,
  getStream,
  IOError,
  transcodingInputStream,
  type CodecName,
} from '../../src/index.js';
import { OSFile } from '../../src/node.js';
import { randomBytes, tempFiles } from '../helpers.js';

const ALL: CodecName[] = ['bz2', 'brotli', 'gzip', 'lz4', 'zstd', 'snappy'];
const STREAMS: CodecName[] = ['bz2', 'brotli', 'gzip', 'lz4', 'zstd'];
const text = new TextEncoder().encode('some test data\n'.repeat(10) + 'eof\n');
const temp = tempFiles('pyarrow-codecs');

describe.each(ALL)('test_compress_decompress and test_compression_level (%s)', (name) => {
  const INPUT_SIZE = 10_000;
  const data = randomBytes(INPUT_SIZE, 3);

  test('test_compress_decompress', async () => {
    const packed = await compress(data, { codec: name });
    const again = await compress(Buffer.wrap(data), { codec: name });
    expect(packed.equals(again)).toBe(true);
    expect((await decompress(packed, { codec: name, decompressedSize: INPUT_SIZE })).equals(data)).toBe(true);
    expect((await decompress(packed.toBytes(), { codec: name })).equals(data)).toBe(true);
    // A wrong size is an error, as PyArrow's size check is.
    await expect(decompress(packed, { codec: name, decompressedSize: INPUT_SIZE - 1 })).rejects.toThrow(IOError);
  });

  test('test_compression_level', async () => {
    const codec = await Codec.open(name);
    if (name === 'snappy') {
      expect(codec.compressionLevel).toBeNull();
      expect(Codec.supportsCompressionLevel(name)).toBe(false);
      await expect(Codec.open(name, { level: 0 })).rejects.toThrow(RangeError);
      expect(() => Codec.minimumCompressionLevel(name)).toThrow(RangeError);
      expect(() => Codec.maximumCompressionLevel(name)).toThrow(RangeError);
      expect(() => Codec.defaultCompressionLevel(name)).toThrow(RangeError);
      return;
    }
    expect(Number.isInteger(codec.compressionLevel)).toBe(true);
    expect(Codec.supportsCompressionLevel(name)).toBe(true);
    const min = Codec.minimumCompressionLevel(name);
    const max = Codec.maximumCompressionLevel(name);
    const byDefault = Codec.defaultCompressionLevel(name);
    expect(min).toBeLessThan(max);
    expect(byDefault).toBeGreaterThanOrEqual(min);
    expect(byDefault).toBeLessThanOrEqual(max);
    // zstd's range is -131072..22: its negative levels are sampled.
    const levels = name === 'zstd' ? [min, -1000, -5, -1, ...Array.from({ length: max }, (_, i) => i + 1)] : range(min, max);
    for (const level of levels) {
      const leveled = await Codec.open(name, { level });
      expect(leveled.compressionLevel).toBe(level);
      const packed = leveled.compress(data);
      expect(leveled.decompress(packed, INPUT_SIZE).equals(data), `level ${level}`).toBe(true);
    }
    await expect(Codec.open(name, { level: max + 1 })).rejects.toThrow(RangeError);
    await expect(Codec.open(name, { level: min - 1 })).rejects.toThrow(RangeError);
    // The level reaches the codec: data that compresses some, smaller at the highest level.
    // bz2's levels are block sizes (100-900 kB): it needs input larger than one small block.
    const values = new Int32Array(name === 'bz2' ? 200_000 : 1000);
    let seed = 42;
    for (let i = 0; i < values.length; i++) values[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 100;
    const hard = new Uint8Array(values.buffer);
    const weak = (await Codec.open(name, { level: min })).compress(hard);
    const strong = (await Codec.open(name, { level: max })).compress(hard);
    expect(weak.size).toBeGreaterThan(strong.size);
  });
});

function range(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

test('test_compressed_input_bz2 (and gzip): through an OSFile, read and readBuffer', async () => {
  for (const [name, packed] of [
    ['bz2', bzip2Sync(text)],
    ['gzip', gzipSync(text)],
  ] as const) {
    const path = temp.fresh();
    writeFileSync(path, packed);
    const raw = new OSFile(path, 'rb');
    const compressed = new CompressedInputStream(raw, name);
    expect([compressed.closed, compressed.readable(), compressed.writable(), compressed.seekable()]).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(Buffer.wrap(await compressed.read()).equals(text)).toBe(true);
    await compressed.close();
    expect([compressed.closed, raw.closed]).toEqual([true, true]);
    const again = new CompressedInputStream(new OSFile(path, 'rb'), name);
    expect((await again.readBuffer()).equals(text)).toBe(true);
    await again.close();
  }
});

test('test_compressed_output_bz2: bzip2 reads what we write', async () => {
  const raw = new BufferOutputStream();
  const out = new CompressedOutputStream(raw, 'bz2');
  expect([out.closed, out.readable(), out.writable(), out.seekable()]).toEqual([false, false, true, false]);
  await out.write(text);
  await out.close();
  expect([out.closed, raw.closed]).toEqual([true, true]);
  expect(Buffer.wrap(bzip2Sync(raw.getValue().toBytes(), 'decompress')).equals(text)).toBe(true);
});

test.each([
  ['file.bz2', 'bz2'],
  ['file.lz4', 'lz4'],
  [new URL('file:///file.gz'), 'gzip'],
  ['path/to/file.zst', 'zstd'],
  ['file.br', 'brotli'],
  ['file.txt', null],
  ['gz', null],
] as const)('test_compression_detection: %s is %s', (path, expected) => {
  expect(Codec.detect(path)).toBe(expected);
});

test('test_unknown_compression_raises', async () => {
  expect(() => Codec.isAvailable('unknown' as CodecName)).toThrow(RangeError);
  await expect(Codec.open(null as unknown as CodecName)).rejects.toThrow(TypeError);
  await expect(Codec.open('unknown' as CodecName)).rejects.toThrow(/unknown codec "unknown"; use one of gzip, /);
  expect(() => new (Codec as unknown as new (name: string) => Codec)('gzip')).toThrow(TypeError);
  expect(() => new CompressedInputStream(new BufferReader(text), 'snappy')).toThrow(/whole buffers only/);
});

describe.each(STREAMS)('test_compressed_roundtrip and test_compressed_recordbatch_stream (%s)', (name) => {
  test('test_compressed_roundtrip', async () => {
    const raw = new BufferOutputStream();
    const out = new CompressedOutputStream(raw, name);
    await out.write(text);
    await out.close();
    const packed = raw.getValue();
    expect(packed.size).toBeLessThan(text.byteLength);
    const input = new CompressedInputStream(new BufferReader(packed), name);
    expect(Buffer.wrap(await input.read()).equals(text)).toBe(true);
    await input.close();
  });

  test('test_compressed_recordbatch_stream', async () => {
    const table = makeTable({ a: new Int32Array([1, 2, 3, 4, 5]) });
    const raw = new BufferOutputStream();
    const out = new CompressedOutputStream(raw, name);
    const writer = new RecordBatchStreamWriter();
    for (const batch of [table.slice(0, 3), table.slice(3)].flatMap((part) => part.batches)) writer.write(batch);
    writer.finish();
    await out.write(writer.toUint8Array(true));
    await out.close();
    const input = new CompressedInputStream(new BufferReader(raw.getValue()), name);
    const back = tableFromIPC(await input.read());
    expect(back.getChild('a')!.toArray()).toEqual(new Int32Array([1, 2, 3, 4, 5]));
    expect(back.batches.length).toBe(2);
  });
});

describe('transcodingInputStream (test_transcoding_*)', () => {
  const example =
    'Dès Noël où un zéphyr haï me vêt de glaçons würmiens je dîne d’exquis rôtis de bœuf au kir à l’aÿ d’âge mûr & cætera !';
  const encodeAs = (value: string, encoding: string): Uint8Array => {
    if (encoding === 'utf-8') return new TextEncoder().encode(value);
    // utf-16 as Python writes it: a byte order mark, then little-endian units.
    const units = new Uint16Array(value.length + 1);
    units[0] = 0xfeff;
    for (let i = 0; i < value.length; i++) units[i + 1] = value.charCodeAt(i);
    return new Uint8Array(units.buffer);
  };
  const decodeAs = (bytes: Uint8Array, encoding: string): string => {
    if (encoding.startsWith('utf-32')) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let out = '';
      for (let i = 0; i < bytes.byteLength; i += 4) out += String.fromCodePoint(view.getUint32(i, encoding === 'utf-32-le'));
      return out;
    }
    return new TextDecoder(encoding === 'utf-16' ? 'utf-16le' : encoding).decode(bytes);
  };

  async function check(src: string, dest: string, sizes: () => number): Promise<void> {
    const stream = transcodingInputStream(new BufferReader(encodeAs(example, src)), src, dest);
    const parts: Uint8Array[] = [];
    for (let part = await stream.read(sizes()); part.byteLength > 0; part = await stream.read(sizes())) parts.push(part);
    const all = Buffer.wrap(new Uint8Array(parts.flatMap((part) => [...part]))).toBytes();
    expect(decodeAs(all, dest)).toBe(example);
  }

  test.each([
    ['utf-8', 'utf-16'],
    ['utf-16', 'utf-8'],
    ['utf-8', 'utf-32-le'],
    ['utf-8', 'utf-32-be'],
  ])('test_transcoding_input_stream %s -> %s, all at once and in 1, 2, 3, 5 byte reads', async (src, dest) => {
    const once = [1000, 0];
    await check(src, dest, () => once.shift() ?? 0);
    const cycle = [1, 2, 3, 5];
    let i = 0;
    await check(src, dest, () => cycle[i++ % cycle.length]!);
  });

  test.each([
    ['utf-8', 'utf-8'],
    ['utf-8', 'UTF8'],
  ])('test_transcoding_no_ops %s -> %s returns the stream itself', (src, dest) => {
    const stream = new BufferReader(new TextEncoder().encode('abc123'));
    expect(transcodingInputStream(stream, src, dest)).toBe(stream);
  });

  test.each(['ascii', 'latin-1'])('test_transcoding_encoding_error: U+0100 to %s', async (dest) => {
    const stream = transcodingInputStream(new BufferReader(new TextEncoder().encode('\u0100')), 'utf-8', dest);
    await expect(stream.read(1)).rejects.toThrow(new RegExp(`cannot transcode to '${dest}'.*U\\+0100`));
  });

  test.each([
    ['utf-8', 'utf-16'],
    ['utf-16', 'utf-8'],
  ])('test_transcoding_decoding_error %s -> %s', async (src, dest) => {
    // PyArrow's bytes are ff ff ff ff; in UTF-16 those are two valid U+FFFF for the WHATWG
    // decoder, so the UTF-16 case uses a lone surrogate (d800) followed by 'A'.
    const bad = src === 'utf-8' ? [0xff, 0xff, 0xff, 0xff] : [0x00, 0xd8, 0x41, 0x00];
    const stream = transcodingInputStream(new BufferReader(new Uint8Array(bad)), src, dest);
    const failure = stream.read(1);
    await expect(failure).rejects.toThrow(IOError);
    await expect(failure).rejects.toThrow(`not valid '${src}' text`);
  });
});

describe('getStream (test_python_file_get_stream)', () => {
  const data = new TextEncoder().encode('data1data2data3data4data5');

  for (const nbytes of [-1, 0, 1, 5, 100]) {
    for (const offset of [-1, 0, 5, 100]) {
      test(`offset ${offset}, nbytes ${nbytes}`, async () => {
        const file = new BufferReader(data);
        if (nbytes < 0 || offset < 0) {
          expect(() => getStream(file, offset, nbytes)).toThrow(RangeError);
          return;
        }
        const stream = getStream(file, offset, nbytes);
        const expected = data.slice(Math.min(offset, data.length), Math.min(offset + nbytes, data.length));
        let at = 0;
        const next = (n?: number) => {
          const part = expected.slice(at, n === undefined ? undefined : at + n);
          at += part.byteLength;
          return part;
        };
        expect(stream.readSync(4)).toEqual(next(4));
        expect(stream.readSync(6)).toEqual(next(6));
        expect(stream.readSync()).toEqual(next());
        expect(stream.readSync(data.length * 2)).toEqual(next(data.length * 2));
        expect(() => (stream as unknown as { seek(offset: number): number }).seek(0)).toThrow(/seek/);
        stream.closeSync();
        expect(stream.closed).toBe(true);
        expect(file.closed).toBe(false);
      });
    }
  }

  test('a stream of an async file is async, and leaves the position alone', async () => {
    const path = temp.fresh();
    writeFileSync(path, data);
    const file = new OSFile(path, 'rb');
    file.seek(3);
    const stream = getStream(file, 5, 10);
    expect(new TextDecoder().decode(await stream.read())).toBe('data2data3');
    expect(file.tell()).toBe(3);
    const blob = getStream(new BufferReader(data), 20, 100);
    expect(new TextDecoder().decode(await blob.read())).toBe('data5');
  });
});
