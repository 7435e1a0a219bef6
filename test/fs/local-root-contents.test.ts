// The local disk's root is never emptied, acceptRootDir or not, as pyarrow's
// LocalFileSystem refuses. Safe whatever the code does: node:fs/promises's deletions are
// replaced by ones that throw, and deleteFile / deleteDir only record their paths.
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  const blocked = () => Promise.reject(new Error('deletion blocked by the test'));
  const deletions = { rm: blocked, unlink: blocked, rmdir: blocked };
  return { ...real, ...deletions, default: { ...real, ...deletions } };
});

const { LocalFileSystem } = await import('../../src/fs/local/local-file-system.js');

/** Records what it would delete instead of deleting it. */
class Recording extends LocalFileSystem {
  readonly deleted: string[] = [];
  override async deleteFile(path: string): Promise<void> {
    this.deleted.push(path);
  }
  override async deleteDir(path: string): Promise<void> {
    this.deleted.push(path);
  }
}

describe("the local disk's root", () => {
  it.each([{}, { acceptRootDir: true }])(
    'is not emptied by deleteDirContents with %o: UnsupportedOperationError',
    async (options) => {
      const fs = new Recording();
      await expect(fs.deleteDirContents('/', options)).rejects.toMatchObject({
        name: 'UnsupportedOperationError',
        message: expect.stringMatching(/does not empty its root/),
      });
      await expect(fs.deleteDirContents('/tmp/..', options)).rejects.toMatchObject({ name: 'UnsupportedOperationError' });
      expect(fs.deleted).toEqual([]);
    },
  );
});
