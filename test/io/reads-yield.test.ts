/**
 * Async reads let the event loop run while they work through many MiB, also where the backend
 * answers at once (in-memory files): other tasks run between pieces, not after the whole read.
 */
import { describe, expect, test } from 'vitest';
import { BufferedInputStream, BufferReader } from '../../src/index.js';
import { turnsDuring } from '../helpers.js';

const SIZE = 64 << 20;

/** `SIZE` bytes of lines of `lineLength` bytes (no newline at all when 0). */
function text(lineLength: number): Uint8Array {
  const bytes = new Uint8Array(SIZE).fill(0x61);
  if (lineLength > 0) for (let i = lineLength - 1; i < SIZE; i += lineLength) bytes[i] = 0x0a;
  return bytes;
}

describe('async reads of many MiB let the event loop run', () => {
  test('readline of one 64 MiB line', async () => {
    const { result, turns } = await turnsDuring(() => new BufferReader(text(0)).readline());
    expect(result.byteLength).toBe(SIZE);
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  test('lines() over 64 MiB of short lines', async () => {
    const file = new BufferReader(text(4096));
    const { result, turns } = await turnsDuring(async () => {
      let count = 0;
      for await (const line of file.lines()) count += line.byteLength;
      return count;
    });
    expect(result).toBe(SIZE);
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  test('read() of a whole BufferedInputStream', async () => {
    const stream = new BufferedInputStream(new BufferReader(text(0)), 1 << 20);
    const { result, turns } = await turnsDuring(() => stream.read());
    expect(result.byteLength).toBe(SIZE);
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  test('async iteration of a 64 MiB file', async () => {
    const file = new BufferReader(text(0));
    const { result, turns } = await turnsDuring(async () => {
      let count = 0;
      for await (const chunk of file) count += chunk.byteLength;
      return count;
    });
    expect(result).toBe(SIZE);
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
