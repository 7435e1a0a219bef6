import { allocateBuffer } from '../../memory/allocate-buffer.js';
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
