/**
 * A Buffer's `view` keeps the Buffer alive (PyArrow: a memoryview keeps its buffer alive), so
 * the garbage-collection backstop never frees a block that a reachable view still reads or
 * writes. Buffers reachable only through a view are everyday code: `allocateBuffer(n).view`,
 * `out.getValue().view`, `(await file.readBuffer(n)).view`.
 */
import { expect, test } from 'vitest';
import {
  allocateBuffer,
  Buffer,
  BufferOutputStream,
  createWasmMemoryPool,
  proxyMemoryPool,
  systemMemoryPool,
  type MemoryPool,
} from '../../src/index.js';
import { collectGarbage } from '../helpers.js';

const pools: Array<[string, () => MemoryPool]> = [
  ['wasm pool', () => createWasmMemoryPool()],
  ['proxy over the system pool', () => proxyMemoryPool(systemMemoryPool())],
];

test.each(pools)('the view of a dropped %s buffer keeps its block allocated and its bytes', async (_name, make) => {
  const pool = make();
  const view = (() => pool.allocate(1024).view)();
  view.fill(0xaa);
  // Give the collector every chance: if the view did not hold the buffer, this frees the block.
  await collectGarbage(() => pool.bytesAllocated() === 0);
  const other = pool.allocate(1024);
  other.view.fill(0x55);
  expect({ allocated: pool.bytesAllocated(), first: view[0], last: view[1023] }).toEqual({
    allocated: 2048,
    first: 0xaa,
    last: 0xaa,
  });
  other.release();
});

test('a view taken after the buffer lived through a job keeps it too', async () => {
  const pool = createWasmMemoryPool();
  let buffer: Buffer | undefined = pool.allocate(1024);
  // The collection backstop registers buffers that outlive their job: this one is by now.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const view = buffer.view;
  buffer = undefined;
  view.fill(0xaa);
  await collectGarbage(() => pool.bytesAllocated() === 0);
  const other = pool.allocate(1024);
  other.view.fill(0x55);
  expect({ allocated: pool.bytesAllocated(), first: view[0] }).toEqual({ allocated: 2048, first: 0xaa });
  other.release();
});

test('the view of a dropped slice keeps the slice and its parent block', async () => {
  const pool = createWasmMemoryPool();
  const view = (() => {
    const parent = pool.allocate(1024);
    parent.view.fill(0xaa);
    return parent.slice(512, 64).view;
  })();
  await collectGarbage(() => pool.bytesAllocated() === 0);
  const other = pool.allocate(1024);
  other.view.fill(0x55);
  expect({ allocated: pool.bytesAllocated(), bytes: [...view.subarray(0, 4)] }).toEqual({
    allocated: 2048,
    bytes: [0xaa, 0xaa, 0xaa, 0xaa],
  });
  other.release();
});

test("the view of BufferOutputStream.getValue() keeps the stream's bytes through a collection", async () => {
  const pool = createWasmMemoryPool();
  const view = (() => {
    const out = new BufferOutputStream(pool);
    out.writeSync(new Uint8Array(1000).fill(0xaa));
    return out.getValue().view;
  })();
  await collectGarbage(() => pool.bytesAllocated() === 0);
  const others = Array.from({ length: 16 }, () => allocateBuffer(1000, { pool }));
  for (const other of others) other.view.fill(0x55);
  expect(view.every((byte) => byte === 0xaa)).toBe(true);
  for (const other of others) other.release();
});

test('a buffer and its view are collected together once neither is reachable', async () => {
  const pool = proxyMemoryPool(systemMemoryPool());
  (() => {
    for (let i = 0; i < 10; i++) pool.allocate(1000).view.fill(1);
  })();
  expect(pool.bytesAllocated()).toBe(10 * 1024);
  await collectGarbage(() => pool.bytesAllocated() === 0);
  expect(pool.bytesAllocated()).toBe(0);
});

test('a view stays the same object, and a resizable buffer tracks its new block after a move', () => {
  const pool = proxyMemoryPool(systemMemoryPool());
  const buffer = allocateBuffer(64, { pool, resizable: true });
  expect(buffer.view).toBe(buffer.view);
  buffer.resize(10_000);
  buffer.view.fill(7);
  expect(buffer.view.byteLength).toBe(10_000);
  expect(Buffer.wrap(new Uint8Array([1, 2])).view).toEqual(new Uint8Array([1, 2]));
  buffer.release();
});
