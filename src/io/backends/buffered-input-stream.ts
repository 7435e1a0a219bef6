import { checkPositiveSize } from '../../util/validate.js';
import { checkFile } from '../check-file.js';
import { NativeFile } from '../native-file.js';

/**
 * Reads a file through a buffer of `bufferSize` bytes, so many small reads (and `readline`)
 * cost one read of the underlying file each time the buffer empties (Arrow's
 * `BufferedInputStream`). Not seekable. Closing it closes `raw`; {@link detach} does not.
 */
export class BufferedInputStream extends NativeFile {
  readonly mode = 'rb';
  readonly isSync: boolean;
  readonly #raw: NativeFile;
  readonly #buffer: Uint8Array;
  #start = 0;
  #end = 0;
  #detached = false;

  constructor(raw: NativeFile, bufferSize: number) {
    super();
    checkFile(raw, 'raw', 'readable');
    this.#raw = raw;
    this.#buffer = new Uint8Array(checkPositiveSize(bufferSize, 'bufferSize'));
    this.isSync = raw.isSync;
  }

  /** The size of the buffer. */
  get bufferSize(): number {
    return this.#buffer.byteLength;
  }

  /** Bytes read from `raw` but not yet from this stream. */
  get bytesBuffered(): number {
    return this.#end - this.#start;
  }

  /** Closes this stream without closing `raw`, and returns `raw`. Buffered bytes are dropped. */
  detach(): NativeFile {
    this.checkOpen();
    this.#detached = true;
    void this.close();
    return this.#raw;
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected readAtSyncImpl(_position: number, into: Uint8Array): number {
    if (this.#start === this.#end) {
      if (into.byteLength >= this.#buffer.byteLength) return this.#raw.readIntoSync(into);
      this.#start = 0;
      this.#end = this.#raw.readIntoSync(this.#buffer);
    }
    return this.#take(into);
  }

  protected async readAtImpl(_position: number, into: Uint8Array): Promise<number> {
    if (this.#start === this.#end) {
      if (into.byteLength >= this.#buffer.byteLength) return this.#raw.readInto(into);
      this.#start = 0;
      this.#end = await this.#raw.readInto(this.#buffer);
    }
    return this.#take(into);
  }

  protected closeSyncImpl(): void {
    if (!this.#detached) this.#raw.closeSync();
  }

  protected async closeImpl(): Promise<void> {
    if (!this.#detached) await this.#raw.close();
  }

  #take(into: Uint8Array): number {
    const count = Math.min(into.byteLength, this.#end - this.#start);
    into.set(this.#buffer.subarray(this.#start, this.#start + count));
    this.#start += count;
    return count;
  }
}
