import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, test } from 'vitest';
import {
  allocateBuffer,
  Buffer,
  createWasmMemoryPool,
  defaultMemoryPool,
  OutOfMemoryError,
  supportedMemoryBackends,
  type SharedMemoryPool,
} from '../../src/index.js';

const workerUrl = new URL('../fixtures/pool-worker.mjs', import.meta.url);
const workers: Worker[] = [];

function startWorker(options: { handle?: unknown; env?: Record<string, string> } = {}): Worker {
  const worker = new Worker(workerUrl, { workerData: { handle: options.handle }, env: options.env });
  workers.push(worker);
  return worker;
}

async function ask<T>(worker: Worker, request: object): Promise<T> {
  worker.postMessage(request);
  const [answer] = await once(worker, 'message');
  return answer as T;
}

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.terminate()));
});

describe('the wasm pool in one thread', () => {
  test('keeps exact statistics in 64-byte increments', () => {
    const pool = createWasmMemoryPool();
    expect(pool.backendName).toBe('wasm');
    const sizes = [0, 1, 64, 65, 1000, 1025, 100_000];
    const buffers = sizes.map((size) => pool.allocate(size));
    expect(pool.bytesAllocated()).toBe(0 + 64 + 64 + 128 + 1024 + 1088 + 100_032);
    expect(pool.numAllocations()).toBe(sizes.length);
    for (const buffer of buffers) {
      expect(buffer.address % 64).toBe(0);
      expect(buffer.view.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const peak = pool.maxMemory();
    for (const buffer of buffers) buffer.release();
    expect(pool.bytesAllocated()).toBe(0);
    expect(pool.maxMemory()).toBe(peak);
  });

  test('hands out disjoint blocks and keeps views valid while the memory grows', () => {
    const pool = createWasmMemoryPool();
    const small = pool.allocate(100);
    small.view.fill(7);
    const memoryBefore = pool.memorySize();
    const big = pool.allocate(64 * 1024 * 1024);
    expect(pool.memorySize()).toBeGreaterThan(memoryBefore);
    big.view.fill(9);
    expect(small.view.every((byte) => byte === 7)).toBe(true);
    const [first, second] = [small, big].sort((a, b) => a.address - b.address);
    expect(first!.address + first!.size).toBeLessThanOrEqual(second!.address);
    big.release();
    small.release();
  });

  test('starts buffers of 256 KiB or more on a 4 KiB page, where the kernel copies file pages fastest', () => {
    const pool = createWasmMemoryPool();
    const sizes = [100, 3000, 300_000, 1024 * 1024, 70_000, 5000, 1_000_000, 256 * 1024];
    const buffers = sizes.map((size) => pool.allocate(size));
    const large = buffers.filter((buffer) => buffer.size >= 256 * 1024);
    expect(large.map((buffer) => buffer.address % 4096)).toEqual([0, 0, 0, 0]);
    for (const buffer of buffers) buffer.release();
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('grows a resizable buffer in place when the space after it is free', () => {
    const pool = createWasmMemoryPool();
    const buffer = allocateBuffer(64 * 1024, { pool, resizable: true });
    buffer.view.fill(3);
    const address = buffer.address;
    buffer.resize(1024 * 1024);
    expect(buffer.address).toBe(address);
    expect(buffer.view.subarray(0, 64 * 1024).every((byte) => byte === 3)).toBe(true);
    expect(pool.bytesAllocated()).toBe(1024 * 1024);
    buffer.release();
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('throws OutOfMemoryError with the sizes at its limit, and recovers after frees', () => {
    const pool = createWasmMemoryPool({ maxMemory: 4 * 1024 * 1024 });
    const held = pool.allocate(2 * 1024 * 1024);
    expect(() => pool.allocate(3 * 1024 * 1024)).toThrow(OutOfMemoryError);
    expect(() => pool.allocate(3 * 1024 * 1024)).toThrow(
      /could not allocate 3145728 bytes: 2097152 bytes are allocated and the pool may grow to 4194304 bytes/,
    );
    expect(() => pool.allocate(2 ** 32)).toThrow(OutOfMemoryError);
    expect(pool.bytesAllocated()).toBe(2 * 1024 * 1024);
    held.release();
    pool.allocate(3 * 1024 * 1024).release();
    expect(() => createWasmMemoryPool({ maxMemory: 2 ** 33 })).toThrow(RangeError);
  });

  test('is the default in Node, where shared memory is available', () => {
    expect(supportedMemoryBackends()).toEqual(['wasm', 'system']);
    expect(defaultMemoryPool().backendName).toBe('wasm');
  });
});

describe('sharing buffers', () => {
  test('share() describes shared memory only, and fromShared() checks what it gets', () => {
    expect(() => Buffer.wrap(new Uint8Array(4)).share()).toThrow(/ArrayBuffer, which threads cannot share/);
    const sab = new SharedArrayBuffer(16);
    const descriptor = Buffer.wrap(new Uint8Array(sab, 4, 8)).share();
    expect(descriptor).toEqual({ buffer: sab, byteOffset: 4, byteLength: 8, mutable: true });
    const again = Buffer.fromShared(descriptor);
    again.view[0] = 42;
    expect(new Uint8Array(sab)[4]).toBe(42);
    expect(() => Buffer.fromShared({ ...descriptor, byteLength: 20 })).toThrow(RangeError);
    expect(() => Buffer.fromShared({} as never)).toThrow(TypeError);
  });
});

describe('the wasm pool across worker threads', () => {
  test('workers allocating at once never overlap, and the statistics add up exactly', async () => {
    const pool: SharedMemoryPool = createWasmMemoryPool();
    const threads = [1, 2, 3, 4].map(() => startWorker({ handle: pool.handle }));
    const results = await Promise.all(
      threads.map((worker, i) =>
        ask<{ allocations: number; corrupted: number; misaligned: number }>(worker, {
          kind: 'churn',
          seed: 1000 + i * 7919,
          steps: 4000,
          maxSize: 100_000,
        }),
      ),
    );
    for (const result of results) {
      expect(result.corrupted).toBe(0);
      expect(result.misaligned).toBe(0);
    }
    expect(pool.bytesAllocated()).toBe(0);
    expect(pool.numAllocations()).toBe(results.reduce((sum, r) => sum + r.allocations, 0));
    expect(pool.maxMemory()).toBeGreaterThan(0);
  }, 60_000);

  test('a buffer written in one thread is read and changed in another without a copy', async () => {
    const pool = createWasmMemoryPool();
    const worker = startWorker({ handle: pool.handle });
    const buffer = pool.allocate(1000);
    buffer.view.fill(2);
    const { sum } = await ask<{ sum: number }>(worker, { kind: 'sum-and-invert', descriptor: buffer.share() });
    expect(sum).toBe(2000);
    expect(buffer.view.every((byte) => byte === 253)).toBe(true);

    const { descriptor } = await ask<{ descriptor: ReturnType<Buffer['share']> }>(worker, {
      kind: 'allocate',
      id: 1,
      size: 5000,
      fill: 77,
    });
    expect(pool.bytesAllocated()).toBe(1024 + 5056);
    const fromWorker = Buffer.fromShared(descriptor);
    expect(fromWorker.view.every((byte) => byte === 77)).toBe(true);
    await ask(worker, { kind: 'release', id: 1 });
    expect(pool.bytesAllocated()).toBe(1024);
    buffer.release();
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('NATIVEFILE_MEMORY_POOL chooses the default pool', async () => {
    const system = startWorker({ env: { NATIVEFILE_MEMORY_POOL: 'system' } });
    const wasm = startWorker({ env: { NATIVEFILE_MEMORY_POOL: 'wasm' } });
    expect(await ask(system, { kind: 'default-backend' })).toMatchObject({ backend: 'system', warnings: [] });
    expect(await ask(wasm, { kind: 'default-backend' })).toMatchObject({ backend: 'wasm', warnings: [] });
  });

  test('an unsupported NATIVEFILE_MEMORY_POOL warns once, naming it and the supported ones, and the default serves', async () => {
    // As PyArrow does for ARROW_DEFAULT_MEMORY_POOL: a typo must not make every allocation throw.
    const worker = startWorker({ env: { NATIVEFILE_MEMORY_POOL: 'nonexistent' } });
    const first = await ask<{ backend: string; warnings: string[]; allocated: number }>(worker, { kind: 'default-backend' });
    expect(first.backend).toBe('wasm');
    expect(first.allocated).toBe(64);
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatch(/Unsupported backend 'nonexistent' in NATIVEFILE_MEMORY_POOL/);
    expect(first.warnings[0]).toMatch(/supported backends are 'wasm', 'system'/);
    const second = await ask<{ warnings: string[] }>(worker, { kind: 'default-backend' });
    expect(second.warnings).toHaveLength(1);
  });
});
