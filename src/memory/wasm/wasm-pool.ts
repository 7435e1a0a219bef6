import { OutOfMemoryError } from '../../errors.js';
import { checkSize, describe } from '../../util/validate.js';
import { ALIGNMENT, roundUpToAlignment, type MemoryBlock } from '../block-pool.js';
import { allocateFrom } from '../allocate-from.js';
import type { Buffer } from '../buffer.js';
import { leftOut, wasmPoolLeftOut } from './build-flag.js';
import { faulted, poisoned, refused } from './pool-errors.js';
import {
  CODE_POISONED,
  CODE_RETIRED,
  hostThreadId,
  INITIAL_PAGES,
  instantiatePool,
  poolModule,
  WASM_PAGE,
  type PoolExports,
} from './pool-module.js';
import type { SharedMemoryPool, WasmPoolHandle, WasmPoolOptions } from './wasm-pool-types.js';

// Read once: Vite's module runner reads imports by getter, ~12 ns each (memory-pools.bench.ts).
const allocate = allocateFrom;
const checkedSize = checkSize;
const roundUp = roundUpToAlignment;
const FIRST_ADDRESS = ALIGNMENT;

/** The most a wasm32 memory can hold. */
const MAX_BYTES = 2 ** 32;
/** The default of {@link WasmPoolOptions.lockTimeout}. */
const DEFAULT_LOCK_TIMEOUT = 1000;

/** Gives a collected pool's thread cache back (its blocks return to their slabs). */
const detachWhenCollected = new FinalizationRegistry<{ exports: PoolExports; ticket: number }>(({ exports, ticket }) => {
  try {
    exports.nf_detach(ticket);
  } catch {
    // A finalizer has no caller to report to; the blocks stay cached until a sweep.
  }
});

/**
 * The Rust allocator (wasm/) on a shared `WebAssembly.Memory`. Every thread that attaches
 * the same handle allocates from the same memory, and statistics are global.
 *
 * Each thread that attaches has a cache of blocks up to 64 KiB, so that most allocations and
 * frees take no lock shared with other threads. The allocator checks what it
 * is given back: freeing or reallocating a block that was freed already (in any thread) throws
 * an `IOError` with code `'EDOUBLEFREE'`, one that is not a live block of this pool (or not of
 * that size) `'EFOREIGN'`; the pool is unchanged and stays usable.
 *
 * No thread can hang another. If a call into the allocator faults (a wasm trap), the pool is
 * poisoned: that call and every later one, in every thread, throw an `IOError` with code
 * `'EPOISONED'`. If a thread dies inside a call while holding the pool's lock (a worker
 * terminated mid-allocation), the others wait at most {@link WasmPoolOptions.lockTimeout} for
 * it, then poison the pool with code `'EDEADLK'`, naming the thread. A thread that dies
 * anywhere else leaves the pool usable: the blocks its cache held go back to the pool under
 * memory pressure or on `releaseUnused()`; the buffers it still held stay
 * allocated (and counted), as with any buffer never released. Statistics stay readable.
 */
class WasmMemoryPool implements SharedMemoryPool {
  readonly backendName = 'wasm';
  readonly handle: WasmPoolHandle;
  readonly #exports: PoolExports;
  readonly #memory: WebAssembly.Memory;
  /** This thread's cache: `ticket` goes with every call; shared with the collection backstop. */
  readonly #cache: { exports: PoolExports; ticket: number };
  /** The memory's bytes as last seen; refreshed when a block lies past its end after growth. */
  #bytes: SharedArrayBuffer;
  /** `#bytes.byteLength`, kept as a number (reading it from the buffer costs more). */
  #bytesEnd: number;

