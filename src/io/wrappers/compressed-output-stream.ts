import type { Codec } from '../../codecs/codec.js';
import { checkLevel, type CodecName } from '../../codecs/names.js';
import { checkFile } from '../core/file-check.js';
import { fileClass } from '../core/file-class.js';
import type { Async, OutputStream } from '../core/interfaces.js';
import { compressingSink } from './compressors.js';
import { checkStreamCodec } from './compressed-input-stream.js';

/** Options of {@link CompressedOutputStream}. */
export interface CompressedOutputOptions {
  /**
   * The compression level (`Codec.minimumCompressionLevel` to `maximumCompressionLevel`); the
   * codec's default when left out, or the `Codec`'s level when one is given.
   */
  level?: number;
}

/**
 * Compresses what is written to it with a stream codec (`gzip`, `deflate`, `deflate-raw`,
 * `bz2`, `brotli`, `lz4`, `zstd`) and writes the result to `raw`: the platform's own where it
 * has the codec at that level, else one loaded on the first write. Async, not seekable. The
 * compressed stream is complete only after `close()`, which also closes `raw`.
 */
export class CompressedOutputStream extends fileClass<Async<OutputStream>>() {
  /** The codec's name. */
  readonly codec: CodecName;

  constructor(raw: OutputStream, codec: CodecName | Codec, options: CompressedOutputOptions = {}) {
    const checkedCodec = checkStreamCodec(codec);
    const given =
      options.level ?? (typeof codec === 'object' && codec !== null ? (codec.compressionLevel ?? undefined) : undefined);
    // Checked now; left undefined when not given, so the platform's own codec at its default may run.
    const level = given === undefined ? undefined : checkLevel(checkedCodec, given);
    const file = checkFile(raw, 'raw', 'writable');
    super(compressingSink(file, checkedCodec, level), {
      kind: 'CompressedOutputStream',
      mode: 'wb',
      seekable: false,
      sync: false,
    });
    this.codec = checkedCodec;
  }
}
