/**
 * The filesystem contract: one list of behaviour checks, written from pyarrow's `test_fs.py`,
 * that every FileSystem runs (local, S3 on Ceph, Azure on Azurite, WebHDFS in Node:
 * test/fs/contract.test.ts; OPFS in pages and workers: test/opfs-fs/). The same calls, one
 * record of what happened, compared with one expectation, which differs only where a store
 * cannot do what pyarrow promises and says so with a documented error ({@link StoreTraits}).
 * No Node imports: this file also runs in the page.
 */
import type { FileSystem, FileType } from '../../src/fs/file-system.js';

/** What a failed call threw (or `'resolved'` when it did not fail). */
export type Outcome = { name: string; code: string } | 'resolved';

/** Runs `call` and reports how it failed. */
export async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    await call();
    return 'resolved';
  } catch (error) {
    const { name, code } = error as { name: string; code: string };
    return { name, code };
  }
}

/** What {@link fileSystemChecks} saw, paths relative to the base directory. */
export interface FileSystemCheckResults {
  createdTree: FileType;
  createWithoutParent: Outcome;
  createExisting: Outcome;
  createOverFile: Outcome;
  written: { type: FileType; size: number | undefined; hasMtime: boolean };
  append: Outcome;
  appendedSize: number | undefined;
  resumableRefused: Outcome | 'not asked';
  replacedSize: number | undefined;
  readAt: number[];
  streamed: number[];
  dirInfo: { type: FileType; hasSize: boolean };
  missingInfo: FileType;
  listing: string[];
  recursiveListing: string[];
  listMissing: Outcome;
  listFile: Outcome;
  openMissing: Outcome;
  openDirectory: Outcome;
  deleteMissingFile: Outcome;
  deleteFileOnDirectory: Outcome;
  deleteDirOnFile: Outcome;
  deleteMissingDir: Outcome;
  moveMissing: Outcome;
  movedFile: { from: FileType; to: FileType; size: number | undefined };
  movedOntoExisting: { outcome: Outcome; size: number | undefined; from: FileType };
  contentsOfFile: Outcome;
  contentsOfMissing: Outcome;
  contentsOfMissingOk: Outcome;
  contentsDeleted: { dir: FileType; listing: string[] };
  movedDirectory: Outcome | { from: FileType; child: FileType };
  afterDeleteFile: FileType;
  afterDeleteDir: FileType;
}

const bytes = (from: number, count: number): Uint8Array => Uint8Array.from({ length: count }, (_, i) => from + i);

/**
 * Runs every check against `fs` inside `base` (an existing, empty directory; paths are
 * joined with `/`, which both POSIX paths and OPFS take).
 */
