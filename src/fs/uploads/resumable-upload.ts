/**
 * {@link resumableUpload}: an upload of a `Blob`/`File` or a random-access file that survives
 * a reload or a crash. Its resume token is kept in a folder (OPFS in browsers, the disk in
 * Node: `nativefile/node` exports the same function with that default), keyed by the store
 * (kind, endpoint, account), the path and the source's fingerprint, so calling it again with
 * the same source resumes, sending only the parts the store does not hold, once they are
 * checked against the source (`source-check.ts`). One call at a time works on a key: a
 * second waits for the first (the store's lock). Memory stays at about the store's
 * `(uploadConcurrency + 1) × partSize` plus one chunk read.
 * @module
 */
import { IOError } from '../../errors.js';
import { checkPositiveSize, describe } from '../../util/validate.js';
import type { FileSystem, ResumableFileSystem, UploadCheckpoint } from '../file-system.js';
import { checkPath } from '../paths.js';
import { fingerprintOf, readSource, sha256Hex, sourceSize, type ResumableUploadSource, type SourceStamp } from './fingerprint.js';
import { codeOf, openUpload, saveFirst, unlessAborted } from './resumable-open.js';
import { STORE_IDENTITY } from './resume-hooks.js';
import { sourceCheck } from './source-check.js';
import { inProcessLock, LatestSaver, type UploadRecord, type UploadStore } from './upload-store.js';

/** Options of {@link resumableUpload}. */
export interface ResumableUploadOptions {
  /** Told the bytes durable (those sent before a resume included), monotonic, ending at the size. */
  onProgress?: (bytesDurable: number, size: number) => void;
  /**
   * Stops the upload: parts in flight are cancelled, the upload stays on the store and its
   * token in `store`, so a later call resumes it; the call rejects with the signal's reason.
   * Aborted before the upload has opened, the call rejects at once and a new upload the
   * store opens after that is discarded, not kept (it has no durable parts to resume).
   */
  signal?: AbortSignal;
  /** The folder that keeps the tokens: an OPFS path in browsers (default `.nativefile/uploads`), a path in Node (default a folder under `os.tmpdir()`); not `''`. */
  store?: string;
  /** Bytes read from the source at once. Default 4 MiB. */
  chunkSize?: number;
}

/** What {@link resumableUpload} did. */
export interface ResumableUploadResult {
  /** The path uploaded to. */
  readonly path: string;
  /** The bytes of the object. */
  readonly size: number;
  /** Where this call started: 0 for a new upload, else the bytes the store already held. */
  readonly resumedFrom: number;
}

