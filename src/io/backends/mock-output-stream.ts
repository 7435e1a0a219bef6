import { fileClass } from '../core/file-class.js';
import type { SyncOutputStream } from '../core/interfaces.js';

/** An output stream that keeps nothing and counts the bytes written (Arrow's `MockOutputStream`). */
export class MockOutputStream extends fileClass<SyncOutputStream>() {
  constructor() {
    super({ write() {} }, { kind: 'MockOutputStream', mode: 'wb', seekable: false, sync: true });
  }
}
