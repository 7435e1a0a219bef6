// Uploads from a page without secrets: resumableUpload of a File across a page closed mid-way
// (the token kept in OPFS), S3 through a signer function, and presigned GET URLs read with
// HttpFile. The page has no S3 keys here: requests are signed by the test's signing server.
import { HttpFile, resumableUpload, S3FileSystem, type ResumableUploadResult } from '../../src/index.js';
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
