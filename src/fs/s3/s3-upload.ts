/**
 * The backend of S3 output streams: a multipart upload. Written bytes fill a part buffer;
 * each full part is uploaded while the next fills, with a bounded number in flight, so
 * memory stays at about `(maxInFlight + 1) × partSize` whatever the object's size. The
 * object appears only when `close()` completes the upload.
 *
 * An ordinary upload starts with its first full part (a stream closed before one filled
 * sends one PutObject), and a failure or `abort()` aborts it, leaving nothing behind. A
 * resumable one starts at open and outlives failures and {@link SUSPEND}: the parts done
 * from the first on, without a gap, are its durable bytes, which its resume token records
 * (`onCheckpoint` is told each time they grow); only `abort()` discards it.
 * @module
 */
import { IOError } from '../../errors.js';
import { asError } from '../../remote/body-reader.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { encodeResumeToken } from '../uploads/resume-token.js';
import type { UploadCheckpoint } from '../file-system.js';
import { MAX_PARTS, type Multipart } from './s3-multipart.js';

/** The reason `abort` is given to suspend a resumable upload rather than discard it. */
export const SUSPEND: unique symbol = Symbol('suspend the upload');

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

/** What an S3 output stream asks of its upload besides the backend calls. */
export interface UploadControl {
  /** The current resume token (resumable uploads), else `undefined`. */
  token(): string | undefined;
  /** The bytes durable: the parts done from the first on. */
  durable(): number;
  /** Stops sending at once, cancelling the parts in flight (to suspend a resumable upload). */
  cancel(): void;
}

