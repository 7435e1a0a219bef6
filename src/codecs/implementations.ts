/**
 * Which implementation each codec runs here, loaded on first use: the platform's own where it
 * has one, else a module imported dynamically (docs/codecs.md says which and why).
 * @module
 */
import { UnsupportedOperationError } from '../errors.js';
import { corrupt } from './codec-errors.js';
import type { CodecName } from './names.js';
import { importNodeZlib, zlibHas } from './node-zlib.js';
import { platformHas, platformPair, platformReadsGzipMembers, type StreamPair } from './platform.js';
import { decodeAll, encodeAll, type BufferCodec, type SyncDecoder, type SyncEncoder } from './transform.js';
import type { ShimModule } from './wasm/shim-module.js';

/** How a stream (de)compresses: through a platform transform, or a synchronous coder. */
export type StreamCoding<Coder> = { readonly platform: () => StreamPair } | { readonly sync: () => Coder };

type Flate = 'gzip' | 'deflate' | 'deflate-raw';
const isFlate = (name: CodecName): name is Flate => name === 'gzip' || name === 'deflate' || name === 'deflate-raw';
/** zlib's default level, which `CompressionStream` uses. */
const PLATFORM_FLATE_LEVEL = 6;

const modules = new Map<string, Promise<ShimModule>>();

/** A wasm module, loaded once per thread. */
function wasm(key: 'zstd-decoder' | 'zstd-encoder' | 'brotli-decoder' | 'brotli-encoder' | 'lz4' | 'bz2'): Promise<ShimModule> {
  let module = modules.get(key);
  if (module === undefined) {
    // Each import is its own chunk, loaded only by the codec that needs it.
    switch (key) {
      case 'zstd-decoder':
        module = import('./wasm/zstd-decoder.js').then((m) => m.loadDecoder());
        break;
      case 'zstd-encoder':
        module = import('./wasm/zstd-encoder.js').then((m) => m.loadEncoder());
        break;
      case 'brotli-decoder':
        module = import('./wasm/brotli-decoder.js').then((m) => m.loadDecoder());
        break;
      case 'brotli-encoder':
        module = import('./wasm/brotli-encoder.js').then((m) => m.loadEncoder());
        break;
      case 'lz4':
        module = import('./wasm/lz4.js').then((m) => m.loadModule());
        break;
      default:
        module = import('./wasm/bz2.js').then((m) => m.loadModule());
    }
    modules.set(key, module);
    module.catch(() => modules.delete(key));
  }
  return module;
}

const fflate = () => import('./fflate-coders.js');

function bufferOnly(name: CodecName): never {
  throw new UnsupportedOperationError(`the ${name} codec works on whole buffers only (Codec, compress, decompress), not streams`);
}

/** The decoder a stream of `name` reads with. */
export async function streamDecoding(name: CodecName): Promise<StreamCoding<SyncDecoder>> {
  switch (name) {
    case 'gzip':
      if (await platformReadsGzipMembers()) return { platform: () => platformPair(name, 'decompress') };
      return fflate().then((m) => ({ sync: () => m.fflateDecoder(name) }));
    case 'deflate':
    case 'deflate-raw':
      if (platformHas(name, 'decompress')) return { platform: () => platformPair(name, 'decompress') };
      return fflate().then((m) => ({ sync: () => m.fflateDecoder(name) }));
    case 'zstd': {
      const zlib = await importNodeZlib();
      if (zlib !== undefined && zlibHas(zlib, 'zstd')) {
        const { nodePair, nodeZstdDecompressor } = await import('./node-zlib.js');
        return { platform: await nodePair(() => nodeZstdDecompressor(zlib)) };
      }
      return wasm('zstd-decoder').then((m) => ({ sync: () => m.decoder() }));
    }
    // Brotli everywhere through the wasm decoder: the platforms' decoders stop at the end of
    // the first stream (Node drops the rest, Firefox errors), and input may hold several.
    case 'brotli':
      return wasm('brotli-decoder').then((m) => ({ sync: () => m.decoder() }));
    case 'lz4':
      return wasm('lz4').then((m) => ({ sync: () => m.decoder() }));
    case 'bz2':
      return wasm('bz2').then((m) => ({ sync: () => m.decoder() }));
    default:
      return bufferOnly(name);
  }
}

/** The encoder a stream of `name` writes with, at `level` (`undefined` for the default). */
export async function streamEncoding(name: CodecName, level: number | undefined): Promise<StreamCoding<SyncEncoder>> {
  const zlib = await importNodeZlib();
  if (zlib !== undefined && zlibHas(zlib, name)) {
    const { nodeCompressor, nodePair } = await import('./node-zlib.js');
    return { platform: await nodePair(() => nodeCompressor(zlib, name, level)) };
  }
  if (isFlate(name)) {
    if ((level === undefined || level === PLATFORM_FLATE_LEVEL) && platformHas(name, 'compress')) {
      return { platform: () => platformPair(name, 'compress') };
    }
    return fflate().then((m) => ({ sync: () => m.fflateEncoder(name, level ?? PLATFORM_FLATE_LEVEL) }));
  }
  switch (name) {
    case 'brotli':
      // Firefox's CompressionStream has brotli (at its own quality), Chromium's has not.
      if (level === undefined && platformHas('brotli', 'compress')) return { platform: () => platformPair('brotli', 'compress') };
      return wasm('brotli-encoder').then((m) => ({ sync: () => m.encoder(level ?? 8) }));
    case 'zstd':
      return wasm('zstd-encoder').then((m) => ({ sync: () => m.encoder(level ?? 1) }));
    case 'lz4':
      return wasm('lz4').then((m) => ({ sync: () => m.encoder(level ?? 1) }));
    case 'bz2':
      return wasm('bz2').then((m) => ({ sync: () => m.encoder(level ?? 9) }));
    default:
      return bufferOnly(name);
  }
}

/** A whole-buffer codec of `name` at `level` (its default level when `undefined`). */
export async function bufferCodec(name: CodecName, level: number | undefined): Promise<BufferCodec> {
  const zlib = await importNodeZlib();
  if (zlib !== undefined && zlibHas(zlib, name)) return (await import('./node-zlib.js')).nodeBufferCodec(zlib, name, level);
  if (isFlate(name)) {
    const m = await fflate();
    return fromCoders(
      name,
      () => m.fflateDecoder(name),
      () => m.fflateEncoder(name, level ?? PLATFORM_FLATE_LEVEL),
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
  return {
    compress: (data) => encodeAll(encoder(), data),
    decompress: (data, limit) => decodeAll(decoder(), data, limit, name),
  };
}

function raise(error: Error): never {
  throw error;
}
