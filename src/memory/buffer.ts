// Files and buffers implement `Symbol.dispose`/`Symbol.asyncDispose`: the declarations bring
// TypeScript's library of those names with them (`preserve`), for programs that have neither
// it nor @types/node (a browser app with lib ES2022 and DOM, a worker).
/// <reference lib="esnext.disposable" preserve="true" />
import type { Allocation } from './allocation.js';
import { IOError } from '../errors.js';
import type { SharedBufferDescriptor } from './shared-buffer-descriptor.js';
import { checkInteger, checkSize, describe, viewOf, type RawBytes } from '../util/validate.js';
import { checkConstructing, CONSTRUCTING } from './constructing.js';

/** Anything nativefile accepts as bytes: a {@link Buffer}, an `ArrayBuffer`, a `SharedArrayBuffer` or any view. */
export type BytesLike = Buffer | RawBytes;

/** Options of {@link Buffer.wrap}. */
export interface WrapOptions {
  /** Whether writers may change the bytes. Default `true`: JavaScript memory is writable. */
  mutable?: boolean;
}

/** What a released buffer holds instead of its bytes. */
const RELEASED = new Uint8Array(0);

/**
 * The buffer of each view the collection backstop could free the memory of, so that it lives as long as its view. Only
 * registered buffers get entries (before, the backstop's list holds them): an entry costs more than an allocation.
 */
const viewOwners = new WeakMap<Uint8Array, Buffer>();

const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

/**
 * A contiguous range of bytes: memory from a pool, or foreign memory wrapped without a copy
 * (Arrow's `Buffer`). Slices share their parent's memory and keep it alive.
 *
 * Pool memory goes back to its pool when the buffer and all its slices are released, or when
 * they are garbage-collected. A buffer that was released throws on every use; a `view` taken
 * before the release must not be used after it.
 */
export class Buffer {
  // Plain fields, and no view until one is asked for: a slice or an allocation is one small
  // object (bench/buffer-reader.bench.ts, bench/memory-pools.bench.ts).
  /** The memory the bytes are in: the pool's, or the wrapped view's `ArrayBuffer`. */
  #memory: ArrayBuffer | SharedArrayBuffer;
  #offset: number;
  #size: number;
  /** A view over the bytes, made on first use; `RELEASED` once released. */
  #view: Uint8Array | undefined;
  #mutable: boolean;
  #parent: Buffer | null;
  /** @internal The pool memory this buffer holds a reference to; `null` for foreign memory or once released. */
  allocation: Allocation | null;
  /** @internal Whether the garbage-collection backstop has this buffer registered. */
  registered = false;

  protected constructor(
    token: symbol,
    memory: ArrayBuffer | SharedArrayBuffer,
    offset: number,
    size: number,
    mutable: boolean,
    parent: Buffer | null,
    allocation: Allocation | null,
    view?: Uint8Array,
  ) {
    if (token !== CONSTRUCTING) checkConstructing(token, new.target.name);
    this.#memory = memory;
    this.#offset = offset;
    this.#size = size;
    this.#view = view;
    this.#mutable = mutable;
    this.#parent = parent;
    this.allocation = allocation;
    if (allocation !== null) allocation.watch(this);
  }

  /**
   * A buffer over existing memory, without copying it (PyArrow `py_buffer`).
   * @param data an `ArrayBuffer`, a `SharedArrayBuffer` or any `ArrayBufferView`.
   * @throws TypeError for strings, other values and detached memory.
   */
  static wrap(data: RawBytes, options: WrapOptions = {}): Buffer {
    if (data instanceof Buffer) {
      throw new TypeError('Buffer.wrap() takes raw memory; slice() the Buffer instead');
    }
    const mutable = options.mutable ?? true;
    if (typeof mutable !== 'boolean') {
      throw new TypeError(`options.mutable must be a boolean, got ${describe(mutable)}`);
    }
    const view = viewOf(data, 'data');
    return new Buffer(CONSTRUCTING, view.buffer, view.byteOffset, view.byteLength, mutable, null, null, view);
  }