export async function fileSystemChecks(fs: FileSystem, base: string): Promise<FileSystemCheckResults> {
  const at = (rel: string): string => `${base}/${rel}`;
  const relative = (path: string): string => path.slice(base.length + 1);
  const names = (infos: readonly { path: string; type: FileType }[]): string[] =>
    infos.map((i) => `${relative(i.path)}:${i.type}`).sort();

  await fs.createDir(at('tree/sub/deep'));
  const createdTree = (await fs.getFileInfo(at('tree/sub/deep'))).type;
  const createWithoutParent = await outcome(() => fs.createDir(at('none/child'), { recursive: false }));
  const createExisting = await outcome(() => fs.createDir(at('tree'), { recursive: false }));

  const out = await fs.openOutputStream(at('tree/a.bin'));
  await out.write(bytes(0, 10));
  await out.close();
  const info = await fs.getFileInfo(at('tree/a.bin'));
  const written = {
    type: info.type,
    size: info.size,
    hasMtime: info.mtime instanceof Date && !Number.isNaN(info.mtime.getTime()),
  };
  const createOverFile = await outcome(() => fs.createDir(at('tree/a.bin')));

  // Appending, to a file of its own (stores that cannot append refuse it).
  const log = await fs.openOutputStream(at('tree/log.bin'));
  await log.write(bytes(0, 10));
  await log.close();
  const append = await outcome(async () => {
    const stream = await fs.openAppendStream(at('tree/log.bin'));
    await stream.write(bytes(10, 5));
    await stream.close();
  });
  const appendedSize = (await fs.getFileInfo(at('tree/log.bin'))).size;
  await fs.deleteFile(at('tree/log.bin'));
  const resumableRefused: Outcome | 'not asked' =
    'resumeOutputStream' in fs
      ? 'not asked'
      : await outcome(() => fs.openOutputStream(at('tree/never.bin'), { resumable: true }));

  const more = await fs.openOutputStream(at('tree/a.bin'));
  await more.write(bytes(0, 15));
  await more.close();
  const input = await fs.openInputFile(at('tree/a.bin'));
  const readAt = Array.from(await input.readAt(3, 4));
  await input.close();
  const stream = await fs.openInputStream(at('tree/a.bin'));
  const streamed = Array.from(await stream.read());
  await stream.close();

  const other = await fs.openOutputStream(at('tree/sub/b.bin'));
  await other.write(bytes(0, 20));
  await other.close();
  const replace = await fs.openOutputStream(at('tree/sub/b.bin'));
  await replace.write(bytes(0, 3));
  await replace.close();
  const replacedSize = (await fs.getFileInfo(at('tree/sub/b.bin'))).size;

  const dir = await fs.getFileInfo(at('tree/sub'));
  const dirInfo = { type: dir.type, hasSize: dir.size !== undefined };
  const missingInfo = (await fs.getFileInfo(at('tree/missing.bin'))).type;
  const listing = names(await fs.listDir(at('tree')));
  const recursiveListing = names(await fs.listDir(at('tree'), { recursive: true }));

  const results = {
    createdTree,
    createWithoutParent,
    createExisting,
    createOverFile,
    written,
    append,
    appendedSize,
    resumableRefused,
    replacedSize,
    readAt,
    streamed,
    dirInfo,
    missingInfo,
    listing,
    recursiveListing,
    listMissing: await outcome(() => fs.listDir(at('nowhere'))),
    listFile: await outcome(() => fs.listDir(at('tree/a.bin'))),
    openMissing: await outcome(() => fs.openInputFile(at('tree/missing.bin'))),
    openDirectory: await outcome(() => fs.openInputFile(at('tree/sub'))),
    deleteMissingFile: await outcome(() => fs.deleteFile(at('tree/missing.bin'))),
    deleteFileOnDirectory: await outcome(() => fs.deleteFile(at('tree/sub'))),
    deleteDirOnFile: await outcome(() => fs.deleteDir(at('tree/a.bin'))),
    deleteMissingDir: await outcome(() => fs.deleteDir(at('nowhere'))),
    moveMissing: await outcome(() => fs.move(at('tree/missing.bin'), at('tree/z.bin'))),
  };

  await fs.move(at('tree/a.bin'), at('tree/moved.bin'));
  const movedFile = {
    from: (await fs.getFileInfo(at('tree/a.bin'))).type,
    to: (await fs.getFileInfo(at('tree/moved.bin'))).type,
    size: (await fs.getFileInfo(at('tree/moved.bin'))).size,
  };
  const moveDir = await outcome(() => fs.move(at('tree/sub'), at('tree/sub2')));
  const movedDirectory =
    moveDir !== 'resolved'
      ? moveDir
      : {
          from: (await fs.getFileInfo(at('tree/sub'))).type,
          child: (await fs.getFileInfo(at('tree/sub2/b.bin'))).type,
        };

  // Onto an existing file: replaced, as rename(2) and pyarrow do.
  const small = await fs.openOutputStream(at('tree/small.bin'));
  await small.write(bytes(0, 2));
  await small.close();
  const ontoOutcome = await outcome(() => fs.move(at('tree/small.bin'), at('tree/moved.bin')));
  const movedOntoExisting = {
    outcome: ontoOutcome,
    size: (await fs.getFileInfo(at('tree/moved.bin'))).size,
    from: (await fs.getFileInfo(at('tree/small.bin'))).type,
  };

  // deleteDirContents: what is below goes, the directory stays.
  const holder = at('holder');
  await fs.createDir(`${holder}/inner`);
  const x = await fs.openOutputStream(`${holder}/inner/x.bin`);
  await x.write(bytes(0, 3));
  await x.close();
  const y = await fs.openOutputStream(`${holder}/y.bin`);
  await y.write(bytes(0, 3));
  await y.close();
  const contentsOfFile = await outcome(() => fs.deleteDirContents(`${holder}/y.bin`));
  const contentsOfMissing = await outcome(() => fs.deleteDirContents(at('nowhere')));
  const contentsOfMissingOk = await outcome(() => fs.deleteDirContents(at('nowhere'), { missingDirOk: true }));
  await fs.deleteDirContents(holder);
  const contentsDeleted = { dir: (await fs.getFileInfo(holder)).type, listing: names(await fs.listDir(holder)) };
  await fs.deleteDir(holder);

  await fs.deleteFile(at('tree/moved.bin'));
  const afterDeleteFile = (await fs.getFileInfo(at('tree/moved.bin'))).type;
  await fs.deleteDir(at('tree'));
  const afterDeleteDir = (await fs.getFileInfo(at('tree'))).type;
  return {
    ...results,
    movedFile,
    movedDirectory,
    movedOntoExisting,
    contentsOfFile,
    contentsOfMissing,
    contentsOfMissingOk,
    contentsDeleted,
    afterDeleteFile,
    afterDeleteDir,
  };
}

