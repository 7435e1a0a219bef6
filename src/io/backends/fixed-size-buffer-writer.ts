import { IOError } from '../../errors.js';
import { Buffer } from '../../memory/buffer.js';
import { describe } from '../../util/validate.js';
import { fileClass } from '../core/file-class.js';
import type { SyncWritableFile } from '../core/interfaces.js';

/**
 * A seekable writer into an existing mutable {@link Buffer} of fixed size (Arrow's
 * `FixedSizeBufferWriter`). A write that does not fit writes nothing and throws.
 */
export class FixedSizeBufferWriter extends fileClass<SyncWritableFile>() {
  /** @param buffer a mutable Buffer, such as one from `allocateBuffer`. */
  constructor(buffer: Buffer) {
    if (!(buffer instanceof Buffer)) throw new TypeError(`buffer must be a Buffer, got ${describe(buffer)}`);
    if (!buffer.isMutable) throw new TypeError('FixedSizeBufferWriter needs a mutable Buffer');
    const fits = (position: number, length: number) => {
      const size = buffer.size;
      if (position + length > size) {
        throw new IOError(`write of ${length} bytes at offset ${position} does not fit in a buffer of ${size} bytes`, {
          code: 'ENOSPC',
        });
      }
    };
    super(
      {
        fits,
        writeAt(position, bytes) {
          fits(position, bytes.byteLength);
          buffer.view.set(bytes, position);
        },
        size: () => buffer.size,
      },
      { kind: 'FixedSizeBufferWriter', mode: 'wb', seekable: true, sync: true, seekPastEnd: false, knownSize: () => buffer.size },
    );
  }
}
