import { describe } from '../../util/validate.js';
import { fileClass } from '../core/file-class.js';
import { closeStillPending } from '../core/file-core.js';
import type { SyncOutputStream } from '../core/interfaces.js';
import type { UnderlyingFile } from '../core/underlying.js';

const PART_SIZE = 1024 * 1024;

/** Options of {@link BlobOutputStream}. */
export interface BlobOutputStreamOptions {
  /** The MIME type of the Blob. */
  type?: string;
}

/** Gathers small writes into 1 MiB parts; on close the parts become one Blob. */
class BlobSink implements UnderlyingFile {
  readonly #parts: Uint8Array[] = [];
  #part = new Uint8Array(PART_SIZE);
  #used = 0;
  result: Blob | undefined;

  constructor(readonly type: string) {}

  write(bytes: Uint8Array): void {
    if (bytes.byteLength >= PART_SIZE / 2) {
      this.#finishPart();
      this.#parts.push(bytes.slice());
      return;
    }
    if (this.#used + bytes.byteLength > PART_SIZE) this.#finishPart();
    this.#part.set(bytes, this.#used);
    this.#used += bytes.byteLength;
  }

  close(): void {
    this.#finishPart();
    this.result = new Blob(this.#parts as BlobPart[], { type: this.type });
    this.#parts.length = 0;
  }

  #finishPart(): void {
    if (this.#used === 0) return;
    this.#parts.push(this.#part.slice(0, this.#used));
    this.#used = 0;
  }
}

/**
 * An output stream whose result is a `Blob` (for downloads and uploads). Small writes are
 * gathered into 1 MiB parts; `getValue()` closes the stream and returns the Blob.
 */
export class BlobOutputStream extends fileClass<SyncOutputStream>() {
  readonly #sink: BlobSink;

  constructor(options: BlobOutputStreamOptions = {}) {
    const type = options.type ?? '';
    if (typeof type !== 'string') throw new TypeError(`options.type must be a string, got ${describe(type)}`);
    const sink = new BlobSink(type);
    super(sink, { kind: 'BlobOutputStream', mode: 'wb', seekable: false, sync: true });
    this.#sink = sink;
  }

  /** The bytes written, as a Blob. Closes the stream; calling it again returns the same Blob. */
  getValue(): Blob {
    this.closeSync();
    return this.#sink.result ?? closeStillPending('BlobOutputStream');
  }
}
