import { checkPositiveSize } from '../../util/validate.js';
import { checkFile } from '../check-file.js';
import { NativeFile } from '../native-file.js';

/**
 * Gathers writes in a buffer of `bufferSize` bytes and writes them to `raw` when it fills, on
 * `flush()` and on `close()` (Arrow's `BufferedOutputStream`). Writes at least as large as the
 * buffer go straight through. Closing it closes `raw`; `detach()` flushes and does not.
 */
export class BufferedOutputStream extends NativeFile {
  readonly mode = 'wb';
  readonly isSync: boolean;
  readonly #raw: NativeFile;
  readonly #buffer: Uint8Array;
  #used = 0;
  #detached = false;

  constructor(raw: NativeFile, bufferSize: number) {
    super();
    checkFile(raw, 'raw', 'writable');
    this.#raw = raw;
    this.#buffer = new Uint8Array(checkPositiveSize(bufferSize, 'bufferSize'));
    this.isSync = raw.isSync;
  }

  /** The size of the buffer. */
  get bufferSize(): number {
    return this.#buffer.byteLength;
  }

  /** Bytes written to this stream but not yet to `raw`. */
  get bytesBuffered(): number {
    return this.#used;
  }

  /** Writes out the buffer, closes this stream without closing `raw`, and returns `raw`. */
  async detach(): Promise<NativeFile> {
    this.checkOpen();
    await this.#drain();
    this.#detached = true;
    await this.close();
    return this.#raw;
  }

  /** Synchronous {@link BufferedOutputStream.detach}. */
  detachSync(): NativeFile {
    this.checkOpen(true);
    this.#drainSync();
    this.#detached = true;
    this.closeSync();
    return this.#raw;
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected writeSyncImpl(_position: number, bytes: Uint8Array): void {
    if (this.#used + bytes.byteLength > this.#buffer.byteLength) this.#drainSync();
    if (bytes.byteLength >= this.#buffer.byteLength) this.#raw.writeSync(bytes);
    else this.#keep(bytes);
  }

  protected async writeImpl(_position: number, bytes: Uint8Array): Promise<void> {
    if (this.#used + bytes.byteLength > this.#buffer.byteLength) await this.#drain();
    if (bytes.byteLength >= this.#buffer.byteLength) await this.#raw.write(bytes);
    else this.#keep(bytes);
  }

  protected sizeSyncImpl(): number {
    return this.position;
  }

  protected async sizeImpl(): Promise<number> {
    return this.position;
  }

  protected flushSyncImpl(): void {
    this.#drainSync();
    this.#raw.flushSync();
  }

  protected async flushImpl(): Promise<void> {
    await this.#drain();
    await this.#raw.flush();
  }

  protected closeSyncImpl(): void {
    if (this.#detached) return;
    this.#drainSync();
    this.#raw.closeSync();
  }

  protected async closeImpl(): Promise<void> {
    if (this.#detached) return;
    await this.#drain();
    await this.#raw.close();
  }

  #keep(bytes: Uint8Array): void {
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.byteLength;
  }

  #drainSync(): void {
    if (this.#used === 0) return;
    this.#raw.writeSync(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  async #drain(): Promise<void> {
    if (this.#used === 0) return;
    await this.#raw.write(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }
}
