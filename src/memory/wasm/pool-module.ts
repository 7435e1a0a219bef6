import { leftOut } from './build-flag.js';
import { bytesOfHex } from '../../util/hex.js';
import { POOL_MODULE_HEX } from './pool-module.generated.js';

/**
 * The C ABI of wasm/src/lib.rs. Offsets and sizes are unsigned 32-bit: read results with
 * `>>> 0`. Results below 64 are codes (`CODE_*`), never offsets. A `ticket` names the calling
 * thread's cache (from `nf_attach`; 0 for none).
 */
export interface PoolExports {
  nf_init(limitPages: number, lockTimeoutMs: number): number;
  nf_attach(hostId: number): number;
  nf_detach(ticket: number): void;
  nf_alloc(ticket: number, size: number): number;
  nf_realloc(ticket: number, offset: number, oldSize: number, newSize: number): number;
  nf_free(ticket: number, offset: number, size: number): number;
  nf_release_unused(ticket: number): number;
  nf_poison(): void;
  nf_poison_cause(): number;
  nf_host_id(slot: number): number;
  nf_bytes_allocated(): number;
  nf_max_memory(): number;
  nf_num_allocations(): number;
  nf_memory_size(): number;
  nf_limit(): number;
}

/** Allocator result code (wasm/src/heap.rs): `nf_free` done; `nf_alloc`/`nf_realloc` out of memory. */
export const CODE_OK_OR_OUT_OF_MEMORY = 0;
/** Allocator result code: the block was freed already. */
export const CODE_DOUBLE_FREE = 1;
/** Allocator result code: no live block of that size starts at that address. */
export const CODE_FOREIGN = 2;
/** Allocator result code: the pool is unusable (see `nf_poison_cause`). */
export const CODE_POISONED = 3;
/** Allocator result code: the caller's thread cache went to another thread; attach again (nothing was done). */
export const CODE_RETIRED = 4;
/** `nf_poison_cause() & 0xff`: a call faulted (a trap). */
export const POISON_FAULT = 1;
/** `nf_poison_cause() & 0xff`: a thread held the lock past the lock timeout (the holder's id is `cause >>> 8`). */
export const POISON_DEAD_HOLDER = 2;
/** Pages of memory the module's static data needs: a pool's memory starts with this many. */
export const INITIAL_PAGES = 3;

/** Bytes in a wasm page. */
export const WASM_PAGE = 65536;

/** The app's build flag: see build-flag.ts. */
declare const __NATIVEFILE_WASM_POOL__: boolean | undefined;

let compiled: WebAssembly.Module | undefined;

/** The allocator module, compiled once per thread, synchronously (it is a few KiB). */
export function poolModule(): WebAssembly.Module {
  if (compiled === undefined) {
    // Spelled out, not wasmPoolLeftOut(): a bundler folds only the expression itself.
    const hex = typeof __NATIVEFILE_WASM_POOL__ === 'boolean' && !__NATIVEFILE_WASM_POOL__ ? undefined : POOL_MODULE_HEX;
    if (hex === undefined) throw leftOut();
    compiled = new WebAssembly.Module(bytesOfHex(hex));
  }
  return compiled;
}

/**
 * Whether this thread may block in `Atomics.wait`: workers and Node may, the browser main
 * thread may not (it spins instead while another thread holds the pool's lock). Found out
 * when the first pool is instantiated, not when the module loads: importing has no effects.
 */
function threadCanBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

let canBlock: boolean | undefined;

/** This thread's id for messages about it in other threads: Node's `threadId` + 1, else 0. */
export function hostThreadId(): number {
  type WorkerThreads = { threadId?: unknown };
  const process = (globalThis as { process?: { getBuiltinModule?: (name: string) => WorkerThreads | undefined } }).process;
  const threadId = process?.getBuiltinModule?.('node:worker_threads')?.threadId;
  return typeof threadId === 'number' ? threadId + 1 : 0;
}

/** Instantiates the allocator on `memory` for this thread. */
export function instantiatePool(module: WebAssembly.Module, memory: WebAssembly.Memory): PoolExports {
  canBlock ??= threadCanBlock();
  // The lock word sits in the module's static data, at a low address every view covers.
  const words = new Int32Array(memory.buffer as unknown as SharedArrayBuffer);
  const env = {
    memory,
    nf_wait: (address: number, expected: number) => {
      if (canBlock) Atomics.wait(words, address >>> 2, expected, 5);
    },
    nf_notify: (address: number) => {
      Atomics.notify(words, address >>> 2, 1);
    },
    // The clock that bounds every wait for the pool's lock.
    nf_now: () => performance.now(),
  };
  const instance = new WebAssembly.Instance(module, { env });
  return instance.exports as unknown as PoolExports;
}
