import { checkFile } from '../../io/core/file-check.js';
import type { OutputStream } from '../../io/core/interfaces.js';
import { bytesOf, type BytesLike } from '../../memory/buffer.js';
import { checkSize } from '../../util/validate.js';
import { checkStreamsExist } from './byte-streams.js';

/** Options of {@link toWritableStream}. */
export interface ToWritableStreamOptions {
  /** Bytes the stream queues before it applies backpressure. Default 1 MiB. */
  highWaterMark?: number;
}

/**
 * The runtime's own `WritableStream`, writing every chunk to a writable file. Writes are
 * queued up to `highWaterMark` bytes, beyond which `writer.ready` waits (backpressure).
 * Closing the stream closes the file (a `BufferOutputStream`'s `getValue()` still works);
 * aborting it, or a failed write, aborts the file.
 */
export function toWritableStream(file: OutputStream, options: ToWritableStreamOptions = {}): WritableStream<BytesLike> {
  const sink = checkFile(file, 'file', 'writable');
  const highWaterMark = checkSize(options.highWaterMark ?? 1024 * 1024, 'options.highWaterMark');
  checkStreamsExist();
  return new WritableStream<BytesLike>(
    {
      async write(chunk) {
        try {
          await sink.write(bytesOf(chunk, 'chunk'));
        } catch (error) {
          // The stream is errored from here on: nothing more will reach the file.
          await sink.abort(error).catch(() => {});
          throw error;
        }
      },
      close: () => sink.close(),
      abort: (reason: unknown) => sink.abort(reason),
    },
    // A chunk that is not bytes counts nothing here: thrown from `size`, its error would error
    // the stream without calling `abort`, leaving the file open; `write` refuses it and aborts.
    { highWaterMark, size: byteCount },
  );
}

function byteCount(chunk: BytesLike): number {
  try {
    return bytesOf(chunk, 'chunk').byteLength;
  } catch {
    return 0;
  }
}
