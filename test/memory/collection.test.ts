import { expect, test } from 'vitest';
import {
  allocateBuffer,
  BufferReader,
  createWasmMemoryPool,
  proxyMemoryPool,
  systemMemoryPool,
  type Buffer,
} from '../../src/index.js';
import { collectGarbage } from '../helpers.js';

test('a pool buffer that is dropped without release() goes back to the pool when collected', async () => {
  const pool = proxyMemoryPool(systemMemoryPool());
  (() => {
    for (let i = 0; i < 10; i++) pool.allocate(1000);
  })();
  expect(pool.bytesAllocated()).toBe(10 * 1024);
  await collectGarbage(() => pool.bytesAllocated() === 0);
  expect(pool.bytesAllocated()).toBe(0);
  expect(pool.numAllocations()).toBe(10);
});

test('wasm pool memory of dropped buffers goes back to the pool, and is reused', async () => {
  const pool = createWasmMemoryPool();
  (() => {
    for (let i = 0; i < 100; i++) pool.allocate(10_000).view.fill(1);
  })();
  expect(pool.bytesAllocated()).toBe(100 * 10_048);
  const grownTo = pool.memorySize();
  await collectGarbage(() => pool.bytesAllocated() === 0);
  expect(pool.bytesAllocated()).toBe(0);
  (() => {
    for (let i = 0; i < 100; i++) pool.allocate(10_000);
  })();
  expect(pool.memorySize()).toBe(grownTo);
});

test('a slice keeps its parent memory alive until the slice itself is collected', async () => {
  const pool = proxyMemoryPool(systemMemoryPool());
  let slice: Buffer | undefined = (() => pool.allocate(1000).slice(10, 5))();
  await collectGarbage(() => false);
  expect(pool.bytesAllocated()).toBe(1024);
  expect(slice.toBytes()).toEqual(new Uint8Array(5));
  slice = undefined;
  await collectGarbage(() => pool.bytesAllocated() === 0);
  expect(pool.bytesAllocated()).toBe(0);
});

test('a buffer read from a BufferReader keeps its source alive (ARROW-421)', async () => {
  const readSample = () => {
    const data = new TextEncoder().encode('some sample data'.repeat(1000));
    const reader = new BufferReader(data);
    reader.seek(5);
    return reader.readBufferSync(6);
  };
  const buf = readSample();
  await collectGarbage(() => false);
  expect(new TextDecoder().decode(buf.view)).toBe('sample');
  expect(buf.parent).not.toBeNull();
});

test('buffers released at once are not kept alive by the collection backstop while the job runs', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const arrayBuffersAfterGc = () => {
    // Twice: a collection frees array buffers' memory in the background, and the next one
    // waits for that to finish.
    gc();
    gc();
    return process.memoryUsage().arrayBuffers;
  };
  const pool = systemMemoryPool(); // each block its own ArrayBuffer, so what stays reachable shows
  pool.allocate(64).release(); // a registration scheduled for the end of this job
  const before = arrayBuffersAfterGc();
  // Fewer than a registration batch (1,024), in one synchronous job, so nothing flushes them.
  for (let i = 0; i < 500; i++) pool.allocate(65536).release();
  const held = arrayBuffersAfterGc() - before;
  expect(held, `${held} bytes of released buffers still reachable`).toBeLessThan(4 * 65536);
  // Released in the order they were made, not the reverse: the last release takes both.
  for (let i = 0; i < 250; i++) {
    const [first, second] = [pool.allocate(65536), pool.allocate(65536)];
    first.release();
    second.release();
  }
  const heldAfterPairs = arrayBuffersAfterGc() - before;
  expect(heldAfterPairs, `${heldAfterPairs} bytes of released pairs still reachable`).toBeLessThan(4 * 65536);
  // Released while a newer one is still held (an input released, its output kept).
  const outputs = [];
  for (let i = 0; i < 100; i++) {
    const input = pool.allocate(65536);
    outputs.push(pool.allocate(64));
    input.release();
  }
  const heldWithOutputs = arrayBuffersAfterGc() - before;
  expect(heldWithOutputs, `${heldWithOutputs} bytes held with 100 outputs of 64 bytes`).toBeLessThan(4 * 65536);
  for (const output of outputs) output.release();
});

test('a buffer made after others were released in the same job is still watched by the backstop', async () => {
  const pool = proxyMemoryPool(systemMemoryPool());
  (() => {
    for (let i = 0; i < 5; i++) pool.allocate(1000).release();
    pool.allocate(1000); // dropped without release()
  })();
  expect(pool.bytesAllocated()).toBe(1024);
  await collectGarbage(() => pool.bytesAllocated() === 0);
  expect(pool.bytesAllocated()).toBe(0);
});

// The backstop is reached through a buffer's allocation (src/memory/allocation.ts): these hold
// the two steps that live apart from the Buffer class, on both pools.
const pools = [
  ['the system pool', () => proxyMemoryPool(systemMemoryPool())],
  ['the wasm pool', () => createWasmMemoryPool()],
] as const;

for (const [name, makePool] of pools) {
  test(`a ResizableBuffer that moved after it was registered gives back its new block when collected (${name})`, async () => {
    const pool = makePool();
    await (async () => {
      const resizable = allocateBuffer(1000, { pool, resizable: true });
      await new Promise((resolve) => setTimeout(resolve, 0)); // registered with the backstop
      const slice = resizable.slice(0, 10);
      resizable.reserve(100_000); // moves: the slice keeps the old block
      slice.release();
      expect(pool.bytesAllocated()).toBe(100_032);
    })(); // the resizable buffer is dropped unreleased
    await collectGarbage(() => pool.bytesAllocated() === 0);
    expect(pool.bytesAllocated()).toBe(0);
  });

  test(`a released slice, once collected, does not free its live parent's memory (${name})`, async () => {
    const pool = makePool();
    const parent = pool.allocate(1000);
    await (async () => {
      const slice = parent.slice(0, 10);
      await new Promise((resolve) => setTimeout(resolve, 0)); // both registered
      slice.release();
    })();
    await collectGarbage(() => pool.bytesAllocated() === 0);
    expect(pool.bytesAllocated()).toBe(1024);
    parent.release();
    expect(pool.bytesAllocated()).toBe(0);
  });
}
