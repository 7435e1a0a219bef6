import { allocateBuffer } from '../../memory/allocate-buffer.js';
import type { Buffer } from '../../memory/buffer.js';
import { checkOptionalSize } from '../../util/validate.js';
import * as algorithms from './algorithms.js';
import { runAsync, syncValue } from './steps.js';
import { NativeFile } from './native-file.js';
import type { FileInterface } from './interfaces.js';
import type { FileClass } from './unpooled-file-class.js';
import type { FileTraits } from './file-traits.js';
import type { UnderlyingFile } from './underlying.js';

export type { FileClass } from './unpooled-file-class.js';

/**
 * A NativeFile whose reads that cannot slice get memory from the default pool: the base of
 * every built-in backend but those that always slice. Classes whose type is not one
 * capability (they narrow by constructor overloads) extend it directly.
 */
export class PooledFile extends NativeFile {
  constructor(underlying: UnderlyingFile, traits: FileTraits) {
    super(underlying, traits.allocate === undefined ? { ...traits, allocate: (size) => allocateBuffer(size) } : traits);
  }

  /** {@link NativeFile.readBuffer}, in one backend read where one fills the buffer. */
  override readBuffer(n?: number): Promise<Buffer> {
    // Not `async`, as readAt: no promise more per read; throws still become rejections.
    try {
      const length = checkOptionalSize(n, 'n');
      this.check('readable');
      const { cursor, async: side } = this;
      const allocate = this.traits.allocate!;
      // Decided when the read starts, after the calls before it (a readline may leave bytes).
      return this.queue.run(
        () =>
          algorithms.readBufferInOneRead(cursor, side, length, allocate, false) ??
          runAsync(algorithms.readBuffer(cursor, side, length, allocate)),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** {@link NativeFile.readBufferSync}, in one backend read where one fills the buffer. */
  override readBufferSync(n?: number): Buffer {
    const length = checkOptionalSize(n, 'n');
    const side = this.syncSide('readable');
    const once = algorithms.readBufferInOneRead(this.cursor, side, length, this.traits.allocate!, true);
    return once === undefined ? super.readBufferSync(length) : syncValue(once);
  }
}

/**
 * The base class for a backend whose instances can do what `T` says, such as
 * `class BlobFile extends fileClass<Async<RandomAccessFile>>()`. At run time it is a
 * {@link NativeFile} whose `readBuffer`, where the backend cannot slice, reads into memory
 * from the default pool (or from `traits.allocate`); in the type system the subclass has only
 * `T`'s members (plus its own), so calling what the file cannot do is a compile error.
 */
export function fileClass<T extends FileInterface>(): FileClass<T> {
  return PooledFile as unknown as FileClass<T>;
}
