/**
 * The worker's half of `upload`: reads a Blob here and writes it with the sync access
 * handle, so the page does no per-chunk work and holds none of its bytes.
 * @module
 */
import { nextMacrotask } from '../src/io/core/steps.js';
import type { SyncAccess } from '../src/opfs/sync-access.js';

/**
 * The loop lets the worker's other tasks run after this many bytes: a Blob's reads can settle
 * as microtasks only (Chromium), which would hold back the page's `cancel` until the end.
 */
const YIELD_EVERY = 8 * 1024 * 1024;

/**
 * Writes everything `source` yields into `file` from `position`; resolves to the count.
 * `report` gets the count at most every `every` ms and always once at the end (also on a
 * failure, so the page knows what is in the file). `signal` stops it: it then rejects with
 * the signal's reason, having written nothing more.
 */
export async function uploadInto(
  file: SyncAccess,
  position: number,
  source: Blob,
  every: number,
  signal: AbortSignal,
  report: (done: number) => void,
): Promise<number> {
  const reader = source.stream().getReader();
  // A pending read settles (as done) once the reader is cancelled; the abort is thrown below.
  const cancel = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  let written = 0;
  let since = 0;
  let reported = performance.now();
  let last = -1;
  const tell = () => {
    if (written !== last) report((last = written));
  };
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      signal.throwIfAborted();
      const bytes = result.value;
      file.write(position + written, bytes);
      written += bytes.byteLength;
      since += bytes.byteLength;
      if (since >= YIELD_EVERY) {
        since = 0;
        await nextMacrotask();
        signal.throwIfAborted();
      }
      const now = performance.now();
      if (now - reported >= every) {
        reported = now;
        tell();
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
    tell();
  }
}
