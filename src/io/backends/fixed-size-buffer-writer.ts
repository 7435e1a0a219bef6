import { IOError } from '../../errors.js';
import { Buffer } from '../../memory/buffer.js';
import { describe } from '../../util/validate.js';
import { NativeFile } from '../native-file.js';

/**
 * A seekable writer into an existing mutable {@link Buffer} of fixed size (Arrow's
 * `FixedSizeBufferWriter`). A write that does not fit writes nothing and throws.
 */
export class FixedSizeBufferWriter extends NativeFile {
  readonly mode = 'wb';
  readonly isSync = true;
  #buffer: Buffer;

  /** @param buffer a mutable Buffer, such as one from `allocateBuffer`. */
  constructor(buffer: Buffer) {
    super();
    if (!(buffer instanceof Buffer)) {
      throw new TypeError(`buffer must be a Buffer, got ${describe(buffer)}`);
    }
    if (!buffer.isMutable) throw new TypeError('FixedSizeBufferWriter needs a mutable Buffer');
    this.#buffer = buffer;
  }

  protected isSeekable(): boolean {
    return true;
  }

  protected writeSyncImpl(position: number, bytes: Uint8Array): void {
    const size = this.#buffer.size;
    if (position + bytes.byteLength > size) {
      throw new IOError(
        `write of ${bytes.byteLength} bytes at offset ${position} does not fit in a buffer of ${size} bytes`,
        { code: 'ENOSPC' },
      );
    }
    this.#buffer.view.set(bytes, position);
  }

  protected sizeSyncImpl(): number {
    return this.#buffer.size;
  }

  protected checkSeekTarget(position: number): void {
    const size = this.#buffer.size;
    if (position > size) {
      throw new RangeError(`cannot seek to ${position}, past the end of a buffer of ${size} bytes`);
    }
  }
}
