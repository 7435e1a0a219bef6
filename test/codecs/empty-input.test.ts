// A compressed stream over no bytes at all ends at once, as Arrow's CompressedInputStream does
// with a decompressor that never started (no truncation to report), whatever the codec.
import { describe, expect, it } from 'vitest';
import { BufferReader, CompressedInputStream } from '../../src/index.js';

describe('a compressed stream over an empty file', () => {
  for (const codec of ['gzip', 'deflate', 'deflate-raw', 'bz2', 'brotli', 'lz4', 'zstd'] as const) {
    it(`${codec}: reads nothing, without an error`, async () => {
      const stream = new CompressedInputStream(new BufferReader(new Uint8Array(0)), codec);
      expect((await stream.read()).byteLength).toBe(0);
      await stream.close();
    });
  }
});
