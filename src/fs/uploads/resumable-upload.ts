/**
 * {@link resumableUpload}: an upload of a `Blob`/`File` or a random-access file that survives
 * a reload or a crash. Its resume token is kept in a folder (OPFS in browsers, the disk in
 * Node: `nativefile/node` exports the same function with that default), keyed by the path
 * and the source's fingerprint, so calling it again with the same source resumes, sending
 * only the parts the store does not hold. Memory stays at about the store's
 * `(uploadConcurrency + 1) × partSize` plus one chunk read.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { untilAborted } from '../../util/until-aborted.js';
import { checkPositiveSize, describe } from '../../util/validate.js';
import type { FileSystem, ResumableFileSystem, ResumableOutputStream, UploadCheckpoint } from '../file-system.js';
import { checkPath } from '../paths.js';
import { fingerprintOf, readSource, sha256Hex, sourceSize, type ResumableUploadSource } from './fingerprint.js';
import { LatestSaver, type UploadStore } from './upload-store.js';

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
  /** The folder that keeps the tokens: an OPFS path in browsers (default `.nativefile/uploads`), a path in Node (default a folder under `os.tmpdir()`). */
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
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;

function isResumable(fs: FileSystem): fs is ResumableFileSystem {
  return typeof (fs as Partial<ResumableFileSystem>).resumeOutputStream === 'function';
}

/**
 * Uploads `source` to `path` of `fs` (a store with resumable uploads: `S3FileSystem`, `AzureFileSystem`) so that
 * it survives a reload or a crash: called again with the same source (same name, size,
 * modification time and sampled bytes) after an interruption, it resumes where the store's
 * durable parts end. The token is forgotten once the upload completes.
 * @throws TypeError for a source or filesystem of the wrong kind; the store's errors.
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
  const { signal, onProgress } = options;
  signal?.throwIfAborted();

  const size = await sourceSize(source);
  const fingerprint = await fingerprintOf(source);
  const key = (await sha256Hex(`${fs.typeName}\n${path}\n${JSON.stringify(fingerprint)}`)).slice(0, 40);
  const store = stores.open(options.store === undefined ? stores.defaultDir : checkPath(options.store, 'options.store'));
  const saver = new LatestSaver(store, key);
  let durable = 0;
  const onCheckpoint = ({ token, bytesDurable }: UploadCheckpoint): void => {
    saver.save({ path, fingerprint, token });
    if (bytesDurable > durable) {
      durable = bytesDurable;
      onProgress?.(durable, size);
    }
  };

  const { stream } = await unlessAborted(open(fs, path, store, key, onCheckpoint), signal);
  saver.save({ path, fingerprint, token: stream.resumeToken });
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
    // The upload stays on the store, and its token here, for the next call to resume.
    if (signal?.aborted) {
      await stream.suspend().catch(() => {});
      saver.save({ path, fingerprint, token: stream.resumeToken });
      await saver.settled().catch(() => {});
      throw signal.reason;
    }
    await saver.settled().catch(() => {});
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  // The object is on the store: tokens that could not be saved, or the one left behind, no
  // longer matter (a later call finds its upload gone and starts anew), so they fail nothing.
  await saver.settled().catch(() => {});
  await store.forget(key).catch(() => {});
  onProgress?.(size, size);
  return { path, size, resumedFrom };
}

/**
 * `opening`, or a rejection with `signal`'s reason as soon as it aborts: the store's answers
 * (ListParts, the upload's creation) may take their whole answer timeout. Once the call has
 * rejected, nothing may outlive it that the caller cannot see: a stream that opens later is
 * not saved. A new upload is aborted (S3's multipart upload released; Azure has staged
 * nothing), since no token of it is kept to resume it from; a resumed one is suspended, its
 * record left as it was, so the parts it held before are not thrown away.
 */
async function unlessAborted(opening: Promise<Opened>, signal: AbortSignal | undefined): Promise<Opened> {
  try {
    return await untilAborted(opening, signal);
  } catch (error) {
    if (signal?.aborted === true) {
      void opening
        .then(
          async ({ stream, resumed }) => {
            if (resumed) await stream.suspend();
            else await stream.abort(signal.reason);
          },
          () => {},
        )
        .catch(() => {}); // nobody is left to tell: the call has rejected already
    }
    throw error;
  }
}

/** An upload's stream, and whether it resumes one a token names (else it is a new upload). */
interface Opened {
  readonly stream: ResumableOutputStream;
  readonly resumed: boolean;
}

/** The upload's stream: resumed from the token kept under `key`, or a new upload. */
async function open(
  fs: ResumableFileSystem,
  path: string,
  store: UploadStore,
  key: string,
  onCheckpoint: (checkpoint: UploadCheckpoint) => void,
): Promise<Opened> {
  const record = await store.load(key);
  if (record !== undefined) {
    try {
      return { stream: await fs.resumeOutputStream(path, record.token, { onCheckpoint }), resumed: true };
    } catch (error) {
      // Gone (completed or aborted elsewhere) or unreadable: a new upload, the record replaced.
      if (!(error instanceof FileNotFoundError || error instanceof TypeError || error instanceof RangeError)) throw error;
    }
  }
  return { stream: await fs.openOutputStream(path, { resumable: true, onCheckpoint }), resumed: false };
}
