import { checkFile } from '../io/check-file.js';
import { NativeFile } from '../io/native-file.js';
import { bytesOf, type BytesLike } from '../memory/buffer.js';
import { checkSize } from '../util/validate.js';
import { streamClasses } from './web-streams.js';

/** Options of {@link toWritableStream}. */
export interface ToWritableStreamOptions {
  /** Bytes the stream queues before it applies backpressure. Default 1 MiB. */
  highWaterMark?: number;
}

/**
 * A `WritableStream` that writes every chunk to a writable file. Writes are queued up to
 * `highWaterMark` bytes, beyond which `writer.ready` waits (backpressure). Closing the stream
 * closes the file (a `BufferOutputStream`'s `getValue()` still works); aborting closes it too.
 */
export function toWritableStream(file: NativeFile, options: ToWritableStreamOptions = {}): WritableStream<BytesLike> {
  checkFile(file, 'file', 'writable');
  const highWaterMark = checkSize(options.highWaterMark ?? 1024 * 1024, 'options.highWaterMark');
  const { WritableStream } = streamClasses();
  return new WritableStream<BytesLike>(
    {
      async write(chunk) {
        await file.write(bytesOf(chunk, 'chunk'));
      },
      async close() {
        await file.close();
      },
      async abort() {
        await file.close();
      },
    },
    { highWaterMark, size: (chunk) => bytesOf(chunk, 'chunk').byteLength },
  );
}