  constructor(handle: WasmPoolHandle, limitPages: number) {
    this.handle = handle;
    this.#memory = handle.memory;
    this.#exports = instantiatePool(handle.module, handle.memory);
    this.#bytes = handle.memory.buffer as unknown as SharedArrayBuffer;
    this.#bytesEnd = this.#bytes.byteLength;
    const ready = this.#call(() => this.#exports.nf_init(limitPages, handle.lockTimeout ?? DEFAULT_LOCK_TIMEOUT));
    if (ready === CODE_POISONED) throw this.#poisoned();
    if (ready === 0) {
      throw new OutOfMemoryError(`the wasm pool could not set up its heap within ${limitPages * WASM_PAGE} bytes`);
    }
    this.#cache = { exports: this.#exports, ticket: 0 };
    this.#attach();
    detachWhenCollected.register(this, this.#cache);
  }

  bytesAllocated(): number {
    return this.#exports.nf_bytes_allocated();
  }

  maxMemory(): number {
    return this.#exports.nf_max_memory();
  }

  numAllocations(): number {
    return this.#exports.nf_num_allocations();
  }

  memorySize(): number {
    return this.#exports.nf_memory_size();
  }

  limit(): number {
    return this.#exports.nf_limit();
  }

  allocate(size: number): Buffer {
    return allocate(this, size);
  }

  /**
   * Takes back the blocks every thread's cache holds and gives slabs with no used block back
   * to the general heap, so that they can serve blocks of any size. The memory itself cannot
   * shrink (a wasm memory only grows).
   */
  releaseUnused(): void {
    const code = this.#call(() => this.#exports.nf_release_unused(this.#cache.ticket));
    if (code === CODE_POISONED) throw this.#poisoned();
  }

  reserve(size: number): MemoryBlock {
    const capacity = this.#capacity(size);
    let address: number;
    try {
      address = this.#exports.nf_alloc(this.#cache.ticket, capacity) >>> 0;
    } catch (cause) {
      throw faulted(this.#exports, cause);
    }
    if (address < FIRST_ADDRESS) {
      if (address !== CODE_RETIRED) throw address === CODE_POISONED ? this.#poisoned() : this.#outOfMemory(capacity);
      this.#attach();
      return this.reserve(size);
    }
    return { buffer: this.#covering(address + capacity), address, capacity };
  }

  reallocate(block: MemoryBlock, size: number): MemoryBlock {
    const capacity = this.#capacity(size);
    const address = this.#call(() => this.#exports.nf_realloc(this.#cache.ticket, block.address, block.capacity, capacity) >>> 0);
    if (address < FIRST_ADDRESS) {
      if (address === 0) throw this.#outOfMemory(capacity);
      throw address === CODE_POISONED ? this.#poisoned() : refused(address, 'reallocate', block);
    }
    return { buffer: this.#covering(address + capacity), address, capacity };
  }

  free(block: MemoryBlock): void {
    let code: number;
    try {
      code = this.#exports.nf_free(this.#cache.ticket, block.address, block.capacity);
    } catch (cause) {
      throw faulted(this.#exports, cause);
    }
    if (code === 0) return;
    if (code === CODE_RETIRED) {
      this.#attach();
      this.free(block);
      return;
    }
    throw code === CODE_POISONED ? this.#poisoned() : refused(code, 'free', block);
  }

  /** Gets this thread a cache (again, after its slot went to another thread); 0 means none. */
  #attach(): void {
    const ticket = this.#call(() => this.#exports.nf_attach(hostThreadId())) >>> 0;
    if (ticket === CODE_POISONED) throw this.#poisoned();
    this.#cache.ticket = ticket;
  }

  /** Calls into the allocator, turning a fault into a poisoned pool (see the class notes). */
  #call(f: () => number): number {
    try {
      return f();
    } catch (cause) {
      throw faulted(this.#exports, cause);
    }
  }

  #poisoned() {
    return poisoned(this.#exports, this.handle.lockTimeout ?? DEFAULT_LOCK_TIMEOUT);
  }

  #capacity(size: number): number {
    const capacity = roundUp(checkedSize(size, 'size'));
    if (capacity >= MAX_BYTES) throw this.#outOfMemory(capacity);
    return capacity;
  }

  /** The memory's bytes up to at least `end`: the memory may have grown since last seen. */
  #covering(end: number): SharedArrayBuffer {
    if (end > this.#bytesEnd) {
      this.#bytes = this.#memory.buffer as unknown as SharedArrayBuffer;
      this.#bytesEnd = this.#bytes.byteLength;
    }
    return this.#bytes;
  }

  #outOfMemory(capacity: number): OutOfMemoryError {
    return new OutOfMemoryError(
      `the wasm pool could not allocate ${capacity} bytes: ${this.bytesAllocated()} bytes are allocated ` +
        `and the pool may grow to ${this.limit()} bytes (its memory is ${this.memorySize()} bytes now)`,
    );
  }
}

/** Whether this runtime can share memory between threads (Node; cross-origin isolated pages). */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof WebAssembly === 'undefined') return false;
  const isolated = (globalThis as { crossOriginIsolated?: unknown }).crossOriginIsolated;
  return typeof isolated === 'boolean' ? isolated : true;
}

/** A new, independent wasm pool on a fresh shared memory. */
export function createWasmMemoryPool(options: WasmPoolOptions = {}): SharedMemoryPool {
  if (wasmPoolLeftOut()) throw leftOut();
  if (!sharedMemoryAvailable()) {
    throw new TypeError(
      'the wasm pool needs shared memory: SharedArrayBuffer and WebAssembly, and in browsers a ' +
        'cross-origin isolated page (COOP same-origin, COEP require-corp)',
    );
  }
  const maxMemory = checkSize(options.maxMemory ?? MAX_BYTES, 'options.maxMemory');
  const smallest = INITIAL_PAGES * WASM_PAGE;
  if (maxMemory > MAX_BYTES || maxMemory < smallest) {
    throw new RangeError(`options.maxMemory must be between ${smallest} and ${MAX_BYTES} bytes, got ${maxMemory}`);
  }
  const lockTimeout = checkSize(options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT, 'options.lockTimeout');
  if (lockTimeout < 1 || lockTimeout > 2 ** 31) {
    throw new RangeError(`options.lockTimeout must be between 1 and ${2 ** 31} ms, got ${lockTimeout}`);
  }
  const limitPages = Math.ceil(maxMemory / WASM_PAGE);
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: limitPages, shared: true });
  return new WasmMemoryPool({ backend: 'wasm', module: poolModule(), memory, lockTimeout }, limitPages);
}

let instance: SharedMemoryPool | undefined;

/** This thread's wasm pool, created on first use (up to 4 GiB). Share it with {@link attachMemoryPool}. */
export function wasmMemoryPool(): SharedMemoryPool {
  instance ??= createWasmMemoryPool();
  return instance;
}

/**
 * A pool over the same memory as the pool whose `handle` this is, for use in another thread:
 * allocations from every thread never overlap and the statistics are shared.
 */
export function attachMemoryPool(handle: WasmPoolHandle): SharedMemoryPool {
  const candidate = handle as Partial<WasmPoolHandle> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    candidate.backend !== 'wasm' ||
    !(candidate.module instanceof WebAssembly.Module) ||
    !(candidate.memory instanceof WebAssembly.Memory)
  ) {
    throw new TypeError(`handle must be a wasm pool's handle, got ${describe(handle)}`);
  }
  const limitPages = Math.ceil(MAX_BYTES / WASM_PAGE);
  const lockTimeout = typeof candidate.lockTimeout === 'number' ? candidate.lockTimeout : undefined;
  return new WasmMemoryPool({ backend: 'wasm', module: candidate.module, memory: candidate.memory, lockTimeout }, limitPages);
}
