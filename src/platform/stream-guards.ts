/**
 * Recognising WHATWG streams, native or ponyfilled, without loading a ponyfill, and this
 * platform's own byte streams, which `upload` reads into buffers of its own (a BYOB reader).
 * @module
 */

/** Whether `value` looks like a WHATWG `ReadableStream` (native or ponyfilled). */
export function isReadableStream(value: unknown): value is ReadableStream {
  return (
    typeof (value as ReadableStream | null)?.getReader === 'function' && typeof (value as ReadableStream).pipeTo === 'function'
  );
}

/** Whether `value` looks like a WHATWG `WritableStream` (native or ponyfilled). */
export function isWritableStream(value: unknown): value is WritableStream {
  return (
    typeof (value as WritableStream | null)?.getWriter === 'function' && typeof (value as WritableStream).abort === 'function'
  );
}

/**
 * Whether `source` is a byte stream of this platform's own, whose chunks are the reader's: its
 * `enqueue` moved them out of the producer's hands. Streams from elsewhere (a polyfill, whose
 * byte streams may hand out the producer's own memory; look-alike objects) are not.
 */
export function isOwnByteStream(source: unknown): boolean {
  if (typeof ReadableStream !== 'function' || !(source instanceof ReadableStream) || !enqueueTransfers()) return false;
  try {
    source.getReader({ mode: 'byob' }).releaseLock();
    return true;
  } catch {
    return false; // a default stream (or a locked one, which the copy reports)
  }
}

let transfers: boolean | undefined;

/** Whether the global `ReadableStream`'s byte streams take the memory enqueued (a polyfill may not). */
function enqueueTransfers(): boolean {
  if (transfers === undefined) {
    const memory = new ArrayBuffer(1);
    try {
      new ReadableStream({ type: 'bytes', start: (controller) => controller.enqueue(new Uint8Array(memory)) });
    } catch {
      // no byte streams: nothing is taken
    }
    transfers = memory.byteLength === 0;
  }
  return transfers;
}
