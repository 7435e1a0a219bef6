import { NativeFile } from '../native-file.js';

/** An output stream that keeps nothing and counts the bytes written (Arrow's `MockOutputStream`). */
export class MockOutputStream extends NativeFile {
  readonly mode = 'wb';
  readonly isSync = true;

  protected isSeekable(): boolean {
    return false;
  }

  protected writeSyncImpl(): void {}

  protected sizeSyncImpl(): number {
    return this.position;
  }
}
