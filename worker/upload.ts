/**
 * The worker's half of `upload`: reads a Blob or a transferred ReadableStream here and
 * writes it with the sync access handle, so the page does no per-chunk work.
 * @module
 */
import type { SyncAccess } from '../src/opfs/sync-access.js';

/** A chunk of the source as bytes; anything else is the caller's mistake. */
function bytesOfChunk(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`upload: a chunk of the stream is not bytes (${Object.prototype.toString.call(chunk)})`);
}

/**
 * Writes everything `source` yields into `file` from `position`; resolves to the count.
 * `report` gets the count at most every `every` ms and always once at the end (also on a
 * failure, so the page knows what is in the file). `signal` stops it: it then rejects with
 * the signal's reason, having cancelled the source.
 */
export async function uploadInto(
  file: SyncAccess, position: number, source: Blob | ReadableStream<unknown>, every: number,
  signal: AbortSignal, report: (done: number) => void,
): Promise<number> {
  const reader = (source instanceof Blob ? source.stream() : source).getReader();
  // A pending read settles (as done) once the source is cancelled; the abort is thrown below.
  const cancel = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  let written = 0;
  let reported = performance.now();
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      signal.throwIfAborted();
      const bytes = bytesOfChunk(result.value);
      file.write(position + written, bytes);
      written += bytes.byteLength;
      const now = performance.now();
      if (now - reported >= every) {
        reported = now;
        report(written);
      }
    }
    signal.throwIfAborted();
    return written;
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    signal.removeEventListener('abort', cancel);
    reader.releaseLock();
    report(written);
  }
}
