// S3FileSystem checks run in the page against Ceph's S3 gateway on another origin (the Node side has
// put the pattern at data/dir/pattern.bin and checks what is left on the server afterwards).
import { MIN_PART_SIZE, OpfsFile, S3FileSystem } from '../../src/index.js';
import { S3_TEST_CREDENTIALS } from '../servers/s3-credentials.js';
import { errorData, isPattern, MiB, pattern, type ErrorData } from './pattern.js';

const credentials = S3_TEST_CREDENTIALS;

/** A filesystem on `endpoint`, with the smallest part S3 allows so uploads have several parts. */
const s3 = (endpoint: string): S3FileSystem =>
  new S3FileSystem({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, partSize: MIN_PART_SIZE, readAhead: 0 });

/** Ranged reads through openInputFile, getFileInfo and listDir of what the Node side put there. */
export async function s3Read(endpoint: string, path: string, dir: string) {
  const fs = s3(endpoint);
  const file = await fs.openInputFile(path);
  try {
    const size = await file.size();
    const at = await file.readAt(2 * MiB + 5, 70_000);
    const parts = await file.readRanges([
      { offset: 100, length: 10 },
      { offset: 3 * MiB, length: 20 },
    ]);
    const info = await fs.getFileInfo(path);
    const listing = await fs.listDir(dir);
    return {
      size,
      readAtOk: isPattern(at, 2 * MiB + 5) && at.byteLength === 70_000,
      rangesOk: isPattern(parts[0]!, 100) && isPattern(parts[1]!, 3 * MiB),
      info: { type: info.type, size: info.size, hasMtime: info.mtime instanceof Date },
      listing: listing.map((entry) => `${entry.path}:${entry.type}`).sort(),
      missing: (await fs.getFileInfo(`${dir}/missing.bin`)).type,
    };
  } finally {
    await file.close();
  }
}

/** Writes `mib` MiB of the pattern in 1 MiB writes: the object is visible only after close. */
export async function s3Multipart(endpoint: string, path: string, mib: number) {
  const fs = s3(endpoint);
  const out = await fs.openOutputStream(path);
  for (let i = 0; i < mib; i++) await out.write(pattern(i * MiB, MiB));
  await out.flush();
  const beforeClose = (await fs.getFileInfo(path)).type;
  await out.close();
  const after = await fs.getFileInfo(path);
  const file = await fs.openInputFile(path);
  try {
    const tail = await file.readAt(mib * MiB - 1000, 1000);
    return { beforeClose, afterClose: after.type, size: after.size, tailOk: isPattern(tail, mib * MiB - 1000) };
  } finally {
    await file.close();
  }
}

/** Writes more than a part, then aborts: nothing is left under `path`. */
export async function s3Abort(endpoint: string, path: string) {
  const fs = s3(endpoint);
  const out = await fs.openOutputStream(path);
  for (let i = 0; i < 7; i++) await out.write(pattern(i * MiB, MiB));
  await out.abort();
  return { after: (await fs.getFileInfo(path)).type, closed: out.closed };
}

/** Writes `mib` MiB of the pattern to an OPFS file from the page and opens it for reading. */
async function opfsPattern(name: string, mib: number) {
  const writer = await OpfsFile.open(name, 'wb');
  for (let i = 0; i < mib; i++) await writer.write(pattern(i * MiB, MiB));
  await writer.close();
  return OpfsFile.open(name, 'rb');
}

/** Uploads an OPFS file to S3 with progress; then a second upload aborted half-way. */
export async function opfsUpload(endpoint: string, path: string, abortedPath: string, mib: number) {
  const fs = s3(endpoint);
  const source = await opfsPattern('remote-browser-upload.bin', mib);
  const progress: Array<[number, number | undefined]> = [];
  let aborted: { sameReason: boolean; error: ErrorData; progressAtAbort: number; after: string } | undefined;
  try {
    const out = await fs.openOutputStream(path);
    const copied = await out.upload(source, { onProgress: (done, total) => progress.push([done, total]) });
    await out.close();
    const info = await fs.getFileInfo(path);
    const file = await fs.openInputFile(path);
    const middle = await file.readAt(Math.floor(mib / 2) * MiB - 3, 10);
    await file.close();

    // The second upload: the signal stops the copy; the caller then aborts the stream.
    source.seek(0);
    const controller = new AbortController();
    const reason = new DOMException('the user cancelled', 'AbortError');
    let progressAtAbort = 0;
    const second = await fs.openOutputStream(abortedPath);
    try {
      await second.upload(source, {
        signal: controller.signal,
        onProgress: (done) => {
          if (done >= (mib / 2) * MiB && !controller.signal.aborted) {
            progressAtAbort = done;
            controller.abort(reason);
          }
        },
      });
      await second.close();
    } catch (error) {
      await second.abort();
      aborted = {
        sameReason: error === reason,
        error: errorData(error),
        progressAtAbort,
        after: (await fs.getFileInfo(abortedPath)).type,
      };
    }
    return { copied, progress, size: info.size, middleOk: isPattern(middle, Math.floor(mib / 2) * MiB - 3), aborted };
  } finally {
    await source.close();
    await (await navigator.storage.getDirectory()).removeEntry('remote-browser-upload.bin').catch(() => {});
  }
}

/** createDir, move and deleteDir from the page (CopyObject sends x-amz-copy-source). */
export async function s3Manage(endpoint: string, dir: string) {
  const fs = s3(endpoint);
  await fs.createDir(`${dir}/empty`);
  const out = await fs.openOutputStream(`${dir}/a.txt`);
  await out.write(new TextEncoder().encode('moved'));
  await out.close();
  await fs.move(`${dir}/a.txt`, `${dir}/b.txt`);
  const listed = (await fs.listDir(dir)).map((entry) => `${entry.path}:${entry.type}`).sort();
  await fs.deleteDir(dir);
  return { listed, after: (await fs.getFileInfo(dir)).type };
}

/** What opening a missing object fails with. */
export async function s3OpenMissing(endpoint: string, path: string): Promise<ErrorData | undefined> {
  try {
    await (await s3(endpoint).openInputFile(path)).close();
    return undefined;
  } catch (error) {
    return errorData(error);
  }
}
