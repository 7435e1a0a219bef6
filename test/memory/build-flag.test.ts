/**
 * `__NATIVEFILE_WASM_POOL__` (src/memory/wasm/build-flag.ts): an app whose bundler defines it
 * as `false` has no wasm pool. Bundlers replace the identifier; here a global of that name
 * stands in for it, read when the modules run (fresh copies of them for each test).
 * That the bundle then leaves the pool out is measured by .size-limit.mjs.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

type Flagged = typeof globalThis & { __NATIVEFILE_WASM_POOL__?: boolean };

async function freshMemoryModules() {
  vi.resetModules();
  const defaults = await import('../../src/memory/default-pool.js');
  const wasm = await import('../../src/memory/wasm/wasm-pool.js');
  return { ...defaults, ...wasm };
}

describe('an app built with __NATIVEFILE_WASM_POOL__ defined as false', () => {
  const savedEnv = process.env.NATIVEFILE_MEMORY_POOL;

  beforeEach(() => {
    delete process.env.NATIVEFILE_MEMORY_POOL;
  });

  afterEach(() => {
    delete (globalThis as Flagged).__NATIVEFILE_WASM_POOL__;
    if (savedEnv === undefined) delete process.env.NATIVEFILE_MEMORY_POOL;
    else process.env.NATIVEFILE_MEMORY_POOL = savedEnv;
  });

  test('without the flag (every other build), the default pool is wasm where shared memory is', async () => {
    const memory = await freshMemoryModules();
    expect(memory.sharedMemoryAvailable()).toBe(true);
    expect(memory.supportedMemoryBackends()).toEqual(['wasm', 'system']);
    expect(memory.defaultMemoryPool().backendName).toBe('wasm');
  });

  test('defined as true, the same', async () => {
    (globalThis as Flagged).__NATIVEFILE_WASM_POOL__ = true;
    const memory = await freshMemoryModules();
    expect(memory.supportedMemoryBackends()).toEqual(['wasm', 'system']);
    expect(memory.defaultMemoryPool().backendName).toBe('wasm');
  });

  test('the default pool is system, and only system is supported', async () => {
    (globalThis as Flagged).__NATIVEFILE_WASM_POOL__ = false;
    const memory = await freshMemoryModules();
    expect(memory.supportedMemoryBackends()).toEqual(['system']);
    expect(memory.defaultMemoryPool().backendName).toBe('system');
  });

  test('creating a wasm pool, or asking for one by NATIVEFILE_MEMORY_POOL, says why it cannot', async () => {
    (globalThis as Flagged).__NATIVEFILE_WASM_POOL__ = false;
    const memory = await freshMemoryModules();
    expect(() => memory.createWasmMemoryPool()).toThrow(TypeError);
    expect(() => memory.wasmMemoryPool()).toThrow(/__NATIVEFILE_WASM_POOL__ defined as false/);
    process.env.NATIVEFILE_MEMORY_POOL = 'wasm';
    expect(() => memory.defaultMemoryPool()).toThrow(/__NATIVEFILE_WASM_POOL__ defined as false/);
  });

  test('a pool another thread shares can still be attached: its handle carries the module', async () => {
    const shared = (await freshMemoryModules()).createWasmMemoryPool({ maxMemory: 1 << 20 });
    (globalThis as Flagged).__NATIVEFILE_WASM_POOL__ = false;
    const memory = await freshMemoryModules();
    const attached = memory.attachMemoryPool(shared.handle);
    const buffer = attached.allocate(100);
    expect(shared.bytesAllocated()).toBe(128);
    buffer.release();
    expect(shared.bytesAllocated()).toBe(0);
  });
});
