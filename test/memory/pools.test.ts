import { afterEach, describe, expect, test } from 'vitest';
import {
  allocateBuffer,
  createWasmMemoryPool,
  defaultMemoryPool,
  loggingMemoryPool,
  proxyMemoryPool,
  setMemoryPool,
  supportedMemoryBackends,
  systemMemoryPool,
  totalAllocatedBytes,
  type MemoryPool,
} from '../../src/index.js';

/** PyArrow's check_allocated_bytes: statistics move exactly with one allocation. */
function checkAllocatedBytes(pool: MemoryPool): void {
  const allocatedBefore = pool.bytesAllocated();
  const maxBefore = pool.maxMemory();
  const countBefore = pool.numAllocations();
  const buf = pool.allocate(512);
  expect(pool.bytesAllocated()).toBe(allocatedBefore + 512);
  const maxDuring = pool.maxMemory();
  expect(maxDuring).toBeGreaterThanOrEqual(maxBefore);
  expect(maxDuring).toBeGreaterThanOrEqual(allocatedBefore + 512);
  expect(pool.numAllocations()).toBe(countBefore + 1);
  buf.release();
  expect(pool.bytesAllocated()).toBe(allocatedBefore);
  expect(pool.maxMemory()).toBe(maxDuring);
  expect(pool.numAllocations()).toBe(countBefore + 1);
}

describe('systemMemoryPool', () => {
  test('keeps exact statistics', () => {
    const pool = systemMemoryPool();
    expect(pool.backendName).toBe('system');
    checkAllocatedBytes(pool);
  });

  test('sizes allocations in 64-byte increments', () => {
    const pool = systemMemoryPool();
    const before = pool.bytesAllocated();
    const sizes = [0, 1, 63, 64, 65, 1000];
    const buffers = sizes.map((size) => pool.allocate(size));
    expect(buffers.map((b) => b.size)).toEqual(sizes);
    expect(pool.bytesAllocated() - before).toBe(0 + 64 + 64 + 64 + 128 + 1024);
    for (const b of buffers) b.release();
    expect(pool.bytesAllocated()).toBe(before);
  });

  test('reports an allocation it cannot make as OutOfMemoryError with the size', () => {
    expect(() => systemMemoryPool().allocate(2 ** 52)).toThrow(/could not allocate 4503599627370496 bytes/);
  });

  test('is one pool for the whole process', () => {
    expect(systemMemoryPool()).toBe(systemMemoryPool());
  });
});

describe('proxyMemoryPool', () => {
  test('counts only its own allocations, and the parent sees them too', () => {
    const parent = systemMemoryPool();
    const proxy = proxyMemoryPool(parent);
    expect(proxy.backendName).toBe('system');
    expect(proxy.bytesAllocated()).toBe(0);
    const parentBefore = parent.bytesAllocated();
    checkAllocatedBytes(proxy);
    const buf = allocateBuffer(1000, { pool: proxy, resizable: true });
    expect(proxy.bytesAllocated()).toBe(1024);
    expect(parent.bytesAllocated()).toBe(parentBefore + 1024);
    buf.resize(5000);
    expect(proxy.bytesAllocated()).toBe(5056);
    expect(proxy.maxMemory()).toBe(5056);
    buf.release();
    expect(proxy.bytesAllocated()).toBe(0);
    expect(parent.bytesAllocated()).toBe(parentBefore);
    expect(() => proxyMemoryPool(null as never)).toThrow(/parent must be a MemoryPool, got null/);
  });
});

describe('numAllocations', () => {
  test.each([
    ['systemMemoryPool', () => systemMemoryPool()],
    ['proxyMemoryPool', () => proxyMemoryPool(systemMemoryPool())],
    ['createWasmMemoryPool', () => createWasmMemoryPool()],
    ['proxyMemoryPool over a wasm pool', () => proxyMemoryPool(createWasmMemoryPool())],
  ])('%s counts a reallocation that grows, not one that shrinks, as Arrow does', (_name, make) => {
    const pool = make();
    // Small and large blocks: the wasm pool reallocates them on different paths.
    for (const size of [1000, 200_000]) {
      const buffer = allocateBuffer(size, { pool, resizable: true });
      const before = pool.numAllocations();
      buffer.resize(10, true);
      expect(pool.numAllocations()).toBe(before);
      buffer.resize(size * 5);
      expect(pool.numAllocations()).toBe(before + 1);
      buffer.resize(size * 4, true);
      expect(pool.numAllocations()).toBe(before + 1);
      buffer.release();
    }
  });

  test('a wasm pool and a proxy over it count the same reallocations', () => {
    const wasm = createWasmMemoryPool();
    const proxy = proxyMemoryPool(wasm);
    const buffer = allocateBuffer(100_000, { pool: proxy, resizable: true });
    const [wasmBefore, proxyBefore] = [wasm.numAllocations(), proxy.numAllocations()];
    buffer.resize(64, true);
    buffer.resize(300_000);
    buffer.resize(200_000, true);
    expect([wasm.numAllocations() - wasmBefore, proxy.numAllocations() - proxyBefore]).toEqual([1, 1]);
    buffer.release();
  });
});

describe('loggingMemoryPool', () => {
  test('logs every event and forwards statistics to the parent', () => {
    const lines: string[] = [];
    const parent = proxyMemoryPool(systemMemoryPool());
    const pool = loggingMemoryPool(parent, (line) => lines.push(line));
    checkAllocatedBytes(pool);
    expect(pool.bytesAllocated()).toBe(parent.bytesAllocated());
    const buf = allocateBuffer(10, { pool, resizable: true });
    buf.resize(100);
    buf.release();
    expect(lines).toEqual([
      'Allocate: size = 512, address = 0',
      'Free: size = 512, address = 0',
      'Allocate: size = 10, address = 0',
      'Reallocate: old_size = 64, new_size = 100, address = 0',
      'Free: size = 128, address = 0',
    ]);
    expect(() => loggingMemoryPool(parent, 'stderr' as never)).toThrow(TypeError);
  });
});

describe('the default pool', () => {
  afterEach(() => setMemoryPool(systemMemoryPool()));

  test('serves allocateBuffer and totalAllocatedBytes, and can be replaced', () => {
    const proxy = proxyMemoryPool(systemMemoryPool());
    setMemoryPool(proxy);
    expect(defaultMemoryPool()).toBe(proxy);
    const buf = allocateBuffer(100);
    expect(totalAllocatedBytes()).toBe(128);
    buf.release();
    expect(totalAllocatedBytes()).toBe(0);
    expect(() => setMemoryPool('system' as never)).toThrow(TypeError);
  });

  test('lists the supported backends, best first', () => {
    expect(supportedMemoryBackends()).toContain('system');
  });
});
