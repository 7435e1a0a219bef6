/**
 * What the core needs to know of a backend besides its operations ({@link UnderlyingFile}):
 * its name, mode and capabilities, and the choices of memory and code it makes.
 * @module
 */
import type { Buffer } from '../../memory/buffer.js';
import type { FileMode } from '../../util/file-mode.js';
import type { Copies } from './transfer.js';
import type { UnderlyingFile } from './underlying.js';

/** What the core needs to know of a backend besides its operations, given with it to the file class. */
export interface FileTraits {
  /** The name used in messages, such as `'BufferReader'` (class names do not survive minifiers). */
  readonly kind: string;
  /** How the file is open. */
  readonly mode: FileMode;
  /** Whether the file supports `seek` and positional reads. */
  readonly seekable: boolean;
  /** Whether the underlying file answers synchronously, so the `*Sync` methods work. */
  readonly sync: boolean;
  /**
   * A second, asynchronous face of a synchronous backend, used by the async methods so they
   * never block the event loop (Node files: the thread pool). Defaults to the backend itself.
   */
  readonly async?: UnderlyingFile;
  /** Where the position starts (append mode starts at the end). Default 0. */
  readonly position?: number;
  /** Whether a seek may go past the end of the file. Default `true`. */
  readonly seekPastEnd?: boolean;
  /**
   * Positional reads use nothing `close` releases (a Blob's reads), so `close` does not wait
   * for them: tracking a read costs Firefox ~6 µs of a 64 KiB Blob read's ~165.
   */
  readonly untrackedReads?: boolean;
  /** The size for `seek(offset, 2)` on an asynchronous file, which must not do I/O. */
  readonly knownSize?: () => number;
  /**
   * Where `readBuffer` gets memory when the backend cannot slice (no `sliceAt`): a new
   * mutable Buffer of `size` bytes. {@link fileClass} makes it the default pool
   * (`allocateBuffer`) unless given; without it (`unpooledFileClass`) the core wraps the
   * bytes it reads in a Buffer over JavaScript memory. A backend that always slices or reads
   * fresh memory leaves it out, so the pools are not in its bundle.
   */
  readonly allocate?: (size: number) => Buffer;
  /**
   * The code of `upload` and `download` (`copies` of `copy.ts`), for a file class used where
   * code cannot be loaded later: module service workers refuse `import()`, with which the
   * core otherwise loads it on the first copy.
   *
   * Not for speed but for where code may load: OpfsFile carries the copies, since it runs in
   * module service workers (test/browser/service-worker.test.ts); every other file class
   * loads them (1.5-1.6 kB gzipped) on its first copy, which keeps them out of what an app
   * loads at start (`.size-limit.mjs`: each check "at start" against the same "with what
   * loads on first use").
   * @internal
   */
  readonly copies?: Copies;
}
