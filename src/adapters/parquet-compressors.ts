/**
 * Parquet page codecs for hyparquet (its `compressors` option) and hyparquet-writer, backed
 * by nativefile's codecs: zstd, brotli, gzip, LZ4 (Parquet's Hadoop-framed LZ4, with raw
 * blocks as readers also accept), LZ4_RAW and snappy, loaded when asked for.
 * @module
 */
import { Codec } from '../codecs/codec.js';
import { IOError } from '../errors.js';
import { describe } from '../util/validate.js';

/** Parquet's codec names, as hyparquet spells them. */
export type ParquetCodecName = 'SNAPPY' | 'GZIP' | 'BROTLI' | 'LZ4' | 'ZSTD' | 'LZ4_RAW';

/** hyparquet's `compressors`: page decompressors by Parquet codec name. */
export type ParquetDecompressors = {
  [name in ParquetCodecName]?: (input: Uint8Array, outputLength: number) => Uint8Array;
};

/** hyparquet-writer's `compressors`: page compressors by Parquet codec name. */
export type ParquetCompressors = { [name in ParquetCodecName]?: (input: Uint8Array) => Uint8Array };

const ALL: readonly ParquetCodecName[] = ['SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];
const NAMES = { SNAPPY: 'snappy', GZIP: 'gzip', BROTLI: 'brotli', LZ4: 'lz4_raw', ZSTD: 'zstd', LZ4_RAW: 'lz4_raw' } as const;

async function open(names: readonly ParquetCodecName[]): Promise<Map<ParquetCodecName, Codec>> {
  for (const name of names)
    if (!ALL.includes(name)) throw new RangeError(`unknown Parquet codec ${describe(name)}; use ${ALL.join(', ')}`);
  return new Map(await Promise.all(names.map(async (name) => [name, await Codec.open(NAMES[name])] as const)));
}

/**
 * Decompressors for hyparquet's `compressors` option: `parquetReadObjects({ file,
 * compressors: await parquetDecompressors() })`. Loads the codecs named (all by default).
 */
export async function parquetDecompressors(names: readonly ParquetCodecName[] = ALL): Promise<ParquetDecompressors> {
  const codecs = await open(names);
  const result: ParquetDecompressors = {};
  for (const [name, codec] of codecs) {
    result[name] =
      name === 'LZ4' ? (input, size) => hadoopLz4(codec, input, size) : (input, size) => codec.decompress(input, size).toBytes();
  }
  return result;
}

/** Compressors for hyparquet-writer's `compressors` option (LZ4 is written Hadoop-framed, as Arrow writes it). */
export async function parquetCompressors(names: readonly ParquetCodecName[] = ALL): Promise<ParquetCompressors> {
  const codecs = await open(names);
  const result: ParquetCompressors = {};
  for (const [name, codec] of codecs) {
    result[name] = name === 'LZ4' ? (input) => hadoopFrame(codec, input) : (input) => codec.compress(input).toBytes();
  }
  return result;
}

/** One Hadoop frame: big-endian decompressed and compressed sizes, then a raw LZ4 block. */
function hadoopFrame(codec: Codec, input: Uint8Array): Uint8Array {
  const block = codec.compress(input).toBytes();
  const out = new Uint8Array(8 + block.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, input.byteLength);
  view.setUint32(4, block.byteLength);
  out.set(block, 8);
  return out;
}

/** Parquet's LZ4: Hadoop frames when the input parses as them exactly, else one raw block (as Arrow reads it). */
function hadoopLz4(codec: Codec, input: Uint8Array, size: number): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const out = new Uint8Array(size);
  let at = 0;
  let written = 0;
  while (at + 8 <= input.byteLength) {
    const plain = view.getUint32(at);
    const packed = view.getUint32(at + 4);
    if (at + 8 + packed > input.byteLength || written + plain > size) break;
    try {
      out.set(codec.decompress(input.subarray(at + 8, at + 8 + packed), plain).view, written);
    } catch {
      break;
    }
    at += 8 + packed;
    written += plain;
  }
  if (at === input.byteLength && written === size) return out;
  try {
    return codec.decompress(input, size).toBytes();
  } catch (cause) {
    throw new IOError('LZ4 page is neither Hadoop-framed nor a raw LZ4 block', { code: 'EINVAL', cause });
  }
}
