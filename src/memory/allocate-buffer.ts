import { Buffer } from './buffer.js';
import { defaultMemoryPool } from './default-pool.js';
import { checkPool, type MemoryPool } from './memory-pool.js';
import { ResizableBuffer } from './resizable-buffer.js';
import { checkSize } from '../util/validate.js';

/** Options of {@link allocateBuffer}. */
export interface AllocateOptions {
  /** The pool to allocate from; the default pool if omitted. */
  pool?: MemoryPool;
  /** Return a {@link ResizableBuffer}. */
  resizable?: boolean;
}

/**
 * A new mutable buffer of `size` bytes from a pool (PyArrow `allocate_buffer`). As in Arrow,
 * the bytes are not cleared: they may hold what an earlier buffer left there.
 */
export function allocateBuffer(size: number, options: AllocateOptions & { resizable: true }): ResizableBuffer;
export function allocateBuffer(size: number, options?: AllocateOptions): Buffer;
export function allocateBuffer(size: number, options: AllocateOptions = {}): Buffer {
  checkSize(size, 'size');
  const pool = options.pool === undefined ? defaultMemoryPool() : checkPool(options.pool, 'options.pool');
  return options.resizable === true ? ResizableBuffer.allocate(pool, size) : pool.allocate(size);
}
