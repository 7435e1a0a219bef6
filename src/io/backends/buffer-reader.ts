import { Buffer, type BytesLike } from '../../memory/buffer.js';
import { unpooledFileClass } from '../core/unpooled-file-class.js';
import type { SyncRandomAccessFile } from '../core/interfaces.js';
import type { UnderlyingFile } from '../core/underlying.js';

/** The backend of {@link BufferReader}: bytes in memory. */
function bufferSource(buffer: Buffer): UnderlyingFile {
  return {
    readAt(position, into) {
      const bytes = buffer.view;
      const count = Math.max(0, Math.min(into.byteLength, bytes.byteLength - position));
      into.set(bytes.subarray(position, position + count));
      return count;
    },
    // The core clamped the range to the size already.
    sliceAt: (position, length) => buffer.sliceUnchecked(position, position + length),
    size: () => buffer.size,
  };
}

/**
 * A random-access reader over bytes in memory (Arrow's `BufferReader`). `readBuffer` returns
 * zero-copy slices that keep the source alive. Seeking past the end is a `RangeError`.
 */
export class BufferReader extends unpooledFileClass<SyncRandomAccessFile>() {
  /** @param source a {@link Buffer}, an `ArrayBuffer`, a `SharedArrayBuffer` or any view. */
  constructor(source: BytesLike) {
    const buffer = source instanceof Buffer ? source : Buffer.wrap(source, { mutable: false });
    super(bufferSource(buffer), {
      kind: 'BufferReader',
      mode: 'rb',
      seekable: true,
      sync: true,
      seekPastEnd: false,
      knownSize: () => buffer.size,
    });
  }
}
