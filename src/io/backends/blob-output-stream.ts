import { describe } from '../../util/validate.js';
import { NativeFile } from '../native-file.js';

const PART_SIZE = 1024 * 1024;

/** Options of {@link BlobOutputStream}. */
export interface BlobOutputStreamOptions {
  /** The MIME type of the Blob. */
  type?: string;
}

/**
 * An output stream whose result is a `Blob` (for downloads and uploads). Small writes are
 * gathered into 1 MiB parts; `getValue()` closes the stream and returns the Blob.
 */
export class BlobOutputStream extends NativeFile {
  readonly mode = 'wb';
  readonly isSync = true;
  readonly #type: string;
  readonly #parts: Uint8Array[] = [];
  #part = new Uint8Array(PART_SIZE);
  #used = 0;
  #result: Blob | undefined;

  constructor(options: BlobOutputStreamOptions = {}) {
    super();
    const type = options.type ?? '';
    if (typeof type !== 'string') throw new TypeError(`options.type must be a string, got ${describe(type)}`);
    this.#type = type;
  }

  /** The bytes written, as a Blob. Closes the stream; calling it again returns the same Blob. */
  getValue(): Blob {
    this.closeSync();
    return this.#result!;
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected writeSyncImpl(_position: number, bytes: Uint8Array): void {
    if (bytes.byteLength >= PART_SIZE / 2) {
      this.#finishPart();
      this.#parts.push(bytes.slice());
      return;
    }
    if (this.#used + bytes.byteLength > PART_SIZE) this.#finishPart();
    this.#part.set(bytes, this.#used);
    this.#used += bytes.byteLength;
  }

  protected sizeSyncImpl(): number {
    return this.position;
  }

  protected closeSyncImpl(): void {
    this.#finishPart();
    this.#result = new Blob(this.#parts as BlobPart[], { type: this.#type });
    this.#parts.length = 0;
  }

  #finishPart(): void {
    if (this.#used === 0) return;
    this.#parts.push(this.#part.slice(0, this.#used));
    this.#used = 0;
  }
}
