import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { describe } from '../../util/validate.js';
import { parseFileMode, type FileMode, type FileModeInput } from '../file-mode.js';
import { fsError } from '../fs-error.js';
import { NativeFile } from '../native-file.js';

/** Closes descriptors of files that were dropped without `close()`. */
const dropped = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed by the process; nothing left to release.
  }
});

const FLAGS: Record<FileMode, string> = { rb: 'r', wb: 'w', ab: 'a', 'rb+': 'r+' };

/**
 * A file on disk through a file descriptor (Arrow's `OSFile`). Modes as in PyArrow: `'r'`
 * reads (seekable), `'w'` truncates or creates, `'a'` appends; new files get the permissions
 * 0o666 less the umask. Every operation is synchronous underneath (the async forms too), and
 * `readInto`/`readBuffer` read straight into the destination memory. Offsets past 4 GiB work.
 */
export class OSFile extends NativeFile {
  readonly mode: FileMode;
  readonly isSync = true;
  /** The path the file was opened with. */
  readonly path: string;
  #fd: number;

  constructor(path: string | URL, mode: FileModeInput = 'rb') {
    super();
    if (typeof path !== 'string' && !(path instanceof URL)) {
      throw new TypeError(`path must be a string or URL, got ${describe(path)}`);
    }
    this.mode = parseFileMode(mode, ['rb', 'wb', 'ab']);
    this.path = String(path);
    try {
      this.#fd = openSync(path, FLAGS[this.mode], 0o666);
    } catch (error) {
      throw fsError(error, this.path);
    }
    dropped.register(this, this.#fd, this);
    if (this.mode === 'ab') this.position = this.sizeSyncImpl();
  }

  /** The file descriptor (for the Node APIs that take one). */
  get fd(): number {
    this.checkOpen();
    return this.#fd;
  }

  protected isSeekable(): boolean {
    return this.mode === 'rb';
  }

  protected readAtSyncImpl(position: number, into: Uint8Array): number {
    try {
      return readSync(this.#fd, into, 0, into.byteLength, position);
    } catch (error) {
      throw fsError(error, this.path);
    }
  }

  protected writeSyncImpl(position: number, bytes: Uint8Array): void {
    try {
      for (let done = 0; done < bytes.byteLength;) {
        const at = this.mode === 'ab' ? null : position + done;
        done += writeSync(this.#fd, bytes, done, bytes.byteLength - done, at);
      }
    } catch (error) {
      throw fsError(error, this.path);
    }
  }

  protected sizeSyncImpl(): number {
    return fstatSync(this.#fd).size;
  }

  protected closeSyncImpl(): void {
    dropped.unregister(this);
    closeSync(this.#fd);
  }
}
