/** Small blocks come from slabs; slabs whose blocks are all free go back to the general heap. */
import { expect, test } from 'vitest';
import { OutOfMemoryError } from '../../src/errors.js';
import type { MemoryBlock } from '../../src/memory/block-pool.js';
import { createWasmMemoryPool } from '../../src/memory/wasm/wasm-pool.js';

test('a pool filled with small blocks and emptied serves large blocks again', () => {
  const pool = createWasmMemoryPool({ maxMemory: 16 << 20 });
  const blocks: MemoryBlock[] = [];
  for (;;) {
    try {
      blocks.push(pool.reserve(64));
    } catch (error) {
      expect(error).toBeInstanceOf(OutOfMemoryError);
      break;
    }
  }
  // Most of the 16 MiB went to 64-byte blocks.
  expect(blocks.length * 64).toBeGreaterThan(15 << 20);
  for (const block of blocks) pool.free(block);
  expect(pool.bytesAllocated()).toBe(0);
  for (const size of [128, 1024, 1 << 20, 12 << 20]) {
    const block = pool.reserve(size);
    expect(block.capacity).toBe(size);
    pool.free(block);
  }
  expect(pool.bytesAllocated()).toBe(0);
});

test('emptied slabs of one size class serve another', () => {
  const pool = createWasmMemoryPool({ maxMemory: 4 << 20 });
  for (const size of [64, 128, 192, 1024, 64]) {
    const blocks: MemoryBlock[] = [];
    for (;;) {
      try {
        blocks.push(pool.reserve(size));
      } catch {
        break;
      }
    }
    expect(blocks.length * size).toBeGreaterThan(3 << 20);
    for (const block of blocks) pool.free(block);
    expect(pool.bytesAllocated()).toBe(0);
  }
});
