import { IOError } from '../../errors.js';
import { checkSize } from '../../util/validate.js';
import { checkFile } from '../core/file-check.js';
import { fileClass } from '../core/file-class.js';
import type { Async, InputStream } from '../core/interfaces.js';
import type { NativeFile } from '../core/native-file.js';
import type { UnderlyingFile } from '../core/underlying.js';
import type { Codec } from '../../codecs/codec.js';
import { checkCodecName, CODECS, type CodecName } from '../../codecs/names.js';
import { UnsupportedOperationError } from '../../errors.js';
import { openDecompressor, type Decompressor } from './decompressors.js';

/** Options of {@link CompressedInputStream}. */
export interface CompressedInputOptions {
  /**
   * The most decompressed bytes the stream yields; past it a read throws an `IOError` (code
   * `'E2BIG'`). Guards a reader of untrusted input against a small file that expands to
   * gigabytes. Default: no limit.
   */
  maxOutputBytes?: number;
}

/**
 * Decompressed chunks of `raw`, handed out as the core asks. Once a read fails, every later
 * one fails with the same error (Arrow's stream stays failed): the decompressor cannot go on.
 */
class DecompressingSource implements UnderlyingFile {
  #decompressor: Promise<Decompressor> | undefined;
  #failure: { readonly error: unknown } | undefined;
  #pending: Uint8Array | undefined;
  #produced = 0;
  /** Whether bytes past `maxOutputBytes` were dropped: a read that needs more fails, never ends short. */
  #overLimit = false;

  constructor(
    readonly raw: NativeFile,
    readonly codec: CodecName,
    readonly maxOutputBytes: number,
  ) {}

  async read(into: Uint8Array): Promise<number> {
    while (this.#pending === undefined || this.#pending.byteLength === 0) {
      if (this.#overLimit) {
        throw new IOError(`${this.codec} data expands past maxOutputBytes (${this.maxOutputBytes} bytes)`, { code: 'E2BIG' });
      }
      const chunk = await this.#next();
      if (chunk === undefined) return 0;
      // The bytes up to the limit are read; those past it are dropped, and the read that needs them fails.
      const allowed = this.maxOutputBytes - this.#produced;
      this.#overLimit = chunk.byteLength > allowed;
      this.#pending = this.#overLimit ? chunk.subarray(0, allowed) : chunk;
      this.#produced += this.#pending.byteLength;
    }
    const count = Math.min(into.byteLength, this.#pending.byteLength);
    into.set(this.#pending.subarray(0, count));
    this.#pending = this.#pending.subarray(count);
    return count;
  }

  /** Interrupts `raw`'s read waiting on a source that may never answer (the decompressor waits on it). */
  interrupt(): void {
    this.raw.interrupt();
  }

  async close(): Promise<void> {
    this.#pending = undefined;
    try {
      if (this.#decompressor !== undefined) await (await this.#decompressor).cancel();
    } finally {
      // Closed even when the decompressor never opened or failed to cancel.
      await this.raw.close();
    }
  }

  async #next(): Promise<Uint8Array | undefined> {
    if (this.#failure !== undefined) throw this.#failure.error;
    this.#decompressor ??= openDecompressor(this.raw, this.codec);
    try {
      return await (await this.#decompressor).next();
    } catch (error) {
      // Corrupt data is an IOError already (decompressors.ts); the source's own error stays its own.
      this.#failure = { error };
      throw error;
    }
  }
}

/**
 * Decompresses what it reads from `raw` with a stream codec (`gzip`, `deflate`,
 * `deflate-raw`, `bz2`, `brotli`, `lz4`, `zstd`): the platform's own where it has the codec,
 * else one loaded on the first read. Concatenated frames, members and streams are read fully.
 * Async, not seekable. Corrupt or truncated input makes reads fail with an {@link IOError}
 * naming the codec. Closing it closes `raw`.
 */
export class CompressedInputStream extends fileClass<Async<InputStream>>() {
  /** The codec's name. */
  readonly codec: CodecName;

  constructor(raw: InputStream, codec: CodecName | Codec, options: CompressedInputOptions = {}) {
    const checkedCodec = checkStreamCodec(codec);
    const file = checkFile(raw, 'raw', 'readable');
    const max = options.maxOutputBytes === undefined ? Infinity : checkSize(options.maxOutputBytes, 'options.maxOutputBytes');
    super(new DecompressingSource(file, checkedCodec, max), {
      kind: 'CompressedInputStream',
      mode: 'rb',
      seekable: false,
      sync: false,
    });
    this.codec = checkedCodec;
  }
}

/** A stream codec's name from a name or a `Codec`; `UnsupportedOperationError` for a buffer-only codec. */
export function checkStreamCodec(codec: unknown): CodecName {
  // A Codec by its name (duck-typed: the streams do not pull in the Codec class).
  const given = typeof codec === 'object' && codec !== null && 'name' in codec ? (codec as Codec).name : codec;
  const name = checkCodecName(given, 'compression');
  if (!CODECS[name].stream) {
    throw new UnsupportedOperationError(`the ${name} codec works on whole buffers only, not in a compressed stream`);
  }
  return name;
}
