/**
 * The backend of S3 output streams: a multipart upload, as a {@link PartTarget} of the
 * parted upload every store shares (`remote/part-upload.ts`). An ordinary upload starts
 * with its first full part (a stream closed before one filled sends one PutObject) and a
 * failure or `abort()` aborts it, leaving nothing behind. A resumable one starts at open and
 * outlives failures and suspension; its resume token records the whole parts durable.
 * @module
 */
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { partedUpload, type PartTarget } from '../../remote/part-upload.js';
import type { UploadCheckpoint } from '../file-system.js';
import { encodeResumeToken } from '../uploads/resume-token.js';
import { uploadControl, type UploadControl } from '../uploads/upload-control.js';
import { MAX_PARTS, type Multipart } from './s3-multipart.js';

/** S3's smallest part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** S3's largest part: a token asking for more would only grow the part buffer until memory runs out. */
const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

/** `size`, a part size S3 takes (5 MiB to 5 GiB); else a RangeError naming `what`. */
export function checkPartSize(size: number, what: string): number {
  if (size < MIN_PART_SIZE || size > MAX_PART_SIZE)
    throw new RangeError(`${what} must be from 5 MiB to 5 GiB (${MIN_PART_SIZE} to ${MAX_PART_SIZE}), got ${size}`);
  return size;
}

/** How an upload cuts and sends parts. */
export interface UploadOptions {
  /** Bytes per part (S3 takes 5 MiB to 5 GiB, the last part smaller). */
  readonly partSize: number;
  /** Parts uploaded at once. */
  readonly maxInFlight: number;
  /** Make the upload resumable: its id (created at open) and the durable parts' ETags. */
  readonly resumable?: { readonly uploadId: string; readonly parts: readonly string[] };
  /** Told the new token each time the durable bytes grow (resumable uploads). */
  readonly onCheckpoint?: (checkpoint: UploadCheckpoint) => void;
}

/** A multipart upload as an {@link UnderlyingFile}, and its control. */
export function s3Upload(multipart: Multipart, options: UploadOptions): { underlying: UnderlyingFile; control: UploadControl } {
  const { name, client, bucket, key } = multipart;
  const { partSize, resumable, onCheckpoint } = options;
  let uploadId: Promise<string> | undefined = resumable === undefined ? undefined : Promise.resolve(resumable.uploadId);
  // A Create whose answer was lost, then retried, leaves an upload of the key nobody learnt the
  // id of. It is not looked for: S3's list of uploads cannot tell it from another writer's of
  // the same key, which must not be aborted. It holds no part; a lifecycle rule ends it (README).
  const started = (signal: AbortSignal): Promise<string> => (uploadId ??= multipart.create(signal));
  const put = async (body: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<void> => {
    await client.request({ method: 'PUT', bucket, key, body, signal });
  };

  const target: PartTarget = {
    name,
    maxParts: MAX_PARTS,
    async sendPart(index, body, signal) {
      return multipart.uploadPart(await started(signal), index + 1, body, signal);
    },
    async commit(ids, signal) {
      const id = await started(signal);
      if (ids.length > 0) return multipart.complete(id, ids, signal);
      // S3 completes no upload without parts: an empty resumable one is an empty object.
      await multipart.abort(id);
      await put(new Uint8Array(0), signal);
    },
    async discard() {
      // Aborting after the last part settled: S3 may keep a part that lands after an abort.
      const id = await uploadId?.catch(() => undefined);
      if (id !== undefined) await multipart.abort(id);
    },
    ...(resumable === undefined ? { putWhole: put } : {}),
  };

  const token = (parts: readonly string[]): string | undefined =>
    resumable === undefined
      ? undefined
      : encodeResumeToken({ store: 's3', path: `${bucket}/${key}`, uploadId: resumable.uploadId, partSize, parts });
  const { underlying, control } = partedUpload(target, {
    partSize,
    maxInFlight: options.maxInFlight,
    ...(resumable === undefined ? {} : { resume: resumable.parts }),
    onDurable: (parts, bytes) => onCheckpoint?.({ token: token(parts)!, bytesDurable: bytes }),
  });
  return { underlying, control: uploadControl(control, token) };
}
