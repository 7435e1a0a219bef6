/**
 * The shapes of the wasm pool's public surface, apart from its behaviour (wasm-pool.ts): the
 * handle other threads attach with (a type the IO worker's protocol carries), the pool it
 * gives, and the options that create one.
 * @module
 */
import type { WasmMemory, WasmModule } from '../../platform/globals.js';
import type { MemoryPool } from '../memory-pool.js';

/**
 * What another thread needs to use the same pool: structured-cloneable, so it can be posted
 * to a Web Worker or passed as `workerData` to a Node worker thread.
 */
export interface WasmPoolHandle {
  /** Always `'wasm'`: what kind of pool the handle attaches to. */
  readonly backend: 'wasm';
  /** The compiled allocator, instantiated again in the receiving thread (no recompilation). */
  readonly module: WasmModule;
  /** The shared memory every thread's instance allocates in, and the allocator's state with it. */
  readonly memory: WasmMemory;
  /** The pool's {@link WasmPoolOptions.lockTimeout}, for the messages of other threads. */
  readonly lockTimeout?: number;
}

/** A pool whose memory other threads can use, through its {@link WasmPoolHandle}. */
export interface SharedMemoryPool extends MemoryPool {
  /** Pass it to `attachMemoryPool` in another thread. */
  readonly handle: WasmPoolHandle;
  /** The bytes of memory under the pool now (it grows on demand, never shrinks). */
  memorySize(): number;
  /** The most memory the pool may grow to, in bytes. */
  limit(): number;
}

/** Options of `createWasmMemoryPool`. */
export interface WasmPoolOptions {
  /** The most memory the pool may use, in bytes (rounded up to 64 KiB); default 4 GiB. */
  maxMemory?: number;
  /**
   * How long a thread waits, in milliseconds, for the pool's lock held by another thread that
   * makes no progress, before it decides that thread died inside an allocator call and poisons
   * the pool (`IOError` `EDEADLK` from then on, in every thread). Default 1000. The lock is
   * held for microseconds (bookkeeping, never a copy of bytes), so only a thread terminated
   * inside a call, or paused there in a debugger, holds it that long.
   */
  lockTimeout?: number;
}
