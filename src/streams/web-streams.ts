import * as ponyfill from 'web-streams-polyfill';

/** The WHATWG stream classes nativefile builds its streams with. */
export interface StreamClasses {
  readonly ReadableStream: typeof globalThis.ReadableStream;
  readonly WritableStream: typeof globalThis.WritableStream;
}

const nativeClasses = (): StreamClasses | undefined => {
  if (typeof ReadableStream === 'undefined' || typeof WritableStream === 'undefined') return undefined;
  try {
    // Byte streams (and so BYOB readers) are what nativefile needs; older runtimes lack them.
    new ReadableStream({ type: 'bytes' });
  } catch {
    return undefined;
  }
  return { ReadableStream, WritableStream };
};

/** web-streams-polyfill's classes, used where the runtime has no byte streams. */
export const ponyfillClasses = ponyfill as unknown as StreamClasses;

let current: StreamClasses = nativeClasses() ?? ponyfillClasses;

/** The stream classes in use: the runtime's own when they support byte streams, else the ponyfill. */
export function streamClasses(): StreamClasses {
  return current;
}

/** Chooses the stream classes `toReadableStream` and `toWritableStream` create (tests use it). */
export function useStreamClasses(classes: StreamClasses): void {
  current = classes;
}

/** Whether `value` looks like a WHATWG `ReadableStream` (native or ponyfilled). */
export function isReadableStream(value: unknown): value is ReadableStream {
  return typeof (value as ReadableStream | null)?.getReader === 'function' &&
    typeof (value as ReadableStream).pipeTo === 'function';
}

/** Whether `value` looks like a WHATWG `WritableStream` (native or ponyfilled). */
export function isWritableStream(value: unknown): value is WritableStream {
  return typeof (value as WritableStream | null)?.getWriter === 'function' &&
    typeof (value as WritableStream).abort === 'function';
}
