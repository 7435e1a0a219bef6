/**
 * A ResizableBuffer whose block moves (resize, reserve, shrink-to-fit) while slices of it
 * are alive: the slices must keep the memory they were cut from, never another buffer's.
 */
import { describe, expect, test } from 'vitest';
import { allocateBuffer } from '../../src/memory/allocate-buffer.js';
import { createWasmMemoryPool } from '../../src/memory/wasm/wasm-pool.js';
import { systemMemoryPool } from '../../src/memory/system-pool.js';
import type { MemoryPool } from '../../src/memory/memory-pool.js';

const pools: [string, () => MemoryPool][] = [
  ['wasm', () => createWasmMemoryPool()],
  ['system', () => systemMemoryPool()],
];

describe.each(pools)('slices of a ResizableBuffer that moves (%s pool)', (_, makePool) => {
  test('resize past the capacity: a slice keeps the old bytes and never sees another buffer', () => {
    const pool = makePool();
    const rb = allocateBuffer(512, { pool, resizable: true });
    rb.view.fill(0x11);
    const s = rb.slice(0, 512);
    const spacer = allocateBuffer(512, { pool });
    rb.resize(1 << 20);
    const victim = allocateBuffer(512, { pool });
    victim.view.fill(0xaa);
    expect(s.at(0)).toBe(0x11);
    expect(s.view.every((byte) => byte === 0x11)).toBe(true);
    s.view.fill(0);
    expect(victim.view.every((byte) => byte === 0xaa)).toBe(true);
    expect(rb.view.subarray(0, 512).every((byte) => byte === 0x11)).toBe(true);
    for (const buffer of [s, spacer, victim, rb]) buffer.release();
  });

  test('the old block stays allocated until its last slice is released', () => {
    const pool = makePool();
    const before = pool.bytesAllocated();
    const rb = allocateBuffer(1000, { pool, resizable: true });
    const a = rb.slice(10, 20);
    const b = a.slice(5);
    rb.reserve(100_000);
    expect(pool.bytesAllocated() - before).toBe(1024 + 100_032);
    a.release();
    expect(pool.bytesAllocated() - before).toBe(1024 + 100_032);
    b.release();
    expect(pool.bytesAllocated() - before).toBe(100_032);
    rb.release();
    expect(pool.bytesAllocated()).toBe(before);
  });

  test('shrink-to-fit with a slice over the tail leaves the slice readable and private', () => {
    const pool = makePool();
    const rb = allocateBuffer(256 * 1024, { pool, resizable: true });
    rb.view.fill(0x22);
    const tail = rb.slice(200 * 1024);
    rb.resize(64, true);
    expect(rb.capacity).toBe(64);
    const others = Array.from({ length: 8 }, () => allocateBuffer(32 * 1024, { pool }));
    for (const other of others) other.view.fill(0xbb);
    expect(tail.view.every((byte) => byte === 0x22)).toBe(true);
    tail.view.fill(0);
    for (const other of others) expect(other.view.every((byte) => byte === 0xbb)).toBe(true);
    for (const buffer of [tail, rb, ...others]) buffer.release();
  });

  test('without slices a resize still reallocates (the stream-growth path stays cheap)', () => {
    const pool = makePool();
    const before = pool.numAllocations();
    const rb = allocateBuffer(64, { pool, resizable: true });
    rb.view.fill(5);
    const slice = rb.slice(0, 8);
    slice.release();
    rb.resize(4096);
    expect(pool.numAllocations() - before).toBe(2);
    expect(rb.view.subarray(0, 64).every((byte) => byte === 5)).toBe(true);
    rb.release();
  });
});
