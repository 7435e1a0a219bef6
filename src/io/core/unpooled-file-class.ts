/**
 * The base of backends that reach no memory pool, in a module of its own: bundlers that keep
 * a module's class declarations (webpack counts `class extends` as a side effect) would
 * otherwise carry `PooledFile`, and with it the default pool and the wasm allocator, into
 * every app that uses `BufferReader`, `BlobFile` or `OpfsFile`.
 * @module
 */
import type { FileInterface } from './interfaces.js';
import { NativeFile } from './native-file.js';
import type { FileTraits } from './file-traits.js';
import type { UnderlyingFile } from './underlying.js';

/** The constructor a backend class extends: it builds a {@link NativeFile} typed as `T`. */
export type FileClass<T extends FileInterface> = abstract new (underlying: UnderlyingFile, traits: FileTraits) => T;

/**
 * `fileClass` for a backend whose reads never need pool memory: they slice (`sliceAt`,
 * as in `BufferReader`) or return fresh memory (`readFresh`, as a Blob's reads do), or the
 * backend brings its own `traits.allocate`. No pool is reached, so none is in an app's
 * bundle for it.
 * @internal
 */
export function unpooledFileClass<T extends FileInterface>(): FileClass<T> {
  return NativeFile as unknown as FileClass<T>;
}
