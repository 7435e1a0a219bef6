import { IOError, OutOfMemoryError } from '../../errors.js';
import type { FileMode } from '../file-mode.js';
import { opfsFileHandle } from './opfs-paths.js';

/** The worker-only part of the OPFS API used here (TypeScript's DOM library lacks it). */
interface FileSystemSyncAccessHandle {
  read(buffer: ArrayBufferView, options?: { at?: number }): number;
  write(buffer: ArrayBufferView, options?: { at?: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

type SyncCapableFileHandle = FileSystemFileHandle & {
  createSyncAccessHandle(): Promise<FileSystemSyncAccessHandle>;
};

/**
 * An open OPFS sync access handle with the mode's rules applied: `'wb'` truncates, `'ab'`
 * starts at the end, a full disk becomes an {@link OutOfMemoryError} that says how much was
 * written. Only workers can create one.
 */
export class SyncAccess {
  private constructor(
    readonly path: string,
    private readonly handle: FileSystemSyncAccessHandle,
  ) {}

  static async open(path: string, mode: FileMode): Promise<SyncAccess> {
    try {
      const file = await opfsFileHandle(path, mode !== 'rb');
      const handle = await (file as SyncCapableFileHandle).createSyncAccessHandle();
      if (mode === 'wb') handle.truncate(0);
      return new SyncAccess(path, handle);
    } catch (cause) {
      if ((cause as DOMException).name !== 'QuotaExceededError') throw cause;
      throw new OutOfMemoryError(`the storage quota is full: cannot open ${path} in mode '${mode}'`, {
        code: 'ENOSPC', cause,
      });
    }
  }

  read(position: number, into: Uint8Array): number {
    return this.handle.read(into, { at: position });
  }

  write(position: number, bytes: Uint8Array): void {
    let written = 0;
    try {
      while (written < bytes.byteLength) {
        const count = this.handle.write(bytes.subarray(written), { at: position + written });
        if (count === 0) throw new IOError(`OPFS wrote nothing to ${this.path}`, { code: 'EIO' });
        written += count;
      }
    } catch (cause) {
      if ((cause as DOMException).name === 'QuotaExceededError') {
        throw new OutOfMemoryError(
          `the storage quota is full: wrote ${written} of ${bytes.byteLength} bytes at offset ${position} of ${this.path}`,
          { code: 'ENOSPC', cause },
        );
      }
      throw cause;
    }
  }

  size(): number {
    return this.handle.getSize();
  }

  truncate(size: number): void {
    this.handle.truncate(size);
  }

  flush(): void {
    this.handle.flush();
  }

  close(): void {
    this.handle.close();
  }
}
