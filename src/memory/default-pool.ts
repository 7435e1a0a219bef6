import { checkPool, type MemoryPool } from './memory-pool.js';
import { systemMemoryPool } from './system-pool.js';
import { leftOut } from './wasm/build-flag.js';
import { sharedMemoryAvailable, wasmMemoryPool } from './wasm/wasm-pool.js';

/** The app's build flag: see wasm/build-flag.ts. */
declare const __NATIVEFILE_WASM_POOL__: boolean | undefined;

let current: MemoryPool | undefined;

/**
 * The pool used wherever none is given: `wasm` where shared memory is available (Node, and
 * cross-origin isolated pages), else `system`. In Node, the `NATIVEFILE_MEMORY_POOL`
 * environment variable (`wasm` or `system`) chooses instead. An app built with
 * `__NATIVEFILE_WASM_POOL__` defined as `false` has no wasm pool: its default is `system`.
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
  // Spelled out, not wasmPoolLeftOut(): a bundler folds only the expression itself.
  const leftOutOfBuild = typeof __NATIVEFILE_WASM_POOL__ === 'boolean' && !__NATIVEFILE_WASM_POOL__;
  return leftOutOfBuild || !sharedMemoryAvailable() ? ['system'] : ['wasm', 'system'];
}

function chooseDefault(): MemoryPool {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const requested = process?.env?.NATIVEFILE_MEMORY_POOL;
  if (requested !== undefined && requested !== '' && requested !== 'system' && requested !== 'wasm') {
    throw new RangeError(`NATIVEFILE_MEMORY_POOL must be 'wasm' or 'system', got ${JSON.stringify(requested)}`);
  }
  if (requested === 'system') return systemMemoryPool();
  // Spelled out, with an else, so that a build defining the flag as false drops the branch
  // that reaches the wasm pool (bundlers drop a dead branch, not the code after a return).
  if (typeof __NATIVEFILE_WASM_POOL__ === 'boolean' && !__NATIVEFILE_WASM_POOL__) {
    if (requested === 'wasm') throw leftOut();
    return systemMemoryPool();
  } else {
    return requested === 'wasm' || sharedMemoryAvailable() ? wasmMemoryPool() : systemMemoryPool();
  }
}