const notFound = { name: 'FileNotFoundError', code: 'ENOENT' };
const unsupported = { name: 'UnsupportedOperationError', code: 'EUNSUPPORTED' };

/** What a store cannot do of what pyarrow promises (the README's table of stores says the same). */
export interface StoreTraits {
  /** `move` takes directories (S3 and Azure's flat namespaces and OPFS cannot: UnsupportedOperationError). */
  readonly movesDirectories: boolean;
  /** `openAppendStream` works (S3 objects cannot be appended to: UnsupportedOperationError). */
  readonly appends: boolean;
  /** `openOutputStream(path, { resumable: true })` works (S3, Azure); elsewhere UnsupportedOperationError. */
  readonly resumable: boolean;
}

/** What every filesystem should report, given what its store cannot do. */
export function expectedChecks({ movesDirectories, appends, resumable }: StoreTraits): FileSystemCheckResults {
  return {
    createdTree: 'directory',
    createWithoutParent: notFound,
    createExisting: 'resolved',
    createOverFile: { name: 'IOError', code: 'EEXIST' },
    written: { type: 'file', size: 10, hasMtime: true },
    append: appends ? 'resolved' : unsupported,
    appendedSize: appends ? 15 : 10,
    resumableRefused: resumable ? 'not asked' : unsupported,
    replacedSize: 3,
    readAt: [3, 4, 5, 6],
    streamed: Array.from(bytes(0, 15)),
    dirInfo: { type: 'directory', hasSize: false },
    missingInfo: 'not-found',
    listing: ['tree/a.bin:file', 'tree/sub:directory'],
    recursiveListing: ['tree/a.bin:file', 'tree/sub/b.bin:file', 'tree/sub/deep:directory', 'tree/sub:directory'],
    listMissing: notFound,
    listFile: { name: 'IOError', code: 'ENOTDIR' },
    openMissing: notFound,
    openDirectory: { name: 'IOError', code: 'EISDIR' },
    deleteMissingFile: notFound,
    deleteFileOnDirectory: { name: 'IOError', code: 'EISDIR' },
    deleteDirOnFile: { name: 'IOError', code: 'ENOTDIR' },
    deleteMissingDir: notFound,
    moveMissing: notFound,
    movedFile: { from: 'not-found', to: 'file', size: 15 },
    movedDirectory: movesDirectories ? { from: 'not-found', child: 'file' } : unsupported,
    movedOntoExisting: { outcome: 'resolved', size: 2, from: 'not-found' },
    contentsOfFile: { name: 'IOError', code: 'ENOTDIR' },
    contentsOfMissing: notFound,
    contentsOfMissingOk: 'resolved',
    contentsDeleted: { dir: 'directory', listing: [] },
    afterDeleteFile: 'not-found',
    afterDeleteDir: 'not-found',
  };
}

/** What each store can do of what pyarrow promises. */
export const STORE_TRAITS = {
  local: { movesDirectories: true, appends: true, resumable: false },
  opfs: { movesDirectories: false, appends: true, resumable: false },
  s3: { movesDirectories: false, appends: false, resumable: true },
  azure: { movesDirectories: false, appends: true, resumable: true },
  hdfs: { movesDirectories: true, appends: true, resumable: false },
} as const satisfies Record<string, StoreTraits>;
