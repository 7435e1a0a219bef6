/**
 * The wasm pool's thread caches through its TypeScript surface: options, releaseUnused, and a
 * thread whose cache slot went to another attachment (it attaches again, nothing is lost).
 */
import { describe, expect, test } from 'vitest';
import { attachMemoryPool, createWasmMemoryPool } from '../../src/memory/wasm/wasm-pool.js';

describe('the wasm pool with thread caches', () => {
  test('rejects a lock timeout that is not a positive number of milliseconds, naming it', () => {
    for (const lockTimeout of [0, -1, 1.5, Number.NaN, 2 ** 32]) {
      expect(() => createWasmMemoryPool({ lockTimeout })).toThrow(/options.lockTimeout/);
    }
    expect(() => createWasmMemoryPool({ lockTimeout: '1000' as never })).toThrow(TypeError);
    expect(() => createWasmMemoryPool({ maxMemory: 65536 })).toThrow(/between 196608 and/);
    expect(createWasmMemoryPool({ lockTimeout: 50 }).handle.lockTimeout).toBe(50);
  });

  test('releaseUnused takes back cached blocks: a pool full of freed small blocks serves a large one', () => {
    const pool = createWasmMemoryPool({ maxMemory: 8 << 20 });
    const small = Array.from({ length: 4000 }, () => pool.allocate(1024));
    for (const buffer of small) buffer.release();
    expect(pool.bytesAllocated()).toBe(0);
    pool.releaseUnused();
    const large = pool.allocate(6 << 20);
    large.view.fill(1);
    large.release();
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('large blocks a thread freed and keeps in its cache come back when a request needs their memory', () => {
    const pool = createWasmMemoryPool({ maxMemory: 8 << 20 });
    // The first few freed stay in this thread's cache (wasm/src/large.rs), at the start of the heap.
    const blocks = Array.from({ length: 100 }, () => pool.allocate(48 << 10));
    for (const buffer of blocks) buffer.release();
    expect(pool.bytesAllocated()).toBe(0);
    const whole = pool.allocate((8 << 20) - (224 << 10));
    whole.view.fill(1);
    whole.release();
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('an attachment whose cache slot went to a newer one attaches again and loses nothing', () => {
    const pool = createWasmMemoryPool();
    // 64 slots (wasm/src/cache.rs): fill them from this thread, the first one holding a block.
    const attachments = Array.from({ length: 63 }, () => attachMemoryPool(pool.handle));
    const first = attachments[0]!;
    const held = first.allocate(64);
    held.view.fill(7);
    // Every slot but the first stays busy while the lock is taken 4096 times (STALE), so the
    // first becomes the idle one a newcomer may take.
    for (let i = 0; i < 4096; i++) pool.allocate(100_000).release();
    for (const attachment of [pool, ...attachments.slice(1)]) attachment.allocate(128).release();
    const newcomer = attachMemoryPool(pool.handle);
    newcomer.allocate(64).release();
    // The first attachment's slot is gone: its next calls attach again, and its block is whole.
    expect(held.view.every((byte) => byte === 7)).toBe(true);
    held.release();
    const again = first.allocate(64);
    again.release();
    expect(pool.bytesAllocated()).toBe(0);
    expect(pool.numAllocations()).toBe(1 + 4096 + 63 + 1 + 1);
  });
});
