import { IOError, UnsupportedOperationError } from '../errors.js';
import { Buffer, type BytesLike } from '../memory/buffer.js';
import { checkSize, viewOf } from '../util/validate.js';
import { corrupt, tooLarge } from './codec-errors.js';
import { bufferCodec } from './buffer-codecs.js';
import { checkCodecName, checkLevel, codecFromPath, CODECS, levelsOf, type CodecName } from './names.js';
import type { BufferCodec } from './transform.js';

/** Options of {@link Codec.open}. */
export interface CodecOptions {
  /** The compression level; the codec's default when left out. A codec without levels takes none. */
  level?: number;
  /**
   * The most bytes `decompress` makes; past it, an `IOError` (`E2BIG`). Guards against a small
   * input that expands to gigabytes. Default: no limit (a `decompressedSize` limits a call).
   */
  maxOutputBytes?: number;
}

const OPENING = Symbol('Codec.open');

/**
 * A compression codec for whole buffers, as PyArrow's `Codec`: `await Codec.open(name)`
 * loads what the codec needs once, then `compress` and `decompress` are synchronous. Names:
 * `'gzip'`, `'deflate'`, `'deflate-raw'`, `'bz2'`, `'brotli'`, `'lz4'` (the LZ4 frame format),
 * `'zstd'`, `'snappy'` and `'lz4_raw'`.
 */
export class Codec {
  /** The codec's name. */
  readonly name: CodecName;
  /** The level it compresses at; `null` for a codec without levels (snappy). */
  readonly compressionLevel: number | null;
  readonly #codec: BufferCodec;
  readonly #maxOutputBytes: number;

  /** @internal Use {@link Codec.open}. */
  constructor(token: typeof OPENING, name: CodecName, level: number | undefined, codec: BufferCodec, maxOutputBytes: number) {
    if (token !== OPENING) throw new TypeError('a Codec is made by `await Codec.open(name, options)`');
    this.name = name;
    this.compressionLevel = level ?? null;
    this.#codec = codec;
    this.#maxOutputBytes = maxOutputBytes;
  }

  /**
   * Loads codec `name` (once per thread) and returns it. An unknown name is a `RangeError`
   * listing the names; a level out of range, or given to a codec without levels, a `RangeError`.
   */
  static async open(name: CodecName, options: CodecOptions = {}): Promise<Codec> {
    const checked = checkCodecName(name);
    const level = checkLevel(checked, options.level);
    const max = options.maxOutputBytes === undefined ? Infinity : checkSize(options.maxOutputBytes, 'options.maxOutputBytes');
    if (!Codec.isAvailable(checked)) {
      throw new UnsupportedOperationError(`the ${checked} codec needs WebAssembly, which this runtime does not have`);
    }
    return new Codec(OPENING, checked, level, await bufferCodec(checked, level), max);
  }

  /** Whether this runtime can run `name` (every codec runs wherever WebAssembly does). */
  static isAvailable(name: CodecName): boolean {
    const checked = checkCodecName(name);
    return typeof WebAssembly === 'object' || checked === 'snappy' || /^(gzip|deflate|deflate-raw)$/.test(checked);
  }

  /** Whether `name` takes a compression level. */
  static supportsCompressionLevel(name: CodecName): boolean {
    return CODECS[checkCodecName(name)].levels !== undefined;
  }

  /** The level `name` compresses at when none is given; `RangeError` for a codec without levels. */
  static defaultCompressionLevel(name: CodecName): number {
    return levelsOf(checkCodecName(name)).default;
  }

  /** The lowest level `name` takes; `RangeError` for a codec without levels. */
  static minimumCompressionLevel(name: CodecName): number {
    return levelsOf(checkCodecName(name)).min;
  }

  /** The highest level `name` takes; `RangeError` for a codec without levels. */
  static maximumCompressionLevel(name: CodecName): number {
    return levelsOf(checkCodecName(name)).max;
  }

  /** The stream codec a path's extension names (`.gz .bz2 .br .lz4 .zst`, `.deflate`), or `null`. */
  static detect(path: string | URL): CodecName | null {
    return codecFromPath(path instanceof URL ? path.pathname : path);
  }

  /** Compresses `data` into a new Buffer. */
  compress(data: BytesLike): Buffer {
    return Buffer.wrap(this.#codec.compress(bytesOf(data)));
  }

  /**
   * Decompresses `data` into a new Buffer. With `decompressedSize`, the result must be exactly
   * that long (`lz4_raw` needs it: `RangeError` without). Corrupt or truncated input is an
   * `IOError` naming the codec.
   */
  decompress(data: BytesLike, decompressedSize?: number): Buffer {
    const size = decompressedSize === undefined ? undefined : checkSize(decompressedSize, 'decompressedSize');
    if (size === undefined && this.name === 'lz4_raw') {
      throw new RangeError('lz4_raw data does not record its size: pass decompressedSize');
    }
    if (size !== undefined && size > this.#maxOutputBytes) throw tooLarge(this.name, this.#maxOutputBytes);
    const limit = size ?? this.#maxOutputBytes;
    let output: Uint8Array | null;
    try {
      output = this.#codec.decompress(bytesOf(data), limit);
    } catch (error) {
      if (error instanceof IOError && error.code === 'E2BIG' && size !== undefined) {
        throw new IOError(`${this.name} data expands past its decompressedSize (${size} bytes)`, { code: 'E2BIG', cause: error });
      }
      throw error;
    }
    if (output === null) throw corrupt(this.name);
    if (size !== undefined && output.byteLength !== size) {
      throw new IOError(`${this.name} data holds ${output.byteLength} bytes, not the decompressedSize of ${size}`, {
        code: 'EINVAL',
      });
    }
    return Buffer.wrap(output);
  }
}

function bytesOf(data: BytesLike): Uint8Array {
  return data instanceof Buffer ? data.view : viewOf(data, 'data');
}

/** Options of {@link compress}. */
export interface CompressOptions {
  /** The codec's name. */
  codec: CodecName;
  /** The compression level; the codec's default when left out. */
  level?: number;
}

/** Options of {@link decompress}. */
export interface DecompressOptions {
  /** The codec's name. */
  codec: CodecName;
  /** The size of the decompressed data, which the result must have (`lz4_raw` needs it). */
  decompressedSize?: number;
  /** The most bytes to make; past it, an `IOError` (`E2BIG`). Default: no limit. */
  maxOutputBytes?: number;
}

/** Compresses `data` with a codec (PyArrow's `pa.compress`): `Codec.open` and `compress` in one. */
export async function compress(data: BytesLike, options: CompressOptions): Promise<Buffer> {
  return (await Codec.open(options.codec, { level: options.level })).compress(data);
}

/** Decompresses `data` with a codec (PyArrow's `pa.decompress`): `Codec.open` and `decompress` in one. */
export async function decompress(data: BytesLike, options: DecompressOptions): Promise<Buffer> {
  const codec = await Codec.open(options.codec, { maxOutputBytes: options.maxOutputBytes });
  return codec.decompress(data, options.decompressedSize);
}