  /**
   * A zero-copy Buffer over bytes another thread shared with {@link Buffer.share}. It does
   * not own them: the sharing thread keeps its Buffer alive while this one is in use.
   */
  static fromShared(descriptor: SharedBufferDescriptor): Buffer {
    const { buffer, byteOffset, byteLength, mutable } = (descriptor ?? {}) as Partial<SharedBufferDescriptor>;
    if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(`descriptor must come from Buffer.share(), got ${describe(descriptor)}`);
    }
    checkSize(byteOffset, 'descriptor.byteOffset');
    checkSize(byteLength, 'descriptor.byteLength');
    if (byteOffset! + byteLength! > buffer.byteLength) {
      throw new RangeError(
        `descriptor spans bytes ${byteOffset} to ${byteOffset! + byteLength!} of a ${buffer.byteLength}-byte memory`,
      );
    }
    return new Buffer(CONSTRUCTING, buffer, byteOffset!, byteLength!, mutable !== false, null, null);
  }

  /**
   * @internal A mutable buffer over the first `size` bytes of `allocation`'s block, holding
   * its reference (pools make them: `allocateFrom` in allocate-from.ts).
   */
  static fromAllocation(allocation: Allocation, size: number): Buffer {
    const block = allocation.block;
    return new Buffer(CONSTRUCTING, block.buffer, block.address, size, true, null, allocation);
  }

  /** The number of bytes. */
  get size(): number {
    this.checkLive();
    return this.#size;
  }

  /** Whether writers may change the bytes. */
  get isMutable(): boolean {
    this.checkLive();
    return this.#mutable;
  }

  /** The buffer this one was sliced from, or `null`. */
  get parent(): Buffer | null {
    this.checkLive();
    return this.#parent;
  }

  /**
   * The offset of the first byte in the underlying memory: for pool buffers, the address in
   * the pool's memory (64-byte aligned); for wrapped memory, the offset in its `ArrayBuffer`.
   */
  get address(): number {
    this.checkLive();
    return this.#offset;
  }

  /**
   * A zero-copy `Uint8Array` over the bytes (PyArrow's `memoryview`), which keeps this buffer alive as a memoryview
   * does: `allocateBuffer(n).view` is safe to keep. Arrays made from it (`view.subarray()`) do not: keep the buffer or
   * its view reachable while using them, or copy the bytes with {@link Buffer.toBytes}.
   */
  get view(): Uint8Array {
    this.checkLive();
    if (this.#view === undefined) {
      this.#view = new Uint8Array(this.#memory, this.#offset, this.#size);
      if (this.registered) viewOwners.set(this.#view, this);
    }
    return this.#view;
  }

  /** Whether {@link Buffer.release} was called. */
  get isReleased(): boolean {
    return this.#view === RELEASED;
  }

  /**
   * A zero-copy slice that keeps this buffer alive.
   * @throws RangeError if `offset` or `length` fall outside the buffer.
   */
  slice(offset = 0, length?: number): Buffer {
    const size = this.size;
    checkSize(offset, 'offset');
    if (offset > size) {
      throw new RangeError(`offset ${offset} is past the end of a buffer of ${size} bytes`);
    }
    const end = length === undefined ? size : offset + checkSize(length, 'length');
    if (end > size) {
      throw new RangeError(`slice of ${length} bytes at offset ${offset} is past the end of a buffer of ${size} bytes`);
    }
    return this.sliceUnchecked(offset, end);
  }

  /** @internal {@link Buffer.slice} for callers that checked `start <= end <= size` themselves. */
  sliceUnchecked(start: number, end: number): Buffer {
    this.checkLive();
    const allocation = this.allocation;
    allocation?.retain();
    return new Buffer(CONSTRUCTING, this.#memory, this.#offset + start, end - start, this.#mutable, this, allocation);
  }

  /**
   * The byte at index `i`; negative indexes count from the end.
   * @throws RangeError if `i` is out of range.
   */
  at(i: number): number {
    const bytes = this.view;
    checkInteger(i, 'index');
    const index = i < 0 ? bytes.byteLength + i : i;
    if (index < 0 || index >= bytes.byteLength) {
      throw new RangeError(`index ${i} is out of range for a buffer of ${bytes.byteLength} bytes`);
    }
    return bytes[index]!;
  }

  /**
   * A structured-cloneable descriptor of these bytes, for {@link Buffer.fromShared} in another
   * thread (no copy). The memory must be shared: wasm pool memory or a `SharedArrayBuffer`.
   * The descriptor does not keep this buffer alive: keep it, unreleased, while the other thread uses the bytes.
   * @throws TypeError for memory in a plain `ArrayBuffer`.
   */
  share(): SharedBufferDescriptor {
    this.checkLive();
    const buffer = this.#memory;
    if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(
        'this Buffer is in an ArrayBuffer, which threads cannot share: allocate it from the wasm pool or wrap a SharedArrayBuffer',
      );
    }
    return { buffer, byteOffset: this.#offset, byteLength: this.#size, mutable: this.#mutable };
  }

  /** Whether `other` holds the same bytes. */
  equals(other: BytesLike): boolean {
    const a = this.view;
    const b = bytesOf(other, 'other');
    if (a.byteLength !== b.byteLength) return false;
    if (a === b) return true;
    for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** The bytes as an upper-case hexadecimal string. */
  hex(): string {
    const bytes = this.view;
    let out = '';
    for (let i = 0; i < bytes.byteLength; i++) out += HEX_DIGITS[bytes[i]!]!;
    return out;
  }

  /** A copy of the bytes (PyArrow `to_pybytes`). */
  toBytes(): Uint8Array {
    return this.view.slice();
  }

  /**
   * Drops this buffer's hold on its memory. Pool memory returns to the pool once this buffer
   * and all its slices are released (or collected). Calling it again does nothing.
   */
  release(): void {
    if (this.#view === RELEASED) return;
    this.#view = RELEASED;
    // A released buffer may wait a while in the collection backstop's list: keep nothing big.
    this.#memory = RELEASED.buffer;
    this.#parent = null;
    const allocation = this.allocation;
    if (allocation !== null) {
      this.allocation = null;
      allocation.release(this);
    }
  }

  /** Same as {@link Buffer.release}, for `using` declarations. */
  [Symbol.dispose](): void {
    this.release();
  }

  /** A short description, such as `Buffer(size=10, mutable)`. */
  toString(): string {
    if (this.#view === RELEASED) return 'Buffer(released)';
    return `Buffer(size=${this.#size}, ${this.#mutable ? 'mutable' : 'immutable'})`;
  }

  /** @internal The backstop registered this buffer: its view must keep it alive from now on. */
  keepAlive(): void {
    if (this.#view !== undefined) viewOwners.set(this.#view, this);
  }

  /** @internal Makes the bytes the first `size` of the allocation's block (for {@link ResizableBuffer}). */
  protected setBlockBytes(size: number): void {
    const block = this.allocation!.block;
    this.#memory = block.buffer;
    this.#offset = block.address;
    this.#size = size;
    this.#view = undefined;
  }

  /** @internal Throws if the buffer was released. */
  protected checkLive(): void {
    if (this.#view === RELEASED) throw new IOError('this Buffer has been released', { code: 'ERELEASED' });
  }
}

/** A zero-copy `Uint8Array` over any {@link BytesLike}. */
export function bytesOf(data: unknown, name: string): Uint8Array {
  return data instanceof Buffer ? data.view : viewOf(data, name);
}
