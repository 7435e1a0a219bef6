/**
 * A structured-cloneable description of a Buffer's bytes in shared memory, from
 * {@link Buffer.share}; {@link Buffer.fromShared} turns it back into a Buffer in any thread.
 */
export interface SharedBufferDescriptor {
  /** The shared memory the bytes are in (the pool's, for a pool buffer). */
  readonly buffer: SharedArrayBuffer;
  /** Where the bytes start in {@link SharedBufferDescriptor.buffer}. */
  readonly byteOffset: number;
  /** How many bytes. */
  readonly byteLength: number;
  /** Whether the Buffer made from it may be written, as the shared one could. */
  readonly mutable: boolean;
}