/** Where tokens are kept: in OPFS (pages) or on disk (Node), in the folder given or the default one. */
export interface UploadStoreKind {
  /** The records in folder `dir`. */
  open(dir: string): UploadStore;
  /** The folder when the caller names none. */
  readonly defaultDir: string;
  /** What the platform tells of a source besides its bytes (Node: an `OSFile`'s modification time and inode). */
  stampOf?(source: ResumableUploadSource): Promise<SourceStamp>;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;

function isResumable(fs: FileSystem): fs is ResumableFileSystem {
  return typeof (fs as Partial<ResumableFileSystem>).resumeOutputStream === 'function';
}

/** The folder `options.store` names. @throws TypeError for one that is not a path (`''` included). */
function storeDir(store: unknown): string {
  if (store === '') throw new TypeError(`options.store must name a folder, got ''`);
  return checkPath(store, 'options.store');
}

/**
 * The error of a call that failed or was aborted (`error`) when the latest token could not be
 * saved (`saveFailure`): `error` stays the cause and its message comes first; the record kept
 * is an older one, so a later call resumes from an earlier point, or starts over.
 */
function unsaved(error: unknown, saveFailure: Error | undefined, dir: string): unknown {
  if (saveFailure === undefined) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return Object.assign(
    new IOError(
      `${reason} (and the upload's latest resume token could not be saved in ${dir}: ${saveFailure.message}; a later call resumes from an earlier point, or starts over)`,
      { code: codeOf(error), cause: error },
    ),
    { suppressed: saveFailure },
  );
}

/**
 * Uploads `source` to `path` of `fs` (a store with resumable uploads: `S3FileSystem`, `AzureFileSystem`) so that
 * it survives a reload or a crash: called again with the same source (same name, size,
 * modification time and sampled bytes) after an interruption, it resumes where the store's
 * durable parts end, keeping only those that hold the source's bytes. The token is
 * forgotten once the upload completes.
 * @throws TypeError for a source, filesystem or `store` of the wrong kind; IOError when the
 * first token cannot be saved (the upload is then not kept); a failed or aborted call whose
 * latest token could not be saved rejects with an IOError whose `cause` is the failure (or the
 * abort's reason) and `suppressed` the save's error; the store's errors.
 */
export async function uploadResumably(
  fs: FileSystem,
  path: string,
  source: ResumableUploadSource,
  options: ResumableUploadOptions,
  stores: UploadStoreKind,
): Promise<ResumableUploadResult> {
  if (!isResumable(fs))
    throw new TypeError(`fs must be a filesystem with resumable uploads (S3FileSystem, AzureFileSystem), got ${describe(fs)}`);
  checkPath(path);
  const readable = source instanceof Blob || typeof (source as { readAt?: unknown } | null)?.readAt === 'function';
  if (!readable) throw new TypeError(`source must be a Blob, a File or a random-access file, got ${describe(source)}`);
  const chunkSize = checkPositiveSize(options.chunkSize ?? DEFAULT_CHUNK, 'chunkSize');
  const dir = options.store === undefined ? stores.defaultDir : storeDir(options.store);
  const { signal } = options;
  signal?.throwIfAborted();

  const size = await sourceSize(source);
  const sampled = await fingerprintOf(source);
  const fingerprint = { ...sampled, ...(await stores.stampOf?.(source)) };
  // The store's identity keeps apart the records of two accounts or endpoints with the same path.
  const identity = (fs as { [STORE_IDENTITY]?: unknown })[STORE_IDENTITY];
  const named = `${fs.typeName}\n${typeof identity === 'string' ? identity : ''}\n${path}`;
  const key = (await sha256Hex(`${named}\n${JSON.stringify(fingerprint)}`)).slice(0, 40);
  // Where versions before the store's identity (and Node's stamp) kept the record: read once.
  const legacy = (await sha256Hex(`${fs.typeName}\n${path}\n${JSON.stringify(sampled)}`)).slice(0, 40);
  const store = stores.open(dir);
  // One call at a time per record: two would each upload everything and clobber the record.
  const release = await (store.lock?.(key, signal) ?? inProcessLock(`${dir}\n${key}`, signal));
  try {
    return await upload({ fs, path, source, size, chunkSize, options, store, key, legacy, dir, record: { path, fingerprint } });
  } finally {
    await release().catch(() => {});
  }
}

/** What an upload needs once its record is locked. */
interface Upload {
  readonly fs: ResumableFileSystem;
  readonly path: string;
  readonly source: ResumableUploadSource;
  readonly size: number;
  readonly chunkSize: number;
  readonly options: ResumableUploadOptions;
  readonly store: UploadStore;
  readonly key: string;
  /** The key of the record an older version kept, used when there is none under `key`. */
  readonly legacy: string;
  readonly dir: string;
  /** The record's fields but the token. */
  readonly record: Omit<UploadRecord, 'token'>;
}

async function upload(u: Upload): Promise<ResumableUploadResult> {
  const { fs, path, source, size, chunkSize, store, key, legacy, dir } = u;
  const { signal, onProgress } = u.options;
  const saver = new LatestSaver(store, key);
  let durable = 0;
  const onCheckpoint = ({ token, bytesDurable }: UploadCheckpoint): void => {
    saver.save({ ...u.record, token });
    if (bytesDurable > durable) {
      durable = bytesDurable;
      onProgress?.(durable, size);
    }
  };

  const check = sourceCheck(source, size, signal);
  let fromLegacy = false;
  const opened = await unlessAborted(
    (async () => {
      let record = await store.load(key);
      if (record === undefined && legacy !== key) {
        record = await store.load(legacy);
        fromLegacy = record !== undefined;
      }
      return openUpload(fs, path, record, check, onCheckpoint);
    })(),
    signal,
  );
  const { stream } = opened;
  // Before any part is sent: a resume that dropped parts the source does not have must not
  // leave a record whose digests name them once they are sent again.
  await saveFirst(store, key, { ...u.record, token: stream.resumeToken }, opened, dir);
  // Kept under its own key now: the old one would be found again by no one but older versions.
  if (fromLegacy) await store.forget(legacy).catch(() => {});
  const resumedFrom = stream.tell();
  durable = Math.max(durable, resumedFrom);
  onProgress?.(durable, size);

  const onAbort = (): void => void stream.suspend().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (source instanceof Blob) {
      // The store's own route for Blobs: whole parts read and sent as they are.
      await stream.upload(source.slice(resumedFrom), { chunkSize, ...(signal === undefined ? {} : { signal }) });
    } else {
      for (let offset = resumedFrom; offset < size;) {
        signal?.throwIfAborted();
        const chunk = await readSource(source, offset, Math.min(chunkSize, size - offset));
        if (chunk.byteLength === 0) throw new IOError(`the source ended at ${offset} of ${size} bytes: did it change?`);
        await stream.write(chunk);
        offset += chunk.byteLength;
      }
    }
    signal?.throwIfAborted();
    await stream.close();
  } catch (error) {
    // Aborted or failed (the source, a part), the upload stays on the store and its token here
    // for the next call to resume; its parts in flight are stopped first, so that no token is
    // saved once this call has returned and let the next one take the record.
    await stream.suspend().catch(() => {});
    try {
      saver.save({ ...u.record, token: stream.resumeToken });
    } catch {
      // A stream that failed outright has no token to give: the last one saved stands.
    }
    throw unsaved(signal?.aborted === true ? signal.reason : error, await saver.settled(), dir);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  // The object is on the store: tokens that could not be saved, or the one left behind, no
  // longer matter (a later call finds its upload gone and starts anew), so they fail nothing.
  await saver.settled();
  await store.forget(key).catch(() => {});
  onProgress?.(size, size);
  return { path, size, resumedFrom };
}
