import { NativeFile } from './native-file.js';
import type { FileInterface } from './interfaces.js';
import type { FileTraits, UnderlyingFile } from './underlying.js';

/** The constructor a backend class extends: it builds a {@link NativeFile} typed as `T`. */
export type FileClass<T extends FileInterface> = abstract new (underlying: UnderlyingFile, traits: FileTraits) => T;

/**
 * The base class for a backend whose instances can do what `T` says, such as
 * `class BufferReader extends fileClass<SyncRandomAccessFile>()`. At run time it is
 * {@link NativeFile}; in the type system the subclass has only `T`'s members (plus its own),
 * so calling what the file cannot do is a compile error.
 */
export function fileClass<T extends FileInterface>(): FileClass<T> {
  return NativeFile as unknown as FileClass<T>;
}
