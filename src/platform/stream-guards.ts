/**
 * Recognising WHATWG streams, native or ponyfilled, without loading a ponyfill.
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
