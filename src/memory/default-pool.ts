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
 * environment variable (`wasm` or `system`) chooses instead; any other value warns once
 * ("Unsupported backend", naming it and the supported ones) and the default serves. An app built with
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

/** What this module reads of Node's `process`, where there is one. */
interface NodeProcess {
  env?: Record<string, string | undefined>;
  emitWarning?: (message: string, options: { code: string }) => void;
}

/**
 * The backend `NATIVEFILE_MEMORY_POOL` names, if it names a supported one. Any other value
 * warns once (this runs once per thread) and the default serves, as PyArrow does for
 * `ARROW_DEFAULT_MEMORY_POOL`: a typo in the environment must not make every allocation throw.
 */
function requestedBackend(process: NodeProcess | undefined): string | undefined {
  const requested = process?.env?.NATIVEFILE_MEMORY_POOL;
  if (requested === undefined || requested === '' || requested === 'system' || requested === 'wasm') return requested;
  const supported = supportedMemoryBackends()
    .map((name) => `'${name}'`)
    .join(', ');
  const message = `Unsupported backend '${requested}' in NATIVEFILE_MEMORY_POOL (supported backends are ${supported}); using the default pool`;
  if (typeof process?.emitWarning === 'function') process.emitWarning(message, { code: 'NATIVEFILE_UNSUPPORTED_BACKEND' });
  else console.warn(message);
  return undefined;
}

function chooseDefault(): MemoryPool {
  const requested = requestedBackend((globalThis as { process?: NodeProcess }).process);
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
