/**
 * OPFS exists in browsers only: in Node, opening an OPFS file or using the OPFS filesystem is
 * an UnsupportedOperationError that says so, not a ReferenceError from deep inside.
 */
import { describe, expect, it } from 'vitest';
import { OpfsFile, OpfsFileSystem, UnsupportedOperationError } from '../../src/index.js';

describe('OPFS in Node', () => {
  it('OpfsFile.open rejects with UnsupportedOperationError naming browsers', async () => {
    for (const mode of ['rb', 'wb', 'ab', 'rb+'] as const) {
      const error = await OpfsFile.open('a.bin', mode).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toMatch(/OPFS.*browsers/);
    }
  });

  it('OpfsFileSystem methods reject with UnsupportedOperationError', async () => {
    const fs = new OpfsFileSystem();
    for (const call of [
      () => fs.getFileInfo('a'),
      () => fs.listDir(''),
      () => fs.openInputFile('a'),
      () => fs.openOutputStream('a'),
      () => fs.createDir('d'),
      () => fs.deleteFile('a'),
      () => fs.move('a', 'b'),
      () => fs.estimate(),
      () => fs.persist(),
      () => fs.persisted(),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toMatch(/OPFS.*browsers/);
    }
  });
});
