/**
 * Compressed streams when something goes wrong around them, as Arrow's CompressedInputStream
 * and CompressedOutputStream behave: abort discards, a failed read stays failed, the source's
 * and the sink's own errors come through unchanged, and flush pushes the compressor's output.
 */
import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { describe, expect, test, vi } from 'vitest';
import { wasm, type WasmModuleName } from '../../src/codecs/codec-modules.js';
import { nodeBuiltin } from '../../src/platform/node-builtin.js';
import {
  BufferOutputStream,
  BufferReader,
  CompressedInputStream,
  CompressedOutputStream,
  IOError,
  NativeFile,
  type CodecName,
  type UnderlyingFile,
} from '../../src/index.js';
import { sample } from './tools.js';

const STREAMS: CodecName[] = ['gzip', 'deflate', 'deflate-raw', 'bz2', 'brotli', 'lz4', 'zstd'];
const encoder = new TextEncoder();

/** An output stream that records what reaches it, and whether it was closed or aborted. */
function recordingSink(failWith?: Error): { file: NativeFile; written: () => number; bytes: () => Uint8Array; calls: string[] } {
  const calls: string[] = [];
  const chunks: Uint8Array[] = [];
  const sink: UnderlyingFile = {
    write(bytes) {
      if (failWith !== undefined) throw failWith;
      chunks.push(bytes.slice());
    },
    close: () => void calls.push('close'),
    abort: () => void calls.push('abort'),
  };
  const file = new NativeFile(sink, { kind: 'RecordingSink', mode: 'wb', seekable: false, sync: false });
  const bytes = (): Uint8Array => new Uint8Array(chunks.flatMap((chunk) => [...chunk]));
  return { file, written: () => bytes().byteLength, bytes, calls };
}

/** An input stream whose reads fail with `error` after `before` bytes. */
function failingSource(before: Uint8Array, error: unknown): NativeFile {
  let offset = 0;
  const source: UnderlyingFile = {
    read(into) {
      if (offset >= before.byteLength) throw error;
      const count = Math.min(into.byteLength, before.byteLength - offset);
      into.set(before.subarray(offset, offset + count));
      offset += count;
      return count;
    },
  };
  return new NativeFile(source, { kind: 'FailingSource', mode: 'rb', seekable: false, sync: false });
}

async function pack(name: CodecName, data: Uint8Array): Promise<Uint8Array> {
  const raw = new BufferOutputStream();
  const out = new CompressedOutputStream(raw, name);
  await out.write(data);
  await out.close();
  return raw.getValue().toBytes();
}

