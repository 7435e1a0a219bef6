import { checkFile } from '../../io/core/file-check.js';
import type { InputStream } from '../../io/core/interfaces.js';
import { checkSize, describe } from '../../util/validate.js';
import { checkStreamsExist, hasByteStreams } from './byte-streams.js';
import { chunkReader } from './chunk-reader.js';

/** Options of {@link toReadableStream}. */
export interface ToReadableStreamOptions {
  /** Bytes per chunk for default readers; BYOB readers choose their own. Default 64 KiB. */
  chunkSize?: number;
  /** Aborting errors the stream with the signal's reason and closes the file. */
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 64 * 1024;
/** The most one read can take (Node's fs reads at most 2 GiB - 1 bytes at once). */
const MAX_CHUNK = 0x7fffffff;

/** Removes a collected stream's listener from the signal it was given. */
const listeners = new FinalizationRegistry<{ signal: AbortSignal; onAbort: () => void }>(({ signal, onAbort }) =>
  signal.removeEventListener('abort', onAbort),
);

/**
 * The runtime's own `ReadableStream` over a readable file, from its current position, so
 * `Response`, `fetch`, `pipeTo` and `pipeThrough` take it.
 *
 * Where the engine has byte streams it is of type `'bytes'`: a BYOB reader's view is filled in
 * place by `readInto`, and a default reader gets chunks of fresh memory, filled with no
 * intermediate copy (pool memory is never enqueued: a byte stream detaches the buffer of every
 * chunk). Elsewhere it is a default stream of the same fresh chunks. For default readers of a
 * random-access file, the next chunks are read while the reader handles one.
 *
 * The file is closed when the stream ends, is cancelled or errors; a file error errors the
 * stream with that same error.
 */
export function toReadableStream(file: InputStream, options: ToReadableStreamOptions = {}): ReadableStream<Uint8Array> {
  const source = checkFile(file, 'file', 'readable');
  const chunkSize = checkSize(options.chunkSize ?? DEFAULT_CHUNK, 'options.chunkSize');
  if (chunkSize === 0) throw new RangeError('options.chunkSize must be at least 1, got 0');
  if (chunkSize > MAX_CHUNK) throw new RangeError(`options.chunkSize must be at most ${MAX_CHUNK}, got ${chunkSize}`);
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  checkStreamsExist();
  const seekable = source.seekable();
  let onAbort: (() => void) | undefined;
  /** What the signal's listener reaches weakly; held here, so for as long as the stream is. */
  let aborts: AbortTarget | undefined;
  const release = async () => {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    aborts = undefined;
    await source.close().catch(() => {});
  };
  const start = (controller: { error(reason: unknown): void }) => {
    if (signal === undefined) return;
    aborts = { controller, release };
    onAbort = abortListener(signal, new WeakRef(aborts));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    listeners.register(aborts, { signal, onAbort });
  };
  const chunks = chunkReader(source, seekable, chunkSize);
  /** One read; on failure the file is closed and the stream errors with the same error. */
  const pull = async (controller: ReadableStreamDefaultController<Uint8Array> | ReadableByteStreamController) => {
    try {
      // A BYOB reader's read: its memory is filled in place, unless chunks were read ahead for a
      // default reader before it (they go first, copied into its view by the stream).
      const request = 'byobRequest' in controller ? controller.byobRequest : null;
      if (request !== null && !chunks.readingAhead()) {
        const view = request.view!;
        const into = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        // A random-access file fills the view; a stream answers with what it has now (at most
        // one read), so a live stream is never waited on until a view is full.
        const got = seekable ? await source.readInto(into) : copyInto(into, await source.read1(into.byteLength));
        if (got > 0) {
          request.respond(got);
          return;
        }
      } else {
        // A default reader's read: a chunk of fresh memory, which the stream takes over (a byte
        // stream detaches what is enqueued: never pool memory, nor a view of the file's).
        const chunk = await chunks.next(request === null);
        if (chunk.byteLength > 0) {
          controller.enqueue(chunk);
          return;
        }
      }
      controller.close();
      request?.respond(0);
    } catch (error) {
      await release();
      throw error;
    }
    await release();
  };
  return hasByteStreams()
    ? new ReadableStream({ type: 'bytes', start, pull, cancel: release })
    : // No chunk is read before a reader asks (the default high-water mark of 1 pulls at once).
      new ReadableStream<Uint8Array>({ start, pull, cancel: release }, { highWaterMark: 0 });
}

/** What aborting a stream's signal reaches: its controller, and what closes its file. */
interface AbortTarget {
  readonly controller: { error(reason: unknown): void };
  readonly release: () => Promise<void>;
}

/**
 * The listener of a stream's signal, which may outlive the stream (one per page or server):
 * made out here, it reaches the stream only through `target`, weakly, so that a dropped
 * stream's file is collected and closed (a closure made inside toReadableStream would hold
 * the whole of its scope).
 */
function abortListener(signal: AbortSignal, target: WeakRef<AbortTarget>): () => void {
  return () => {
    const live = target.deref();
    live?.controller.error(signal.reason);
    void live?.release();
  };
}

function copyInto(view: Uint8Array, bytes: Uint8Array): number {
  view.set(bytes);
  return bytes.byteLength;
}
