// AzureFileSystem checks run in the page against Azurite on another origin, through a SAS
// token or a signer that asks the test's signing server (no key in the page). The Node side
// puts the fixtures there and checks what is left on the server afterwards.
import { AzureFileSystem, resumableUpload, type AzureFile, type RequestSigner } from '../../src/index.js';
import { errorData, isPattern, MiB, pattern, type ErrorData } from './pattern.js';

const ACCOUNT = 'devstoreaccount1';

/** A filesystem on `endpoint` through `sasToken`, with 1 MiB blocks so uploads have several. */
const withSas = (endpoint: string, sasToken: string): AzureFileSystem =>
  new AzureFileSystem({ accountName: ACCOUNT, endpoint, sasToken, blockSize: MiB, readAhead: 0 });

/** A filesystem whose requests the signing server at `signUrl` signs. */
function withSigner(endpoint: string, signUrl: string): AzureFileSystem {
  const signer: RequestSigner = async (request) => {
    const answer = await fetch(signUrl, { method: 'POST', body: JSON.stringify(request) });
    return (await answer.json()) as Awaited<ReturnType<RequestSigner>>;
  };
  return new AzureFileSystem({ accountName: ACCOUNT, endpoint, signer, blockSize: MiB, readAhead: 0 });
}

/** Ranged reads through openInputFile, getFileInfo and listDir of what the Node side put there. */
export async function azureRead(endpoint: string, sasToken: string, path: string, dir: string) {
  const fs = withSas(endpoint, sasToken);
  const file = await fs.openInputFile(path);
  try {
    const size = await file.size();
    const at = await file.readAt(2 * MiB + 5, 70_000);
    const parts = await file.readRanges([
      { offset: 100, length: 10 },
      { offset: 3 * MiB, length: 20 },
    ]);
    const info = await fs.getFileInfo(path);
    return {
      size,
      readAtOk: isPattern(at, 2 * MiB + 5) && at.byteLength === 70_000,
      rangesOk: isPattern(parts[0]!, 100) && isPattern(parts[1]!, 3 * MiB),
      info: { type: info.type, size: info.size, hasMtime: info.mtime instanceof Date },
      listing: (await fs.listDir(dir)).map((entry) => `${entry.path}:${entry.type}`).sort(),
      missing: (await fs.getFileInfo(`${dir}/missing.bin`)).type,
      directory: (await fs.getFileInfo(dir)).type,
    };
  } finally {
    await file.close();
  }
}

/** Writes `mib` MiB of the pattern in 1 MiB writes (and a few bytes): visible only after close. */
async function writePattern(fs: AzureFileSystem, path: string, mib: number) {
  const out = await fs.openOutputStream(path);
  for (let i = 0; i < mib; i++) await out.write(pattern(i * MiB, MiB));
  await out.write(pattern(mib * MiB, 5));
  await out.flush();
  const beforeClose = (await fs.getFileInfo(path)).type;
  await out.close();
  const after = await fs.getFileInfo(path);
  const file = await fs.openInputFile(path);
  try {
    const tail = await file.readAt(mib * MiB - 1000, 1005);
    return { beforeClose, afterClose: after.type, size: after.size, tailOk: isPattern(tail, mib * MiB - 1000) };
  } finally {
    await file.close();
  }
}

/** An upload through the SAS token. */
export const azureWrite = (endpoint: string, sasToken: string, path: string, mib: number) =>
  writePattern(withSas(endpoint, sasToken), path, mib);

/** The same upload, and a move and a listing, signed by the signing server. */
export async function azureSigned(endpoint: string, signUrl: string, path: string, movedPath: string, mib: number) {
  const fs = withSigner(endpoint, signUrl);
  const written = await writePattern(fs, path, mib);
  await fs.move(path, movedPath);
  const dir = movedPath.slice(0, movedPath.lastIndexOf('/'));
  return { written, listing: (await fs.listDir(dir)).map((entry) => entry.path) };
}

/** Writes more than a block, then aborts: nothing is left under `path`. */
export async function azureAbort(endpoint: string, sasToken: string, path: string) {
  const fs = withSas(endpoint, sasToken);
  const out = await fs.openOutputStream(path);
  for (let i = 0; i < 3; i++) await out.write(pattern(i * MiB, MiB));
  await out.flush();
  await out.abort();
  return { after: (await fs.getFileInfo(path)).type, closed: out.closed };
}

let held: AzureFile | undefined;

/** Opens `path` and keeps it open for {@link azureReadHeld}. */
export async function azureOpenHeld(endpoint: string, sasToken: string, path: string) {
  await held?.close();
  held = await withSas(endpoint, sasToken).openInputFile(path);
  return { size: await held.size() };
}

/** Reads the held file at `offset`: the bytes' check, or the error. */
export async function azureReadHeld(offset: number, length: number): Promise<{ ok: boolean } | { error: ErrorData }> {
  try {
    return { ok: isPattern(await held!.readAt(offset, length), offset) };
  } catch (error) {
    return { error: errorData(error) };
  } finally {
    await held?.close();
    held = undefined;
  }
}

/** What a request with a refused SAS fails with, and whether the message shows `secret`. */
export async function azureRefused(endpoint: string, sasToken: string, path: string, secret: string) {
  const fs = withSas(endpoint, sasToken);
  try {
    await fs.getFileInfo(path);
    return undefined;
  } catch (error) {
    const data = errorData(error);
    return { ...data, showsSecret: `${data.message}${String(error)}`.includes(secret) };
  }
}

/**
 * resumableUpload of a File through the SAS token, stopped by its signal once 2 MiB are
 * durable, then called again with the same File: it resumes from the token kept in OPFS.
 */
export async function azureResumable(endpoint: string, sasToken: string, path: string, size: number) {
  const fs = withSas(endpoint, sasToken);
  const file = new File([pattern(0, size)], 'resumable.bin', { lastModified: 1_700_000_000_000 });
  const store = `.nativefile/test-uploads/${path.replace(/[^\w.-]/g, '-')}`;
  const controller = new AbortController();
  const first: number[] = [];
  let stopped: string | undefined;
  try {
    await resumableUpload(fs, path, file, {
      store,
      signal: controller.signal,
      onProgress: (bytes) => {
        first.push(bytes);
        if (bytes >= 2 * MiB) controller.abort(new Error('stop here'));
      },
    });
  } catch (error) {
    stopped = errorData(error).message;
  }
  const progress: number[] = [];
  const result = await resumableUpload(fs, path, file, { store, onProgress: (bytes) => progress.push(bytes) });
  return {
    stopped,
    stoppedAt: Math.max(...first),
    resumedFrom: result.resumedFrom,
    size: result.size,
    firstProgress: progress[0],
    lastProgress: progress.at(-1),
    monotonic: progress.every((bytes, i) => i === 0 || bytes >= progress[i - 1]!),
  };
}
