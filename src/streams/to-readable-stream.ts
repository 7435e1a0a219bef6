import { checkFile } from '../io/check-file.js';
import { NativeFile } from '../io/native-file.js';
import { checkSize, describe } from '../util/validate.js';
import { streamClasses } from './web-streams.js';

/** Options of {@link toReadableStream}. */
export interface ToReadableStreamOptions {
  /** Bytes per chunk for default readers; BYOB readers choose their own. Default 64 KiB. */
  chunkSize?: number;
  /** Aborting errors the stream with the signal's reason and closes the file. */
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 64 * 1024;

/**
 * A `ReadableStream` of type `'bytes'` over a readable file, from its current position.
 *
 * Every read lands straight in the reader's memory: BYOB readers' views, or for default
 * readers chunks the stream allocates (`autoAllocateChunkSize`), filled by `readInto` with no
 * intermediate copy. Pool memory itself is never enqueued: a stream takes ownership of (and
 * detaches) the `ArrayBuffer` of every chunk, which shared memory cannot allow.
 *
 * The file is closed when the stream ends, is cancelled or errors; a file error errors the
 * stream with that same error.
 */
export function toReadableStream(file: NativeFile, options: ToReadableStreamOptions = {}): ReadableStream<Uint8Array> {
  checkFile(file, 'file', 'readable');
  const chunkSize = checkSize(options.chunkSize ?? DEFAULT_CHUNK, 'options.chunkSize');
  if (chunkSize === 0) throw new RangeError('options.chunkSize must be at least 1, got 0');
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  const release = () => file.close().catch(() => {});
  let onAbort: (() => void) | undefined;
  const { ReadableStream } = streamClasses();
  return new ReadableStream({
    type: 'bytes',
    autoAllocateChunkSize: chunkSize,
    start(controller) {
      if (signal === undefined) return;
      onAbort = () => {
        controller.error(signal.reason);
        void release();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      const request = controller.byobRequest!;
      const view = request.view!;
      try {
        const got = await file.readInto(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
        if (got === 0) {
          controller.close();
          request.respond(0);
          signal?.removeEventListener('abort', onAbort!);
          await release();
        } else {
          request.respond(got);
        }
      } catch (error) {
        signal?.removeEventListener('abort', onAbort!);
        await release();
        throw error;
      }
    },
    async cancel() {
      signal?.removeEventListener('abort', onAbort!);
      await release();
    },
  }) as ReadableStream<Uint8Array>;
}
