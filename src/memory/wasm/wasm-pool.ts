import { OutOfMemoryError } from '../../errors.js';
import { checkSize, describe } from '../../util/validate.js';
import { Buffer } from '../buffer.js';
import { roundUpToAlignment, type MemoryBlock, type MemoryPool } from '../memory-pool.js';
import { instantiatePool, poolModule, WASM_PAGE, type PoolExports } from './pool-module.js';

/** The most a wasm32 memory can hold. */
const MAX_BYTES = 2 ** 32;

/**
 * What another thread needs to use the same pool: structured-cloneable, so it can be posted
 * to a Web Worker or passed as `workerData` to a Node worker thread.
 */
export interface WasmPoolHandle {
  readonly backend: 'wasm';
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
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
 */
class WasmMemoryPool implements SharedMemoryPool {
  readonly backendName = 'wasm';
  readonly handle: WasmPoolHandle;
  readonly #exports: PoolExports;
  readonly #memory: WebAssembly.Memory;
  /** The memory's bytes as last seen; refreshed when a block lies past its end after growth. */
  #bytes: SharedArrayBuffer;

  constructor(handle: WasmPoolHandle, limitPages: number) {
    this.handle = handle;
    this.#memory = handle.memory;
    this.#exports = instantiatePool(handle.module, handle.memory);
    this.#bytes = handle.memory.buffer as unknown as SharedArrayBuffer;
    if (this.#exports.nf_init(limitPages) === 0) {
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
    return Buffer.allocate(this, size);
  }

  releaseUnused(): void {
    // A wasm memory cannot shrink; freed blocks stay in the heap for reuse.
  }

  reserve(size: number): MemoryBlock {
    const capacity = this.#capacity(size);
    const address = this.#exports.nf_alloc(capacity) >>> 0;
    if (address === 0) throw this.#outOfMemory(capacity);
    return { buffer: this.#covering(address + capacity), address, capacity };
  }

  reallocate(block: MemoryBlock, size: number): MemoryBlock {
    const capacity = this.#capacity(size);
    const address = this.#exports.nf_realloc(block.address, block.capacity, capacity) >>> 0;
    if (address === 0) throw this.#outOfMemory(capacity);
    return { buffer: this.#covering(address + capacity), address, capacity };
  }

  free(block: MemoryBlock): void {
    this.#exports.nf_free(block.address, block.capacity);
  }

  #capacity(size: number): number {
    const capacity = roundUpToAlignment(checkSize(size, 'size'));
    if (capacity >= MAX_BYTES) throw this.#outOfMemory(capacity);
    return capacity;
  }

  /** The memory's bytes up to at least `end`: the memory may have grown since last seen. */
  #covering(end: number): SharedArrayBuffer {
    if (end > this.#bytes.byteLength) this.#bytes = this.#memory.buffer as unknown as SharedArrayBuffer;
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

let instance: (SharedMemoryPool) | undefined;

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
    typeof candidate !== 'object' || candidate === null || candidate.backend !== 'wasm' ||
    !(candidate.module instanceof WebAssembly.Module) || !(candidate.memory instanceof WebAssembly.Memory)
  ) {
    throw new TypeError(`handle must be a wasm pool's handle, got ${describe(handle)}`);
  }
  const limitPages = Math.ceil(MAX_BYTES / WASM_PAGE);
  return new WasmMemoryPool({ backend: 'wasm', module: candidate.module, memory: candidate.memory }, limitPages);
}
