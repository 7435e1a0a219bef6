import { checkPool, type MemoryPool } from './memory-pool.js';
import { systemMemoryPool } from './system-pool.js';

let current: MemoryPool | undefined;

/** The pool used wherever none is given. */
export function defaultMemoryPool(): MemoryPool {
  current ??= systemMemoryPool();
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

/** The backends this runtime can use, best first (for example `['wasm', 'system']`). */
export function supportedMemoryBackends(): string[] {
  return ['system'];
}
