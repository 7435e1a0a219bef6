import { IOError, OutOfMemoryError } from '../../errors.js';
import { checkSize, describe } from '../../util/validate.js';
import { ALIGNMENT, roundUpToAlignment, type MemoryBlock } from '../block-pool.js';
import { Buffer } from '../buffer.js';
import type { MemoryPool } from '../memory-pool.js';
import { leftOut, wasmPoolLeftOut } from './build-flag.js';
import {
  CODE_DOUBLE_FREE,
  CODE_FOREIGN,
  CODE_POISONED,
  instantiatePool,
  poolModule,
  WASM_PAGE,
  type PoolExports,
} from './pool-module.js';
import type { WasmMemory, WasmModule } from '../../platform/globals.js';

// What allocating imports, read once (see `NewAllocation` in buffer.ts for why).
const BufferClass = Buffer;
const checkedSize = checkSize;
const roundUp = roundUpToAlignment;
const FIRST_ADDRESS = ALIGNMENT;

/** The most a wasm32 memory can hold. */
const MAX_BYTES = 2 ** 32;

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
}

/** A pool whose memory other threads can use, through its {@link WasmPoolHandle}. */
export interface SharedMemoryPool extends MemoryPool {
  /** Pass it to {@link attachMemoryPool} in another thread. */
  readonly handle: WasmPoolHandle;
  /** The bytes of memory under the pool now (it grows on demand, never shrinks). */
  memorySize(): number;
  /** The most memory the pool may grow to, in bytes. */
  limit(): number;
}

/** Options of {@link createWasmMemoryPool}. */
export interface WasmPoolOptions {
  /** The most memory the pool may use, in bytes (rounded up to 64 KiB); default 4 GiB. */
  maxMemory?: number;
}

/**
 * The Rust allocator (wasm/) on a shared `WebAssembly.Memory`. Every thread that attaches
 * the same handle allocates from the same memory, and statistics are global.
 *
 * The allocator checks what it is given back: freeing or reallocating a block that was freed
 * already throws an `IOError` with code `'EDOUBLEFREE'`, one that is not a live block of this
 * pool (or not of that size) `'EFOREIGN'`; the pool is unchanged and stays usable. If a call
 * into the allocator faults (a wasm trap, which would otherwise leave its lock held and every
 * thread waiting for it), the pool is poisoned: that call and every later one, in every
 * thread, throw an `IOError` with code `'EPOISONED'` instead of hanging. Statistics stay readable.
 */
class WasmMemoryPool implements SharedMemoryPool {
  readonly backendName = 'wasm';
  readonly handle: WasmPoolHandle;
  readonly #exports: PoolExports;
  readonly #memory: WebAssembly.Memory;
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
    const ready = this.#call(() => this.#exports.nf_init(limitPages));
    if (ready === CODE_POISONED) throw poisoned();
    if (ready === 0) {
      throw new OutOfMemoryError(`the wasm pool could not set up its heap within ${limitPages * WASM_PAGE} bytes`);
    }
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
    return BufferClass.allocate(this, size);
  }

  releaseUnused(): void {
    // A wasm memory cannot shrink; freed blocks stay in the heap for reuse.
  }

  reserve(size: number): MemoryBlock {
    const capacity = this.#capacity(size);
    let address: number;
    try {
      address = this.#exports.nf_alloc(capacity) >>> 0;
    } catch (cause) {
      throw this.#faulted(cause);
    }
    if (address < FIRST_ADDRESS) throw address === CODE_POISONED ? poisoned() : this.#outOfMemory(capacity);
    return { buffer: this.#covering(address + capacity), address, capacity };
  }

  reallocate(block: MemoryBlock, size: number): MemoryBlock {
    const capacity = this.#capacity(size);
    const address = this.#call(() => this.#exports.nf_realloc(block.address, block.capacity, capacity) >>> 0);
    if (address < ALIGNMENT) {
      throw address === 0 ? this.#outOfMemory(capacity) : refused(address, 'reallocate', block);
    }
    return { buffer: this.#covering(address + capacity), address, capacity };
  }

  free(block: MemoryBlock): void {
    let code: number;
    try {
      code = this.#exports.nf_free(block.address, block.capacity);
    } catch (cause) {
      throw this.#faulted(cause);
    }
    if (code !== 0) throw refused(code, 'free', block);
  }

  /** Calls into the allocator, turning a fault into a poisoned pool (see the class notes). */
  #call(f: () => number): number {
    try {
      return f();
    } catch (cause) {
      throw this.#faulted(cause);
    }
  }

  /**
   * Poisons the pool after a call threw. Whatever it was (a trap, or a stack overflow inside
   * the call), the call may have been inside the allocator's critical section: its lock may
   * be held and its heap half-updated, and nothing else would ever release it.
   */
  #faulted(cause: unknown): IOError {
    this.#exports.nf_poison();
    return new IOError(
      `the wasm pool is unusable: its allocator faulted (${cause instanceof Error ? cause.message : String(cause)}) ` +
        'and may have left its heap inconsistent; use another pool',
      { code: 'EPOISONED', cause },
    );
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

/** The error of every call on a pool poisoned earlier, in this thread or another. */
function poisoned(): IOError {
  return new IOError(
    'the wasm pool is unusable: its allocator faulted earlier (in this or another thread) and may have ' +
      'left its heap inconsistent; use another pool',
    { code: 'EPOISONED' },
  );
}

/** The error for a block the allocator refused to `free` or `reallocate`. */
function refused(code: number, operation: string, block: MemoryBlock): IOError {
  if (code === CODE_POISONED) return poisoned();
  const what = `cannot ${operation} address ${block.address} (${block.capacity} bytes) in the wasm pool`;
  if (code === CODE_DOUBLE_FREE) {
    return new IOError(`${what}: that block was freed already (double free)`, { code: 'EDOUBLEFREE' });
  }
  const reason = code === CODE_FOREIGN ? 'no live block of that size starts there' : `allocator code ${code}`;
  return new IOError(`${what}: ${reason}`, { code: 'EFOREIGN' });
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
  if (maxMemory > MAX_BYTES || maxMemory < WASM_PAGE) {
    throw new RangeError(`options.maxMemory must be between 65536 and ${MAX_BYTES} bytes, got ${maxMemory}`);
  }
  const limitPages = Math.ceil(maxMemory / WASM_PAGE);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: limitPages, shared: true });
  return new WasmMemoryPool({ backend: 'wasm', module: poolModule(), memory }, limitPages);
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
  return new WasmMemoryPool({ backend: 'wasm', module: candidate.module, memory: candidate.memory }, limitPages);
}
