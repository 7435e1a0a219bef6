/**
 * Byte-exact compatibility with the reference tools, both ways, in Node: the tools read what
 * the codecs and compressed streams write, and they read what the tools write, two outputs
 * joined included. (test/browser/codecs.test.ts does the same in Chromium and Firefox pages.)
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import {
  Buffer,
  BufferOutputStream,
  BufferReader,
  Codec,
  CompressedInputStream,
  CompressedOutputStream,
} from '../../src/index.js';
import { inputStream, outputStream } from '../../src/node.js';
import { tempFiles } from '../helpers.js';
import { concat, runTool, sample, TOOL_CODECS, TOOL_READS_CONCATENATED } from './tools.js';

// The tools at their default levels (brotli's is 11) take seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const first = sample(300_000, 1);
const second = sample(200_000, 2);
const both = concat(first, second);

async function streamCompress(codec: (typeof TOOL_CODECS)[number], data: Uint8Array, level?: number): Promise<Uint8Array> {
  const raw = new BufferOutputStream();
  const out = new CompressedOutputStream(raw, codec, { level });
  // Several writes, so the encoders see input in pieces.
  for (let offset = 0; offset < data.byteLength; offset += 70_000) await out.write(data.subarray(offset, offset + 70_000));
  await out.close();
  return raw.getValue().toBytes();
}

async function streamDecompress(codec: (typeof TOOL_CODECS)[number], data: Uint8Array): Promise<Uint8Array> {
  const input = new CompressedInputStream(new BufferReader(data), codec);
  const result = (await input.readBuffer()).toBytes();
  await input.close();
  return result;
}

describe.each(TOOL_CODECS)('%s and its reference tool', (codec) => {
  test('we read what the tool writes, two outputs joined included (stream and Codec)', async () => {
    const joined = concat(runTool(codec, 'compress', first), runTool(codec, 'compress', second));
    expect(Buffer.wrap(await streamDecompress(codec, joined)).equals(both)).toBe(true);
    const buffers = await Codec.open(codec);
    expect(buffers.decompress(joined).equals(both)).toBe(true);
  });

  test('the tool reads what we write, two outputs joined included', async () => {
    const streamed = await streamCompress(codec, first);
    const whole = (await Codec.open(codec)).compress(second).toBytes();
    expect(Buffer.wrap(runTool(codec, 'decompress', streamed)).equals(first)).toBe(true);
    expect(Buffer.wrap(runTool(codec, 'decompress', whole)).equals(second)).toBe(true);
    if (TOOL_READS_CONCATENATED(codec)) {
      expect(Buffer.wrap(runTool(codec, 'decompress', concat(streamed, whole))).equals(both)).toBe(true);
    } else {
      // The brotli format has no concatenation: the tool refuses two streams joined; we read them.
      expect(() => runTool(codec, 'decompress', concat(streamed, whole))).toThrow();
      expect(Buffer.wrap(await streamDecompress(codec, concat(streamed, whole))).equals(both)).toBe(true);
    }
  });

  test('every level makes output the tool reads', async () => {
    const min = Codec.minimumCompressionLevel(codec);
    const max = Codec.maximumCompressionLevel(codec);
    const levels = codec === 'zstd' ? [-5, 1, 3, 19] : [min, Codec.defaultCompressionLevel(codec), max];
    for (const level of levels) {
      const data = first.subarray(0, 50_000);
      expect(
        Buffer.wrap(runTool(codec, 'decompress', await streamCompress(codec, data, level))).equals(data),
        `level ${level}`,
      ).toBe(true);
    }
  });

  test('empty input round trips and the tool agrees', async () => {
    const packed = await streamCompress(codec, new Uint8Array(0));
    expect(runTool(codec, 'decompress', packed).byteLength).toBe(0);
    expect((await streamDecompress(codec, runTool(codec, 'compress', new Uint8Array(0)))).byteLength).toBe(0);
  });
});

describe('paths: inputStream and outputStream detect the codec by extension', () => {
  const temp = tempFiles('codec-paths');
  test.each([
    ['gz', 'gzip'],
    ['bz2', 'bz2'],
    ['br', 'brotli'],
    ['lz4', 'lz4'],
    ['zst', 'zstd'],
  ] as const)('.%s is %s, both ways, and the tool agrees', async (extension, codec) => {
    const path = `${temp.fresh()}.${extension}`;
    const out = outputStream(path);
    await out.write(first);
    await out.close();
    expect(Buffer.wrap(runTool(codec, 'decompress', new Uint8Array(readFileSync(path)))).equals(first)).toBe(true);
    writeFileSync(path, concat(runTool(codec, 'compress', first), runTool(codec, 'compress', second)));
    const input = inputStream(path);
    expect((await input.readBuffer()).equals(both)).toBe(true);
    await input.close();
    const raw = inputStream(path, { compression: null });
    expect((await raw.readBuffer()).size).toBe(statSync(path).size);
    await raw.close();
  });
});
