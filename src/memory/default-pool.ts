import { checkPool, type MemoryPool } from './memory-pool.js';
import { systemMemoryPool } from './system-pool.js';
import { sharedMemoryAvailable, wasmMemoryPool } from './wasm/wasm-pool.js';

let current: MemoryPool | undefined;

/**
 * The pool used wherever none is given: `wasm` where shared memory is available (Node, and
 * cross-origin isolated pages), else `system`. In Node, the `NATIVEFILE_MEMORY_POOL`
 * environment variable (`wasm` or `system`) chooses instead.
 */
export function defaultMemoryPool(): MemoryPool {
  current ??= chooseDefault();
  return current;
}

/** Makes `pool` the default for every later allocation that names no pool. */
export function setMemoryPool(pool: MemoryPool): void {
  current = checkPool(pool, 'pool');
}

/** Bytes currently allocated from the default pool. */
export function totalAllocatedBytes(): number {
  return defaultMemoryPool().bytesAllocated();
}

/** The backends this runtime can use, best first: `['wasm', 'system']` or `['system']`. */
export function supportedMemoryBackends(): string[] {
  return sharedMemoryAvailable() ? ['wasm', 'system'] : ['system'];
}

function chooseDefault(): MemoryPool {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const requested = process?.env?.NATIVEFILE_MEMORY_POOL;
  if (requested === undefined || requested === '') {
    return sharedMemoryAvailable() ? wasmMemoryPool() : systemMemoryPool();
  }
  if (requested === 'system') return systemMemoryPool();
  if (requested === 'wasm') return wasmMemoryPool();
  throw new RangeError(`NATIVEFILE_MEMORY_POOL must be 'wasm' or 'system', got ${JSON.stringify(requested)}`);
}
