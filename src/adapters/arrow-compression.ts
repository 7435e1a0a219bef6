/**
 * Codecs for apache-arrow's IPC body compression (LZ4 frame and zstd, the two the Arrow
 * format names): apache-arrow 21 and later take them in its `compressionRegistry`.
 * @module
 */
import { Codec } from '../codecs/codec.js';
import { describe } from '../util/validate.js';

/** What apache-arrow's `compressionRegistry.set` takes: synchronous encode and decode. */
export interface ArrowIpcCodec {
  /** Compresses one body buffer into a frame. */
  encode(data: Uint8Array): Uint8Array;
  /** Decompresses one frame (an IOError naming the codec when corrupt). */
  decode(data: Uint8Array): Uint8Array;
}

/**
 * The codec for Arrow IPC's `'lz4'` (LZ4 frame, `CompressionType.LZ4_FRAME`) or `'zstd'`
 * (`CompressionType.ZSTD`), loaded now. Register it yourself:
 * `compressionRegistry.set(CompressionType.ZSTD, await arrowIpcCodec('zstd'))`.
 */
export async function arrowIpcCodec(name: 'lz4' | 'zstd', options: { level?: number } = {}): Promise<ArrowIpcCodec> {
  if (name !== 'lz4' && name !== 'zstd') throw new RangeError(`Arrow IPC compresses with 'lz4' or 'zstd', got ${describe(name)}`);
  const codec = await Codec.open(name, options);
  return {
    encode: (data) => codec.compress(data).toBytes(),
    decode: (data) => codec.decompress(data).toBytes(),
  };
}