/** A multipart upload as an {@link UnderlyingFile}, and its control. */
export function s3Upload(multipart: Multipart, options: UploadOptions): { underlying: UnderlyingFile; control: UploadControl } {
  const { name } = multipart;
  const { partSize, resumable } = options;
  const controller = new AbortController();
  const inFlight = new Set<Promise<void>>();
  // The ETag of each part by number - 1, '' while it is in flight, and its size.
  const etags: string[] = [...(resumable?.parts ?? [])];
  const sizes: number[] = etags.map(() => partSize);
  let doneParts = etags.length;
  let doneBytes = doneParts * partSize;
  let part: Uint8Array<ArrayBuffer> | undefined;
  let filled = 0;
  let written = doneParts * partSize;
  let uploadId: Promise<string> | undefined = resumable === undefined ? undefined : Promise.resolve(resumable.uploadId);
  let failure: unknown;
  let aborting: Promise<void> | undefined;

  const token = (): string | undefined =>
    resumable === undefined
      ? undefined
      : encodeResumeToken({
          store: 's3',
          path: `${multipart.bucket}/${multipart.key}`,
          uploadId: resumable.uploadId,
          partSize,
          // Whole parts only: a short last part is durable, but nothing can follow it.
          parts: etags.slice(0, sizes[doneParts - 1] === partSize || doneParts === 0 ? doneParts : doneParts - 1),
        });

  /** Advances the durable prefix past the parts now done, and says so. */
  const advance = (): void => {
    const before = doneParts;
    while (doneParts < etags.length && etags[doneParts] !== '') doneBytes += sizes[doneParts++]!;
    if (doneParts > before && options.onCheckpoint !== undefined) {
      options.onCheckpoint({ token: token()!, bytesDurable: doneBytes });
    }
  };

  /**
   * Aborts the multipart upload (once). Parts in flight are let finish first: S3 may keep
   * a part that lands after the abort (its documentation says to abort again), so aborting
   * after the last one is what leaves nothing behind.
   */
  const abortUpload = (): Promise<void> => {
    aborting ??= (async () => {
      await Promise.allSettled([...inFlight]);
      controller.abort(failure ?? new IOError(`upload to ${name} aborted`, { code: 'EABORT' }));
      const id = await uploadId?.catch(() => undefined);
      if (id !== undefined) await multipart.abort(id);
    })();
    return aborting;
  };

  /** Stops sending at once, keeping what is durable (resumable uploads). */
  const cancel = (): void => {
    failure ??= new IOError(`upload to ${name} suspended`, { code: 'EABORT' });
    controller.abort(failure);
  };

  const throwIfFailed = async (): Promise<void> => {
    if (failure === undefined) return;
    // A resumable upload stays on the store, to be resumed.
    if (resumable === undefined) await abortUpload().catch(() => {});
    throw asError(failure);
  };

  /** Waits until another part may go (fewer than `maxInFlight` in flight). */
  const slot = async (): Promise<void> => {
    while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight).catch(() => {});
    await throwIfFailed();
  };

  const sendPart = async (bytes: Uint8Array<ArrayBuffer> | Blob): Promise<void> => {
    await slot();
    if (etags.length >= MAX_PARTS) {
      failure ??= new IOError(`${name} would need more than ${MAX_PARTS} parts of ${partSize} bytes: use a larger partSize`, {
        code: 'EFBIG',
      });
      await throwIfFailed();
    }
    uploadId ??= multipart.create(controller.signal);
    const number = etags.length + 1;
    etags.push('');
    sizes.push(bytes instanceof Uint8Array ? bytes.byteLength : bytes.size);
    const upload = (async () => {
      etags[number - 1] = await multipart.uploadPart(await uploadId, number, bytes, controller.signal);
      advance();
    })();
    inFlight.add(upload);
    upload.then(
      () => inFlight.delete(upload),
      (error: unknown) => {
        inFlight.delete(upload);
        failure ??= error;
        // Nothing of a failed ordinary upload may stay behind, even if the caller never closes.
        if (resumable === undefined) void abortUpload().catch(() => {});
      },
    );
  };

  const underlying: UnderlyingFile = {
    async write(bytes) {
      await throwIfFailed();
      let done = 0;
      while (done < bytes.byteLength) {
        part ??= new Uint8Array(partSize);
        const count = Math.min(bytes.byteLength - done, part.byteLength - filled);
        part.set(bytes.subarray(done, done + count), filled);
        filled += count;
        done += count;
        written += count;
        if (filled === part.byteLength) {
          const full = part;
          part = undefined;
          filled = 0;
          await sendPart(full);
        }
      }
    },
    size: () => written,
    uploadFrom(source, _position, told, signal) {
      // A Blob's whole parts are sent as slices of it, which fetch streams from where the Blob
      // keeps its bytes (a picked file's disk): nothing of them is read into memory here. The
      // bytes before the first part boundary and after the last go through the part buffer.
      if (typeof Blob === 'undefined' || !(source instanceof Blob)) return undefined;
      const write = underlying.write!.bind(underlying);
      return (async () => {
        const size = source.size;
        let offset = 0;
        while (offset < size) {
          signal?.throwIfAborted();
          if (filled === 0 && size - offset >= partSize) {
            await slot();
            written += partSize;
            await sendPart(source.slice(offset, offset + partSize));
            offset += partSize;
          } else {
            const count = Math.min(size - offset, part === undefined ? partSize : partSize - filled);
            const bytes = new Uint8Array(await source.slice(offset, offset + count).arrayBuffer());
            if (bytes.byteLength !== count)
              throw new IOError(`the Blob gave ${bytes.byteLength} bytes at ${offset}, not ${count}`);
            await write(bytes);
            offset += count;
          }
          told(offset);
        }
        return size;
      })();
    },
    async flush() {
      // Parts are whole or not at all: flushing waits for those in flight, nothing more.
      await Promise.allSettled([...inFlight]);
      await throwIfFailed();
    },
    async close() {
      try {
        await throwIfFailed();
        const rest = part === undefined ? new Uint8Array(0) : part.slice(0, filled);
        part = undefined;
        if (uploadId === undefined || written === 0) {
          // S3 completes no upload without parts: an empty resumable one is an empty object.
          if (uploadId !== undefined) await multipart.abort(await uploadId);
          const { bucket, key } = multipart;
          await multipart.client.request({ method: 'PUT', bucket, key, body: rest, signal: controller.signal });
          return;
        }
        if (rest.byteLength > 0) await sendPart(rest);
        await Promise.allSettled([...inFlight]);
        await throwIfFailed();
        await multipart.complete(await uploadId, etags, controller.signal);
      } catch (error) {
        failure ??= error;
        if (resumable === undefined) await abortUpload().catch(() => {});
        throw error;
      }
    },
    async abort(reason) {
      part = undefined;
      if (reason === SUSPEND) {
        cancel();
        await Promise.allSettled([...inFlight]);
        return;
      }
      failure ??= reason instanceof Error ? reason : new IOError(`upload to ${name} aborted`, { code: 'EABORT', cause: reason });
      await abortUpload();
    },
  };
  return { underlying, control: { token, durable: () => doneBytes, cancel } };
}
