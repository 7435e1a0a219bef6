/**
 * The filesystem contract at its edges, where stores differ by nature and the library makes
 * them agree: a file moved onto a directory or below a file, the parent a deleted directory
 * leaves, options of the wrong type, and `//` for the root. Run over every store Node
 * reaches (test/fs/contract.test.ts) beside filesystem-checks.ts. No Node imports.
 */
import type { FileSystem, FileType } from '../../src/fs/file-system.js';
import { outcome, type Outcome } from './filesystem-checks.js';

/** What {@link edgeChecks} saw. */
export interface EdgeCheckResults {
  /** `move(file, directory)`: refused, the directory and its child and the file left as they were. */
  moveOntoDirectory: { outcome: Outcome; target: FileType; child: FileType; source: FileType };
  /** `move(file, file/below)`: refused. */
  moveBelowFile: { outcome: Outcome; source: FileType };
  /** `openOutputStream(directory)`: refused at open, the directory and its child left as they were. */
  writeOntoDirectory: { outcome: Outcome; target: FileType; child: FileType };
  /** `deleteDir(a/b)` where `a` held only `b`: `a` is still a directory. */
  parentAfterDeleteDir: FileType;
  /** `listDir(dir, { recursive: 'no' })` and `createDir(dir, { recursive: 0 })`. */
  badOptions: { listDir: string; createDir: string };
}

/** Runs the edge checks inside `base`, an existing, empty directory of `fs`. */
export async function edgeChecks(fs: FileSystem, base: string): Promise<EdgeCheckResults> {
  const at = (rel: string): string => `${base}/${rel}`;
  const write = async (path: string) => {
    const out = await fs.openOutputStream(path);
    await out.write(Uint8Array.of(1, 2, 3));
    await out.close();
  };
  const type = async (path: string) => (await fs.getFileInfo(path)).type;
  const thrown = async (call: () => Promise<unknown>) => {
    const result = await outcome(call);
    return result === 'resolved' ? result : result.name;
  };

  await fs.createDir(at('edge/dir'));
  await write(at('edge/dir/child.bin'));
  await write(at('edge/file.bin'));
  await write(at('edge/other.bin'));
  const ontoDirectory = await outcome(() => fs.move(at('edge/file.bin'), at('edge/dir')));
  const moveOntoDirectory = {
    outcome: ontoDirectory,
    target: await type(at('edge/dir')),
    child: await type(at('edge/dir/child.bin')),
    source: await type(at('edge/file.bin')),
  };
  const writeOntoDirectory = {
    outcome: await outcome(async () => {
      // Refused at open, not at the first flush or close: nothing is written over a tree.
      const out = await fs.openOutputStream(at('edge/dir'));
      await out.abort();
    }),
    target: await type(at('edge/dir')),
    child: await type(at('edge/dir/child.bin')),
  };
  const belowFile = await outcome(() => fs.move(at('edge/file.bin'), at('edge/other.bin/below.bin')));
  const moveBelowFile = { outcome: belowFile, source: await type(at('edge/file.bin')) };

  await fs.createDir(at('edge/a/b'));
  await write(at('edge/a/b/f.bin'));
  await fs.deleteDir(at('edge/a/b'));
  const parentAfterDeleteDir = await type(at('edge/a'));

  const badOptions = {
    listDir: await thrown(() => fs.listDir(at('edge'), { recursive: 'no' as unknown as boolean })),
    createDir: await thrown(() => fs.createDir(at('edge/new'), { recursive: 0 as unknown as boolean })),
  };
  await fs.deleteDir(at('edge'));
  return { moveOntoDirectory, moveBelowFile, writeOntoDirectory, parentAfterDeleteDir, badOptions };
}

/** What every filesystem should report. */
export const EXPECTED_EDGES: EdgeCheckResults = {
  moveOntoDirectory: { outcome: { name: 'IOError', code: 'EISDIR' }, target: 'directory', child: 'file', source: 'file' },
  moveBelowFile: { outcome: { name: 'IOError', code: 'ENOTDIR' }, source: 'file' },
  writeOntoDirectory: { outcome: { name: 'IOError', code: 'EISDIR' }, target: 'directory', child: 'file' },
  parentAfterDeleteDir: 'directory',
  badOptions: { listDir: 'TypeError', createDir: 'TypeError' },
};
