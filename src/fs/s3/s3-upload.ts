/**
 * The backend of S3 output streams: a multipart upload. Written bytes fill a part buffer;
 * each full part is uploaded while the next fills, with a bounded number in flight, so
 * memory stays at about `(maxInFlight + 1) × partSize` whatever the object's size. The
 * object appears only when `close()` completes the upload; a failure or `abort()` aborts
 * it, leaving nothing behind. A stream closed before one part filled sends one PutObject.
 * @module
 */
import { IOError } from '../../errors.js';
import { asError } from '../../remote/body-reader.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';
import type { S3Client } from './s3-client.js';
import { escapeXml, xmlValue } from '../../remote/xml.js';
import { s3Error } from './s3-errors.js';

/** How an upload cuts and sends parts. */
export interface UploadOptions {
  /** Bytes per part (S3 takes 5 MiB to 5 GiB, the last part smaller). */
  readonly partSize: number;
  /** Parts uploaded at once. */
  readonly maxInFlight: number;
}

/** A multipart upload to `bucket/key`, as an {@link UnderlyingFile}. */
export function s3Upload(client: S3Client, bucket: string, key: string, options: UploadOptions): UnderlyingFile {
  const name = `s3://${bucket}/${key}`;
  const controller = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const etags: string[] = [];
  let part: Uint8Array<ArrayBuffer> | undefined;
  let filled = 0;
  let written = 0;
  let uploadId: Promise<string> | undefined;
  let failure: unknown;
  let aborting: Promise<void> | undefined;

  const create = async (): Promise<string> => {
    const response = await client.request({ method: 'POST', bucket, key, query: { uploads: '' }, signal: controller.signal });
    const id = xmlValue(await response.text(), 'UploadId');
    if (id === undefined) throw new IOError(`S3 did not return an UploadId for ${name}`, { code: 'EPROTO' });
    return id;
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
      if (id !== undefined)
        await client.request({ method: 'DELETE', bucket, key, query: { uploadId: id }, accept: (s) => s === 404 });
    })();
    return aborting;
  };

  const throwIfFailed = async (): Promise<void> => {
    if (failure === undefined) return;
    await abortUpload().catch(() => {});
    throw asError(failure);
  };

  const sendPart = async (bytes: Uint8Array<ArrayBuffer>): Promise<void> => {
    while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight).catch(() => {});
    await throwIfFailed();
    uploadId ??= create();
    const number = etags.length + 1;
    etags.push('');
    const upload = (async () => {
      const id = await uploadId;
      const query = { partNumber: String(number), uploadId: id };
      const response = await client.request({ method: 'PUT', bucket, key, query, body: bytes, signal: controller.signal });
      const etag = response.headers.get('etag');
      if (etag === null) {
        throw new IOError(
          `S3 returned no ETag for part ${number} of ${name} (in a browser: does the bucket's CORS configuration expose ETag? see docs/cors.md)`,
          { code: 'EPROTO' },
        );
      }
      etags[number - 1] = etag;
    })();
    inFlight.add(upload);
    upload.then(
      () => inFlight.delete(upload),
      (error: unknown) => {
        inFlight.delete(upload);
        failure ??= error;
        // Nothing of a failed upload may stay behind, even if the caller never closes.
        void abortUpload().catch(() => {});
      },
    );
  };

  const complete = async (id: string): Promise<void> => {
    const parts = etags
      .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`)
      .join('');
    const body = `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`;
    const response = await client.request({
      method: 'POST',
      bucket,
      key,
      query: { uploadId: id },
      body,
      signal: controller.signal,
    });
    // S3 may answer 200 and still fail, with an error document in the body.
    const text = await response.text();
    if (xmlValue(text, 'Code') !== undefined && text.includes('<Error'))
      throw s3Error(500, 'CompleteMultipartUpload failed', name, text);
  };

  return {
    async write(bytes) {
      await throwIfFailed();
      let done = 0;
      while (done < bytes.byteLength) {
        part ??= new Uint8Array(options.partSize);
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
        if (uploadId === undefined) {
          await client.request({ method: 'PUT', bucket, key, body: rest, signal: controller.signal });
          return;
        }
        if (rest.byteLength > 0) await sendPart(rest);
        await Promise.allSettled([...inFlight]);
        await throwIfFailed();
        await complete(await uploadId);
      } catch (error) {
        failure ??= error;
        await abortUpload().catch(() => {});
        throw error;
      }
    },
    async abort(reason) {
      part = undefined;
      failure ??= reason instanceof Error ? reason : new IOError(`upload to ${name} aborted`, { code: 'EABORT', cause: reason });
      await abortUpload();
    },
  };
}
