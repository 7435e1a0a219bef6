/**
 * Which WHATWG streams the runtime has. nativefile builds the runtime's own streams, so
 * `Response`, `fetch`, `pipeTo` and `pipeThrough` accept them; it ships no ponyfill.
 * @module
 */
import { UnsupportedOperationError } from '../../errors.js';

let byteStreams: boolean | undefined;

/** Whether the runtime's `ReadableStream` supports `type: 'bytes'` (and so BYOB readers). */
export function hasByteStreams(): boolean {
  if (byteStreams === undefined) {
    try {
      new ReadableStream({ type: 'bytes' });
      byteStreams = true;
    } catch {
      byteStreams = false;
    }
  }
  return byteStreams;
}

/** @internal Pretends the runtime lacks byte streams (`false`), or detects again (`undefined`): for tests. */
export function simulateByteStreams(supported: boolean | undefined): void {
  byteStreams = supported;
}

/** @throws UnsupportedOperationError where the runtime has no WHATWG streams at all. */
export function checkStreamsExist(): void {
  if (typeof ReadableStream === 'undefined' || typeof WritableStream === 'undefined') {
    throw new UnsupportedOperationError(
      'this runtime has no WHATWG streams: load a polyfill first (for example `import "web-streams-polyfill/polyfill"`)',
    );
  }
}
