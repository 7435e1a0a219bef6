import { IOError } from '../../errors.js';
import { refusedBlock, type MemoryBlock } from '../block-pool.js';
import { CODE_DOUBLE_FREE, CODE_FOREIGN, POISON_DEAD_HOLDER, type PoolExports } from './pool-module.js';

/** The threads with a cache slot (wasm/src/cache.rs); other lock holders have the id 0xffff. */
const SLOTS = 64;

/** Which thread held the lock: `holder` is its cache slot + 1 (wasm/src/pool.rs). */
function describeHolder(exports: PoolExports, holder: number): string {
  if (holder < 1 || holder > SLOTS) return 'a thread without a cache of its own';
  const hostId = exports.nf_host_id(holder - 1);
  return `thread #${holder} of this pool${hostId > 0 ? ` (Node threadId ${hostId - 1})` : ''}`;
}

/**
 * The error of every call on a poisoned pool, saying why it was poisoned: a fault (`EPOISONED`)
 * or a thread that held the lock past the lock timeout (`EDEADLK`), most likely terminated.
 */
export function poisoned(exports: PoolExports, lockTimeout: number): IOError {
  const cause = exports.nf_poison_cause();
  if ((cause & 0xff) === POISON_DEAD_HOLDER) {
    return new IOError(
      `the wasm pool is unusable: ${describeHolder(exports, cause >>> 8)} held the pool's lock for more than ` +
        `${lockTimeout} ms, so it was most likely terminated inside an allocator call (worker.terminate()), ` +
        'which can leave the heap half-updated; use another pool',
      { code: 'EDEADLK' },
    );
  }
  return new IOError(
    'the wasm pool is unusable: its allocator faulted (in this or another thread) and may have left its heap ' +
      'inconsistent; use another pool',
    { code: 'EPOISONED' },
  );
}

/**
 * Poisons the pool after a call threw, and the error for it. Whatever it was (a trap, or a
 * stack overflow inside the call), the call may have been inside the allocator's critical
 * section: its lock may be held and its heap half-updated, and nothing else would release it.
 */
export function faulted(exports: PoolExports, cause: unknown): IOError {
  exports.nf_poison();
  return new IOError(
    `the wasm pool is unusable: its allocator faulted (${cause instanceof Error ? cause.message : String(cause)}) ` +
      'and may have left its heap inconsistent; use another pool',
    { code: 'EPOISONED', cause },
  );
}

/** The error for a block the allocator refused to `free` or `reallocate` (codes other than poisoned). */
export function refused(code: number, operation: string, block: MemoryBlock): IOError {
  const reason = code === CODE_FOREIGN ? 'no live block of that size starts there' : `allocator code ${code}`;
  return refusedBlock(operation, block, 'the wasm pool', code === CODE_DOUBLE_FREE ? undefined : reason);
}
