/**
 * Whole-buffer codecs (`Codec`): Node's zlib where it has the codec, else a synchronous coder
 * loaded on first use (fflate for gzip and deflate in browsers, wasm builds of the reference
 * libraries, snappy in TypeScript).
 * @module
 */
import { corrupt } from './codec-errors.js';
import { fflate, wasm } from './codec-modules.js';
import type { CodecName } from './names.js';
import { decodeAll, encodeAll, zstdContentSize, type BufferCodec, type SyncDecoder, type SyncEncoder } from './transform.js';
import { importNodeZlib, zlibHas } from './zlib-module.js';

type Flate = 'gzip' | 'deflate' | 'deflate-raw';
const isFlate = (name: CodecName): name is Flate => name === 'gzip' || name === 'deflate' || name === 'deflate-raw';

/** A whole-buffer codec of `name` at `level` (its default level when `undefined`). */
export async function bufferCodec(name: CodecName, level: number | undefined): Promise<BufferCodec> {
  const zlib = await importNodeZlib();
  if (zlib !== undefined && zlibHas(zlib, name)) {
    const node = (await import('./node-zlib.js')).nodeBufferCodec(zlib, name, level);
    if (name !== 'zstd') return node;
    // Node's zstd decoder stops at the end of the first frame and reports a cut frame as a
    // clean end (nodejs/node#64741), and nothing it returns tells the two apart: the wasm
    // decoder, which reads every frame and knows where each ends, decompresses.
    const decoder = await wasm('zstd-decoder');
    return { compress: (data) => node.compress(data), decompress: decoding(name, () => decoder.decoder()) };
  }
  if (isFlate(name)) {
    const m = await fflate();
    return fromCoders(
      name,
      () => m.fflateDecoder(name),
      () => m.fflateEncoder(name, level ?? 6),
    );
  }
  switch (name) {
    case 'snappy':
      return (await import('./snappy.js')).snappy;
    case 'lz4_raw': {
      const m = await wasm('lz4');
      return {
        compress: (data) => m.compressBlock(data, level ?? 1),
        // Codec.decompress gives the exact decompressedSize as the limit.
        decompress: (data, size) => m.decompressBlock(data, size) ?? raise(corrupt('lz4_raw')),
      };
    }
    case 'lz4':
    case 'bz2': {
      const m = await wasm(name);
      return fromCoders(
        name,
        () => m.decoder(),
        () => m.encoder(level ?? 1),
      );
    }
    default: {
      const [decoder, encoder] = await Promise.all([wasm(`${name}-decoder`), wasm(`${name}-encoder`)]);
      return fromCoders(
        name,
        () => decoder.decoder(),
        () => encoder.encoder(level!),
      );
    }
  }
}

function fromCoders(name: CodecName, decoder: () => SyncDecoder, encoder: () => SyncEncoder): BufferCodec {
  return { compress: (data) => encodeAll(encoder(), data), decompress: decoding(name, decoder) };
}

function decoding(name: CodecName, decoder: () => SyncDecoder): BufferCodec['decompress'] {
  return (data, limit) => decodeAll(decoder(), data, limit, name, name === 'zstd' ? zstdContentSize(data) : undefined);
}

function raise(error: Error): never {
  throw error;
}
