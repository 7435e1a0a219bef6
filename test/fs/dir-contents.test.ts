/**
 * deleteDirContents as written once for every filesystem (src/fs/dir-contents.ts), over a
 * filesystem in memory whose deletions take time and may fail.
 */
import { describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { deleteContentsOf } from '../../src/fs/dir-contents.js';
import type { FileInfo, FileSystem } from '../../src/fs/file-system.js';

/** A directory `d` of `count` files, each taking `ms` to delete; `fails` cannot be deleted. */
function slowStore(count: number, ms: number, fails: string) {
  const files = new Set(Array.from({ length: count }, (_, i) => `d/f${i}`));
  let running = 0;
  const fs = {
    typeName: 'memory',
    getFileInfo: async (path: string): Promise<FileInfo> => ({ path, type: path === 'd' ? 'directory' : 'not-found' }),
    listDir: async (): Promise<FileInfo[]> => [...files].map((path) => ({ path, type: 'file' })),
    async deleteFile(path: string) {
      running += 1;
      try {
        if (path === fails) throw new IOError(`cannot delete ${path}`, { code: 'EACCES' });
        await new Promise((resolve) => setTimeout(resolve, ms));
        files.delete(path);
      } finally {
        running -= 1;
      }
    },
  } as unknown as FileSystem;
  return { fs, files, running: () => running };
}

describe('deleteDirContents, written once', () => {
  it('that fails rejects only once no deletion is running: what is left stays as reported', async () => {
    const store = slowStore(40, 20, 'd/f3');
    await expect(deleteContentsOf(store.fs, 'd', {}, false)).rejects.toMatchObject({ code: 'EACCES' });
    expect(store.running()).toBe(0);
    const left = store.files.size;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.files.size).toBe(left);
    expect(left).toBeGreaterThan(1);
  });
});
