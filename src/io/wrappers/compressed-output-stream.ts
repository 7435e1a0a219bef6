import { checkFile } from '../core/file-check.js';
import { fileClass } from '../core/file-class.js';
import type { Async, OutputStream } from '../core/interfaces.js';
import type { NativeFile } from '../core/native-file.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { checkCodec, type Codec } from './codec.js';

/** Feeds the platform's `CompressionStream` and writes its output to `raw` as it comes. */
function compressingSink(raw: NativeFile, codec: Codec): UnderlyingFile {
  const compressor = new CompressionStream(codec);
  const writer = compressor.writable.getWriter();
  const drained = drain(compressor.readable.getReader(), raw);
  // The error surfaces through write() and close(); keep it from being unhandled meanwhile.
  drained.catch(() => {});
  return {
    async write(bytes) {
      await writer.ready;
      // The compressor may hold the chunk after this returns, and the caller may reuse its memory.
      await writer.write(bytes.slice());
    },
    // What the compressor has emitted so far goes down to `raw` (a CompressionStream cannot be
    // made to emit what it still holds before close).
    async flush() {
      await writer.ready;
      await raw.flush();
    },
    async close() {
      try {
        await writer.close();
        await drained;
      } finally {
        await raw.close();
      }
    },
  };
}

/**
 * Compresses what is written to it with the platform's `CompressionStream` (`gzip`,
 * `deflate` or `deflate-raw`) and writes the result to `raw`. Async, not seekable. The
 * compressed stream is complete only after `close()`, which also closes `raw`.
 */
export class CompressedOutputStream extends fileClass<Async<OutputStream>>() {
  /** The compression format. */
  readonly codec: Codec;

  constructor(raw: OutputStream, codec: Codec) {
    const checkedCodec = checkCodec(codec);
    const file = checkFile(raw, 'raw', 'writable');
    super(compressingSink(file, checkedCodec), {
      kind: 'CompressedOutputStream',
      mode: 'wb',
      seekable: false,
      sync: false,
    });
    this.codec = checkedCodec;
  }
}

/**
 * Writes the compressor's output to `raw` as it comes. If `raw` fails, cancelling the
 * compressor's output errors its input, so pending writes fail instead of waiting for room.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, raw: NativeFile): Promise<void> {
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      await raw.write(result.value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}
