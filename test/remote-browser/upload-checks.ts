// Uploads from a page without secrets: resumableUpload of a File across a page closed mid-way
// (the token kept in OPFS), S3 through a signer function, and presigned GET URLs read with
// HttpFile. The page has no S3 keys here: requests are signed by the test's signing server.
import {
  copyFiles,
  HttpFile,
  OpfsFileSystem,
  resumableUpload,
  S3FileSystem,
  type ResumableUploadResult,
} from '../../src/index.js';
import { errorData, isPattern, MiB, pattern, type ErrorData } from './pattern.js';

/** The page's idea of the app server that signs for it. */
const signedS3 = (endpoint: string, signUrl: string): S3FileSystem =>
  new S3FileSystem({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    partSize: 5 * MiB,
    uploadConcurrency: 2,
    signer: async (request) => {
      const answer = await fetch(signUrl, { method: 'POST', body: JSON.stringify(request) });
      if (!answer.ok) throw new Error(`the signing server said ${answer.status}`);
      return answer.json();
    },
  });

/** The File a user picks: the same bytes, name and date in every page. */
const picked = (size: number): File => new File([pattern(0, size)], 'holiday.mp4', { lastModified: 1_700_000_000_000 });

interface UploadState {
  durable: number[];
  result?: ResumableUploadResult;
  error?: ErrorData;
}
const state = globalThis as unknown as { upload?: UploadState };

/** Starts resumableUpload of the picked file (not awaited: the test watches `uploadState()`). */
export function startResumableUpload(endpoint: string, signUrl: string, path: string, size: number): void {
  const upload: UploadState = { durable: [] };
  state.upload = upload;
  resumableUpload(signedS3(endpoint, signUrl), path, picked(size), { onProgress: (bytes) => upload.durable.push(bytes) }).then(
    (result) => (upload.result = result),
    (error: unknown) => (upload.error = errorData(error)),
  );
}

/** How the upload started by {@link startResumableUpload} is going. */
export function uploadState(): UploadState | undefined {
  return state.upload;
}

/** What OPFS keeps of uploads in progress (the token files). */
export async function storedUploads(): Promise<string[]> {
  try {
    const root = await navigator.storage.getDirectory();
    const dir = await (await root.getDirectoryHandle('.nativefile')).getDirectoryHandle('uploads');
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  } catch {
    return [];
  }
}

/** Uploads, lists and reads through the signer: the page holds no key. */
export async function signerRoundTrip(endpoint: string, signUrl: string, dir: string) {
  const fs = signedS3(endpoint, signUrl);
  const out = await fs.openOutputStream(`${dir}/signed.bin`);
  for (let i = 0; i < 11; i++) await out.write(pattern(i * MiB, MiB));
  await out.close();
  const listing = (await fs.listDir(dir)).map((info) => `${info.path}:${info.size ?? ''}`);
  const file = await fs.openInputFile(`${dir}/signed.bin`);
  try {
    const middle = await file.readAt(5 * MiB - 7, 100);
    return { listing, middleOk: isPattern(middle, 5 * MiB - 7) };
  } finally {
    await file.close();
  }
}

/** Reads a presigned GET URL (which refuses HEAD) with HttpFile; or what went wrong. */
export async function readPresigned(url: string, offset: number) {
  try {
    const file = await HttpFile.open(url, { readAhead: 0 });
    try {
      return { size: await file.size(), ok: isPattern(await file.readAt(offset, 1000), offset), named: file.url };
    } finally {
      await file.close();
    }
  } catch (error) {
    return { error: errorData(error) };
  }
}

/** The tree the copy check writes into OPFS: path and size of each file (pattern bytes from 0). */
export const COPY_TREE: ReadonlyArray<readonly [string, number]> = [
  ['empty.bin', 0],
  ['small.txt', 17],
  ['sub/one.bin', 1 * MiB + 3],
  ['sub/deeper/six.bin', 6 * MiB + 1],
];

/**
 * Offline capture, upload later, and back: a tree written into OPFS is copied to S3 with
 * copyFiles (through the signer), then copied from S3 into another OPFS folder, and read back.
 */
export async function copyTreeThroughS3(endpoint: string, signUrl: string, prefix: string) {
  const opfs = new OpfsFileSystem();
  const s3 = signedS3(endpoint, signUrl);
  await opfs.deleteDir('copy-src').catch(() => {});
  await opfs.deleteDir('copy-back').catch(() => {});
  for (const [path, size] of COPY_TREE) {
    await opfs.createDir(`copy-src/${path}`.split('/').slice(0, -1).join('/'));
    const out = await opfs.openOutputStream(`copy-src/${path}`);
    await out.write(pattern(0, size));
    await out.close();
  }
  await opfs.createDir('copy-src/empty-dir');
  const progress: number[] = [];
  const up = await copyFiles(opfs, 'copy-src', s3, prefix, { onProgress: (copied) => progress.push(copied) });
  const down = await copyFiles(s3, prefix, opfs, 'copy-back');
  const back: Record<string, boolean> = {};
  for (const [path, size] of COPY_TREE) {
    const file = await opfs.openInputFile(`copy-back/${path}`);
    const bytes = await file.read();
    await file.close();
    back[path] = bytes.byteLength === size && isPattern(bytes, 0);
  }
  const emptyDir = (await opfs.getFileInfo('copy-back/empty-dir')).type;
  await opfs.deleteDir('copy-src');
  await opfs.deleteDir('copy-back');
  return { up, down, back, emptyDir, lastProgress: progress.at(-1) };
}
