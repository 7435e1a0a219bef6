/**
 * The codecs against the reference tools (single thread, on the same data) and the fastest
 * npm package not picked, interleaved in one run (bench/harness.ts): decompression and
 * compression MB/s of a 64 MiB mixed payload (bench/codec-payload.ts). Every decompressor
 * reads the tool's output at the tool's default level; every compressor runs at the same
 * level. A tool row includes starting the process (a few ms of each round) and reads its
 * input from a page-cached file, writing to /dev/null.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import {
  BufferReader,
  Codec,
  CompressedInputStream,
  CompressedOutputStream,
  MockOutputStream,
  type CodecName,
} from 'nativefile/node';
import { mixedPayload } from './codec-payload.js';
import { compare, type Contender } from './harness.js';

const require = createRequire(import.meta.url);
const payload = mixedPayload();
const dir = mkdtempSync(join(tmpdir(), 'nativefile-bench-codecs-'));
const payloadPath = join(dir, 'payload.bin');
writeFileSync(payloadPath, payload);
const megabytes = { unit: 'MB/s', of: (ms: number) => payload.byteLength / 1e6 / (ms / 1000) };
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const MiB = 1024 * 1024;
let sink = 0;

/** A codec's tool: how it compresses at `level` and decompresses, single-threaded. */
interface Tool {
  readonly codec: Exclude<CodecName, 'snappy' | 'lz4_raw' | 'deflate' | 'deflate-raw'>;
  readonly command: string;
  readonly level: number;
  readonly compress: string[];
  readonly decompress: string[];
}

const TOOLS: Tool[] = [
  { codec: 'zstd', command: 'zstd', level: 3, compress: ['-3', '-T1', '-c'], decompress: ['-d', '-T1', '-c'] },
  { codec: 'lz4', command: 'lz4', level: 1, compress: ['-1', '-c'], decompress: ['-d', '-c'] },
  { codec: 'gzip', command: 'gzip', level: 6, compress: ['-6', '-c'], decompress: ['-d', '-c'] },
  { codec: 'brotli', command: 'brotli', level: 5, compress: ['-q', '5', '-c'], decompress: ['-d', '-c'] },
  { codec: 'bz2', command: 'bzip2', level: 9, compress: ['-9', '-c'], decompress: ['-d', '-c'] },
];

/** Runs the tool with stdin from `input` and stdout to /dev/null. */
function runTool(command: string, args: string[], input: string): void {
  execFileSync('sh', ['-c', `exec ${command} ${args.join(' ')} < "$1" > /dev/null`, 'sh', input]);
}

/** The peers: the fastest npm package of each codec that nativefile does not use. */
async function peers(
  codec: Tool['codec'],
  level: number,
  packed: Uint8Array,
): Promise<{ decompress: Contender[]; compress: Contender[] }> {
  switch (codec) {
    case 'zstd': {
      const fzstd = require('fzstd') as typeof import('fzstd');
      const boku = await import('@bokuweb/zstd-wasm');
      await boku.init();
      return {
        decompress: [
          { name: 'fzstd (pure JS)', run: () => void (sink += fzstd.decompress(packed).byteLength) },
          { name: '@bokuweb/zstd-wasm', run: () => void (sink += boku.decompress(packed).byteLength) },
        ],
        compress: [{ name: '@bokuweb/zstd-wasm', run: () => void (sink += boku.compress(payload, level).byteLength) }],
      };
    }
    case 'lz4': {
      const lz4js = require('lz4js') as { compress(data: Uint8Array): Uint8Array; decompress(data: Uint8Array): Uint8Array };
      const wasm = require('lz4-wasm-nodejs') as {
        compress(data: Uint8Array): Uint8Array;
        decompress(data: Uint8Array): Uint8Array;
      };
      const wasmPacked = wasm.compress(payload);
      return {
        decompress: [
          { name: 'lz4js (pure JS, frame)', run: () => void (sink += lz4js.decompress(packed).byteLength) },
          {
            name: 'lz4-wasm-nodejs (lz4_flex blocks, not frames)',
            run: () => void (sink += wasm.decompress(wasmPacked).byteLength),
          },
        ],
        compress: [
          { name: 'lz4-wasm-nodejs (lz4_flex blocks, not frames)', run: () => void (sink += wasm.compress(payload).byteLength) },
        ],
      };
    }
    case 'gzip': {
      const fflate = require('fflate') as typeof import('fflate');
      return {
        decompress: [{ name: 'fflate gunzipSync (pure JS)', run: () => void (sink += fflate.gunzipSync(packed).byteLength) }],
        compress: [
          {
            name: 'fflate gzipSync (pure JS)',
            run: () => void (sink += fflate.gzipSync(payload, { level: level as 6 }).byteLength),
          },
        ],
      };
    }
    case 'brotli': {
      const brotli = require('brotli-wasm') as {
        compress(d: Uint8Array, o: object): Uint8Array;
        decompress(d: Uint8Array): Uint8Array;
      };
      return {
        decompress: [{ name: 'brotli-wasm', run: () => void (sink += brotli.decompress(packed).byteLength) }],
        compress: [{ name: 'brotli-wasm', run: () => void (sink += brotli.compress(payload, { quality: level }).byteLength) }],
      };
    }
    default: {
      const seek = require('seek-bzip') as { decode(data: globalThis.Buffer): globalThis.Buffer };
      const input = globalThis.Buffer.from(packed);
      return {
        decompress: [{ name: 'seek-bzip (pure JS)', run: () => void (sink += seek.decode(input).byteLength) }],
        compress: [],
      };
    }
  }
}

