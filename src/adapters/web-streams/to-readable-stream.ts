import { checkFile } from '../../io/core/file-check.js';
import type { InputStream } from '../../io/core/interfaces.js';
import { checkSize, describe } from '../../util/validate.js';
import { checkStreamsExist, hasByteStreams } from './byte-streams.js';

/** Options of {@link toReadableStream}. */
export interface ToReadableStreamOptions {
  /** Bytes per chunk for default readers; BYOB readers choose their own. Default 64 KiB. */
  chunkSize?: number;
  /** Aborting errors the stream with the signal's reason and closes the file. */
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 64 * 1024;

/**
 * The runtime's own `ReadableStream` over a readable file, from its current position, so
 * `Response`, `fetch`, `pipeTo` and `pipeThrough` take it.
 *
 * Where the engine has byte streams it is of type `'bytes'`: every read lands straight in
 * the reader's memory (BYOB readers' views, or chunks the stream allocates), filled by
 * `readInto` with no intermediate copy; pool memory is never enqueued, since a byte stream
 * detaches the buffer of every chunk. Elsewhere it is a default stream of fresh chunks.
 *
 * The file is closed when the stream ends, is cancelled or errors; a file error errors the
 * stream with that same error.
 */
export function toReadableStream(file: InputStream, options: ToReadableStreamOptions = {}): ReadableStream<Uint8Array> {
  const source = checkFile(file, 'file', 'readable');
  const chunkSize = checkSize(options.chunkSize ?? DEFAULT_CHUNK, 'options.chunkSize');
  if (chunkSize === 0) throw new RangeError('options.chunkSize must be at least 1, got 0');
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  checkStreamsExist();
  const seekable = source.seekable();
  let onAbort: (() => void) | undefined;
  const release = async () => {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    await source.close().catch(() => {});
  };
  const start = (controller: { error(reason: unknown): void }) => {
    if (signal === undefined) return;
    onAbort = () => {
      controller.error(signal.reason);
      void release();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  };
  /** Runs one read; on failure the file is closed and the stream errors with the same error. */
  const guarded = async (read: () => Promise<void>) => {
    try {
      await read();
    } catch (error) {
      await release();
      throw error;
    }
  };
  if (!hasByteStreams()) {
    return new ReadableStream<Uint8Array>({
      start,
      pull: (controller) =>
        guarded(async () => {
          // At most one read: a live stream's bytes are passed on as they come.
          const chunk = await source.read1(chunkSize);
          if (chunk.byteLength > 0) {
            controller.enqueue(chunk);
            return;
          }
          controller.close();
          await release();
        }),
      cancel: release,
    });
  }
  return new ReadableStream({
    type: 'bytes',
    autoAllocateChunkSize: chunkSize,
    start,
    pull: (controller) =>
      guarded(async () => {
        const request = controller.byobRequest!;
        const view = request.view!;
        const into = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        // A random-access file fills the reader's memory in place; a stream answers with what
        // it has now (at most one read), so a live stream is never waited on until a view is full.
        const got = seekable ? await source.readInto(into) : copyInto(into, await source.read1(into.byteLength));
        if (got > 0) {
          request.respond(got);
          return;
        }
        controller.close();
        request.respond(0);
        await release();
      }),
    cancel: release,
  });
}

function copyInto(view: Uint8Array, bytes: Uint8Array): number {
  view.set(bytes);
  return bytes.byteLength;
}
