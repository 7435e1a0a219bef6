/**
 * How the compressed streams (de)compress each codec here: the platform's own transform where
 * it has the codec, else a synchronous coder loaded on first use (docs/codecs.md says which
 * and why).
 * @module
 */
import { UnsupportedOperationError } from '../errors.js';
import { fflate, wasm } from './codec-modules.js';
import type { CodecName } from './names.js';
import { platformHas, platformPair, platformReadsGzipMembers, type StreamPair } from './platform.js';
import type { NodeCompression } from './node-zlib.js';
import type { SyncDecoder, SyncEncoder } from './transform.js';
import { importNodeZlib, zlibHas } from './zlib-module.js';

/** How a stream (de)compresses: through a platform transform, or a synchronous coder. */
export type StreamCoding<Coder> = { readonly platform: () => StreamPair } | { readonly sync: () => Coder };

/**
 * How a stream compresses: as {@link StreamCoding}, or in Node through a zlib stream driven
 * directly, whose flush a platform transform would hide.
 */
export type StreamEncoding = StreamCoding<SyncEncoder> | { readonly node: () => NodeCompression };

type Flate = 'gzip' | 'deflate' | 'deflate-raw';
const isFlate = (name: CodecName): name is Flate => name === 'gzip' || name === 'deflate' || name === 'deflate-raw';
/** zlib's default level, which `CompressionStream` uses. */
const PLATFORM_FLATE_LEVEL = 6;

function bufferOnly(name: CodecName): never {
  throw new UnsupportedOperationError(`the ${name} codec works on whole buffers only (Codec, compress, decompress), not streams`);
}

/** The decoder a stream of `name` reads with. */
export async function streamDecoding(name: CodecName): Promise<StreamCoding<SyncDecoder>> {
  // Node: its zlib streams for gzip (members are read in turn), deflate and deflate-raw. Not
  // its brotli and zstd decoders: they stop at the end of the first stream or frame, and
  // zstd's reports a cut frame as a clean end (nodejs/node#64741).
  const zlib = await importNodeZlib();
  if (zlib !== undefined && isFlate(name)) {
    const { nodeDecompressor, nodePair } = await import('./node-zlib.js');
    return { platform: nodePair(() => nodeDecompressor(zlib, name)) };
  }
  switch (name) {
    case 'gzip':
      if (await platformReadsGzipMembers()) return { platform: () => platformPair(name, 'decompress') };
      return fflate().then((m) => ({ sync: () => m.fflateDecoder(name) }));
    case 'deflate':
    case 'deflate-raw':
      if (platformHas(name, 'decompress')) return { platform: () => platformPair(name, 'decompress') };
      return fflate().then((m) => ({ sync: () => m.fflateDecoder(name) }));
    // zstd and brotli everywhere through the wasm decoders: the platforms' stop at the end of
    // the first frame or stream (Node drops the rest, Firefox errors), and input may hold several.
    case 'zstd':
      return wasm('zstd-decoder').then((m) => ({ sync: () => m.decoder() }));
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
export async function streamEncoding(name: CodecName, level: number | undefined): Promise<StreamEncoding> {
  const zlib = await importNodeZlib();
  if (zlib !== undefined && zlibHas(zlib, name)) {
    const { nodeCompressor } = await import('./node-zlib.js');
    return { node: () => nodeCompressor(zlib, name, level) };
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
