/**
 * Misuse of the wasm pool's low-level protocol (double frees, foreign blocks) and faults
 * inside the allocator: each is a clear error, and none may leave the pool's lock held.
 */
import { describe, expect, test } from 'vitest';
import { IOError } from '../../src/errors.js';
import type { MemoryBlock } from '../../src/memory/block-pool.js';
import { attachMemoryPool, createWasmMemoryPool } from '../../src/memory/wasm/wasm-pool.js';

function thrown(f: () => unknown): IOError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(IOError);
    return error as IOError;
  }
  throw new Error('expected a throw');
}

describe('the wasm pool refuses blocks that are not live', () => {
  test('a double free of a large block throws naming the address, and the pool stays usable', () => {
    const pool = createWasmMemoryPool();
    const block = pool.reserve(64 * 1024);
    pool.free(block);
    const error = thrown(() => pool.free(block));
    expect(error.code).toBe('EDOUBLEFREE');
    expect(error.message).toContain(`address ${block.address}`);
    expect(pool.bytesAllocated()).toBe(0);
    const again = pool.allocate(100_000);
    again.view.fill(1);
    again.release();
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('a double free of a small block throws, and the address is never handed out twice', () => {
    const pool = createWasmMemoryPool();
    const block = pool.reserve(64);
    pool.free(block);
    expect(thrown(() => pool.free(block)).code).toBe('EDOUBLEFREE');
    const a = pool.reserve(64);
    const b = pool.reserve(64);
    expect(a.address).not.toBe(b.address);
    expect(pool.bytesAllocated()).toBe(128);
    pool.free(a);
    pool.free(b);
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('foreign addresses and wrong sizes are refused without touching the heap', () => {
    const pool = createWasmMemoryPool();
    const big = pool.reserve(1 << 20);
    const small = pool.reserve(256);
    const memory = big.buffer;
    const foreign: MemoryBlock[] = [
      { buffer: memory, address: 100, capacity: 64 },
      { buffer: memory, address: 64 * 100_000, capacity: 64 },
      { buffer: memory, address: big.address + 64 * 100, capacity: 64 },
      { buffer: memory, address: big.address + 64 * 100, capacity: 4096 },
      { buffer: memory, address: big.address, capacity: 2048 },
      { buffer: memory, address: small.address, capacity: 128 },
      { buffer: memory, address: small.address + 64, capacity: 256 },
    ];
    for (const block of foreign) {
      const error = thrown(() => pool.free(block));
      expect(error.code).toBe('EFOREIGN');
      expect(error.message).toContain(`address ${block.address}`);
    }
    expect(thrown(() => pool.reallocate(foreign[2]!, 8192)).code).toBe('EFOREIGN');
    expect(pool.bytesAllocated()).toBe((1 << 20) + 256);
    pool.free(big);
    pool.free(small);
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('reallocating a freed block throws', () => {
    const pool = createWasmMemoryPool();
    const block = pool.reserve(4096);
    pool.free(block);
    expect(thrown(() => pool.reallocate(block, 8192)).code).toBe('EDOUBLEFREE');
    expect(pool.bytesAllocated()).toBe(0);
  });
});

describe('a fault inside the allocator', () => {
  test('poisons the pool for every thread instead of leaving its lock held', () => {
    const pool = createWasmMemoryPool();
    const first = pool.reserve(100_000);
    // Corrupt the free block that follows: its previous-in-list link (header +12) points far
    // outside the memory, so taking it off its list faults (as a corrupted heap would).
    const header = new DataView(pool.handle.memory.buffer, first.address + first.capacity, 64);
    header.setUint32(12, 0xffffff00, true);
    const fault = thrown(() => pool.reserve(200_000));
    expect(fault.code).toBe('EPOISONED');
    expect(fault.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    // Later calls fail at once, here and through another attachment, rather than hang.
    for (const attempt of [() => pool.reserve(64), () => pool.free(first), () => attachMemoryPool(pool.handle).reserve(64)]) {
      const error = thrown(attempt);
      expect(error.code).toBe('EPOISONED');
      expect(error.message).toMatch(/unusable/);
    }
    expect(pool.bytesAllocated()).toBe(100_032);
  });
});