describe.each(STREAMS)('%s', (name) => {
  test('abort aborts raw and writes no end of stream', async () => {
    const sink = recordingSink();
    const out = new CompressedOutputStream(sink.file, name);
    await out.write(sample(300_000, 3));
    const before = sink.written();
    await out.abort(new Error('cancelled'));
    expect(sink.calls).toEqual(['abort']);
    expect(sink.written()).toBe(before);
  });

  test('after a truncation error, every later read throws the same error', async () => {
    const packed = await pack(name, sample(200_000, 4));
    const input = new CompressedInputStream(new BufferReader(packed.subarray(0, packed.byteLength >> 1)), name);
    let first: unknown;
    try {
      for (let part = await input.read(65536); part.byteLength > 0; part = await input.read(65536));
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(IOError);
    await expect(input.read(65536)).rejects.toBe(first);
    await expect(input.read(65536)).rejects.toBe(first);
    await input.close();
  });

  test("the source's own error passes through unchanged", async () => {
    const packed = await pack(name, sample(200_000, 5));
    for (const error of [new TypeError('network down'), new DOMException('the read was aborted', 'AbortError')]) {
      const input = new CompressedInputStream(failingSource(packed.subarray(0, 100), error), name);
      await expect(input.read(1 << 20)).rejects.toBe(error);
      await input.close();
    }
  });

  test("after the sink fails, write and close reject with the sink's error", async () => {
    const diskFull = new Error('disk full');
    const out = new CompressedOutputStream(recordingSink(diskFull).file, name);
    // Enough that some compressed output reaches the sink before close.
    await expect(out.write(sample(4_000_000, 6))).rejects.toBe(diskFull);
    await expect(out.close()).rejects.toBe(diskFull);
  });

  test('flush writes what was written so far to raw, decodable', async () => {
    const sink = recordingSink();
    const out = new CompressedOutputStream(sink.file, name);
    await out.write(encoder.encode('hello flushed data\n'));
    await out.flush();
    expect(sink.file.tell()).toBeGreaterThan(0);
    const flushed = sink.bytes();
    const prefix = decodeFlushed(name, flushed);
    if (prefix !== undefined) expect(new TextDecoder().decode(prefix)).toBe('hello flushed data\n');
    await out.close();
  });
});

/** A flushed but unfinished stream decoded with Node's zlib (undefined for codecs it lacks). */
function decodeFlushed(name: CodecName, bytes: Uint8Array): Uint8Array | undefined {
  const sync = { finishFlush: constants.Z_SYNC_FLUSH };
  switch (name) {
    case 'gzip':
      return gunzipSync(bytes, sync);
    case 'deflate':
      return inflateSync(bytes, sync);
    case 'deflate-raw':
      return inflateRawSync(bytes, sync);
    case 'brotli':
      return brotliDecompressSync(bytes, { finishFlush: constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}

describe('after the sink fails, close() releases the compressor', () => {
  test.each([
    ['zstd', 'zstd-encoder'],
    ['lz4', 'lz4'],
    ['bz2', 'bz2'],
  ] as Array<[CodecName, WasmModuleName]>)('%s: the wasm encoder is disposed', async (name, module) => {
    const coders = await wasm(module);
    const make = coders.encoder.bind(coders);
    let disposed = 0;
    const spy = vi.spyOn(coders, 'encoder').mockImplementation((level: number) => {
      const encoder = make(level);
      const dispose = encoder.dispose.bind(encoder);
      encoder.dispose = () => void (disposed++, dispose());
      return encoder;
    });
    try {
      const out = new CompressedOutputStream(recordingSink(new Error('disk full')).file, name);
      await expect(out.write(sample(3_000_000, 13))).rejects.toThrow('disk full');
      await expect(out.close()).rejects.toThrow('disk full');
      expect(disposed).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  test("gzip: Node's zlib stream is destroyed", async () => {
    const made = madeBy('createGzip');
    try {
      const out = new CompressedOutputStream(recordingSink(new Error('disk full')).file, 'gzip');
      await expect(out.write(sample(3_000_000, 14))).rejects.toThrow('disk full');
      await expect(out.close()).rejects.toThrow('disk full');
      expect(made.streams.map((stream) => stream.destroyed)).toEqual([true]);
    } finally {
      made.restore();
    }
  });
});

test("deflate: close() before the end destroys Node's inflate engine, not left to garbage collection", async () => {
  const made = madeBy('createInflate');
  try {
    const input = new CompressedInputStream(new BufferReader(zlib.deflateSync(sample(4_000_000, 15))), 'deflate');
    expect((await input.read(1000)).byteLength).toBe(1000);
    await input.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(made.streams.map((engine) => engine.destroyed)).toEqual([true]);
  } finally {
    made.restore();
  }
});

/** The streams Node's zlib makes through `create` (the one nativefile's code reaches) until `restore()`. */
function madeBy(create: 'createGzip' | 'createInflate'): { streams: Array<{ destroyed: boolean }>; restore: () => void } {
  const node = nodeBuiltin('node:zlib') as typeof zlib;
  const original = node[create] as (options?: zlib.ZlibOptions) => zlib.Gzip | zlib.Inflate;
  const streams: Array<{ destroyed: boolean }> = [];
  const spy = vi.spyOn(node, create).mockImplementation((options?: zlib.ZlibOptions) => {
    const stream = original(options);
    streams.push(stream);
    return stream as zlib.Gzip & zlib.Inflate;
  });
  return { streams, restore: () => spy.mockRestore() };
}
