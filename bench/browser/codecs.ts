// The page side of bench/browser/codecs.mjs: each contender decompresses or compresses the
// 64 MiB mixed payload once and returns MB/s. The compressed inputs are the reference tools'
// output, written by the runner next to this page.
import { decompress as fzstdDecompress } from 'fzstd';
import { compress as lz4Compress, decompress as lz4Decompress } from 'lz4js';
import { Codec } from '../../src/codecs/codec.js';
import { BufferReader } from '../../src/io/backends/buffer-reader.js';
import { CompressedInputStream } from '../../src/io/wrappers/compressed-input-stream.js';
import { mixedPayload } from '../codec-payload.js';

const MiB = 1024 * 1024;
let payload: Uint8Array = new Uint8Array(0);
const packed: Record<string, Uint8Array> = {};
const codecs: Record<string, Codec> = {};
let sink = 0;

async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return payload.byteLength / 1e6 / ((performance.now() - started) / 1000);
}

async function readAll(name: 'zstd' | 'lz4'): Promise<void> {
  const input = new CompressedInputStream(new BufferReader(packed[name]!), name);
  for (let part = await input.read(MiB); part.byteLength > 0; part = await input.read(MiB)) sink += part.byteLength;
  await input.close();
}

const bench = {
  async prepare(): Promise<void> {
    payload = mixedPayload();
    for (const name of ['zstd', 'lz4'] as const) {
      packed[name] = new Uint8Array(await (await fetch(`/bench/.codecs/payload.${name}`)).arrayBuffer());
      codecs[name] = await Codec.open(name, { level: name === 'zstd' ? 3 : 1 });
    }
  },
  zstdCodecDecompress: () => timed(() => (sink += codecs.zstd!.decompress(packed.zstd!).size)),
  zstdStream: () => timed(() => readAll('zstd')),
  fzstdDecompress: () => timed(() => (sink += fzstdDecompress(packed.zstd!).byteLength)),
  zstdCodecCompress: () => timed(() => (sink += codecs.zstd!.compress(payload).size)),
  lz4CodecDecompress: () => timed(() => (sink += codecs.lz4!.decompress(packed.lz4!).size)),
  lz4Stream: () => timed(() => readAll('lz4')),
  lz4jsDecompress: () => timed(() => (sink += lz4Decompress(packed.lz4!).byteLength)),
  lz4CodecCompress: () => timed(() => (sink += codecs.lz4!.compress(payload).size)),
  lz4jsCompress: () => timed(() => (sink += lz4Compress(payload).byteLength)),
};

(globalThis as unknown as { bench: typeof bench }).bench = bench;
document.getElementById('status')!.textContent = 'ready';