async function readAll(codec: CodecName, packed: Uint8Array): Promise<void> {
  const input = new CompressedInputStream(new BufferReader(packed), codec);
  for (let part = await input.read(MiB); part.byteLength > 0; part = await input.read(MiB)) sink += part.byteLength;
  await input.close();
}

async function writeAll(codec: CodecName, level: number): Promise<void> {
  const out = new CompressedOutputStream(new MockOutputStream(), codec, { level });
  for (let offset = 0; offset < payload.byteLength; offset += MiB) await out.write(payload.subarray(offset, offset + MiB));
  await out.close();
}

for (const tool of TOOLS) {
  const packedPath = join(dir, `payload.${tool.codec}`);
  execFileSync('sh', ['-c', `${tool.command} ${tool.compress.join(' ')} "$1" > "$2"`, 'sh', payloadPath, packedPath]);
  const packed = new Uint8Array(execFileSync('cat', [packedPath], { maxBuffer: 1 << 30 }));
  const rounds = tool.codec === 'bz2' || tool.codec === 'brotli' ? 5 : 7;

  describe(`${tool.codec}: 64 MiB mixed payload`, () => {
    bench(
      '(tables printed above)',
      async () => {
        const codec = await Codec.open(tool.codec, { level: tool.level });
        const mine = await peers(tool.codec, tool.level, packed);
        await compare(
          'codecs',
          `${tool.codec}: decompress 64 MiB mixed (${(payload.byteLength / packed.byteLength).toFixed(2)}:1, the tool's output at level ${tool.level})`,
          [
            { name: 'Codec.decompress', run: () => void (sink += codec.decompress(packed).size) },
            { name: 'CompressedInputStream, 1 MiB reads', run: () => readAll(tool.codec, packed) },
            {
              name: `${tool.command} ${tool.decompress.join(' ')} (the tool)`,
              run: () => runTool(tool.command, tool.decompress, packedPath),
            },
            ...mine.decompress,
          ],
          { per: megabytes, rounds },
        );
        await compare(
          'codecs',
          `${tool.codec}: compress 64 MiB mixed at level ${tool.level}`,
          [
            { name: 'Codec.compress', run: () => void (sink += codec.compress(payload).size) },
            { name: 'CompressedOutputStream, 1 MiB writes', run: () => writeAll(tool.codec, tool.level) },
            {
              name: `${tool.command} ${tool.compress.join(' ')} (the tool)`,
              run: () => runTool(tool.command, tool.compress, payloadPath),
            },
            ...mine.compress,
          ],
          { per: megabytes, rounds },
        );
      },
      { ...once, timeout: 600_000 } as typeof once,
    );
  });
}

describe('snappy and lz4_raw (buffers only): 64 MiB mixed payload', () => {
  bench(
    '(tables printed above)',
    async () => {
      const snappyjs = require('snappyjs') as { compress(d: Uint8Array): Uint8Array; uncompress(d: Uint8Array): Uint8Array };
      const snappy = await Codec.open('snappy');
      const lz4Raw = await Codec.open('lz4_raw');
      const packed = snappy.compress(payload).toBytes();
      const rawPacked = lz4Raw.compress(payload).toBytes();
      await compare(
        'codecs',
        'snappy and lz4_raw: decompress 64 MiB mixed',
        [
          { name: 'snappy Codec.decompress', run: () => void (sink += snappy.decompress(packed).size) },
          { name: 'snappyjs uncompress', run: () => void (sink += snappyjs.uncompress(packed).byteLength) },
          { name: 'lz4_raw Codec.decompress', run: () => void (sink += lz4Raw.decompress(rawPacked, payload.byteLength).size) },
        ],
        { per: megabytes },
      );
      await compare(
        'codecs',
        'snappy and lz4_raw: compress 64 MiB mixed',
        [
          { name: 'snappy Codec.compress', run: () => void (sink += snappy.compress(payload).size) },
          { name: 'snappyjs compress', run: () => void (sink += snappyjs.compress(payload).byteLength) },
          { name: 'lz4_raw Codec.compress', run: () => void (sink += lz4Raw.compress(payload).size) },
        ],
        { per: megabytes },
      );
    },
    { ...once, timeout: 600_000 } as typeof once,
  );
});
