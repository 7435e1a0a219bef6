import { describe, expect, test } from 'vitest';
import { isOwnByteStream } from '../../src/platform/stream-guards.js';

// Which streams' chunks an upload may take whole (src/io/core/copy.ts): only this platform's
// own byte streams, whose enqueue() moved the memory out of the producer's hands.
describe('isOwnByteStream', () => {
  const byteStream = () => new ReadableStream({ type: 'bytes', start: (c) => c.enqueue(new Uint8Array(4)) });

  test("is true for the platform's byte streams, and leaves them unlocked", () => {
    const stream = byteStream();
    expect(isOwnByteStream(stream)).toBe(true);
    expect(stream.locked).toBe(false);
    expect(isOwnByteStream(new Response(new Uint8Array(8)).body)).toBe(true);
    expect(isOwnByteStream(new Blob([new Uint8Array(8)]).stream())).toBe(true);
  });

  test('is false for default streams, locked streams and look-alikes', () => {
    expect(isOwnByteStream(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(4)) }))).toBe(false);
    const locked = byteStream();
    const reader = locked.getReader();
    expect(isOwnByteStream(locked)).toBe(false);
    reader.releaseLock();
    // An object that answers getReader() whatever the mode (a wrapper, a polyfill's stream).
    const inner = new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(4)) });
    expect(isOwnByteStream({ getReader: () => inner.getReader(), pipeTo: () => Promise.resolve() })).toBe(false);
    expect(isOwnByteStream(new Uint8Array(4))).toBe(false);
  });
});
