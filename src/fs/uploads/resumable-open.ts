/**
 * How {@link resumableUpload} opens its upload: resumed from the record kept for it, its
 * parts checked against the source first, or a new one; what becomes of an upload the store
 * opens after the call was aborted; and the first save of the token, without which the
 * upload is not resumable and so not kept.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { untilAborted } from '../../util/until-aborted.js';
import type { ResumableFileSystem, ResumableOutputStream, UploadCheckpoint } from '../file-system.js';
import { VERIFY_PARTS, type VerifiedResumeOptions } from './resume-hooks.js';
import type { SourceCheck } from './source-check.js';
import type { UploadRecord, UploadStore } from './upload-store.js';

/** The code of `error` (an `IOError`'s, Node's `ENOSPC` …), else `'EIO'`. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/** An upload's stream, and whether it resumes one a token names (else it is a new upload). */
export interface Opened {
  readonly stream: ResumableOutputStream;
  readonly resumed: boolean;
}

/**
 * The upload's stream: resumed from `record`, keeping only the parts `check` finds the
 * source's, or a new upload.
 */
export async function openUpload(
  fs: ResumableFileSystem,
  path: string,
  record: UploadRecord | undefined,
  check: SourceCheck,
  onCheckpoint: (checkpoint: UploadCheckpoint) => void,
): Promise<Opened> {
  if (record !== undefined) {
    try {
      const options: VerifiedResumeOptions = { onCheckpoint, [VERIFY_PARTS]: check.verify };
      const stream = await fs.resumeOutputStream(path, record.token, options);
      if (check.asked() || stream.tell() === 0) return { stream, resumed: true };
      // A store that did not check its parts against the source (not one of nativefile's):
      // what it holds may be another version's bytes, so its upload is dropped, not resumed.
      await stream.abort(new IOError(`the parts of ${path} could not be checked against the source`)).catch(() => {});
    } catch (error) {
      // Gone (completed or aborted elsewhere) or unreadable: a new upload, the record replaced.
      if (!(error instanceof FileNotFoundError || error instanceof TypeError || error instanceof RangeError)) throw error;
    }
  }
  return { stream: await fs.openOutputStream(path, { resumable: true, onCheckpoint }), resumed: false };
}

/**
 * `opening`, or a rejection with `signal`'s reason as soon as it aborts: the store's answers
 * (ListParts, the upload's creation) may take their whole answer timeout, and the check of
 * the parts reads the source. Once the call has rejected, nothing may outlive it that the
 * caller cannot see: a stream that opens later is not saved. A new upload is aborted (S3's
 * multipart upload released; Azure has staged nothing), since no token of it is kept to
 * resume it from; a resumed one is suspended, its record left as it was, so the parts it held
 * before are not thrown away.
 */
export async function unlessAborted(opening: Promise<Opened>, signal: AbortSignal | undefined): Promise<Opened> {
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

/**
 * Saves the token of the upload just opened, before any part is sent: an upload whose token
 * cannot be kept could not be resumed, so it is not kept either. A new one is aborted (S3's
 * multipart upload released); a resumed one is suspended, its record left as it was.
 * @throws IOError saying so, the save's failure as its `cause` (its code kept).
 */
export async function saveFirst(
  store: UploadStore,
  key: string,
  record: UploadRecord,
  { stream, resumed }: Opened,
  dir: string,
): Promise<void> {
  try {
    await store.save(key, record);
  } catch (error) {
    if (resumed) await stream.suspend().catch(() => {});
    else await stream.abort(error).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new IOError(
      `the resume token of ${record.path} could not be saved in ${dir} (${reason}): an upload that cannot be resumed is not kept, so it was ${resumed ? 'suspended, its record left as it was' : 'aborted'}`,
      { code: codeOf(error), cause: error },
    );
  }
}
