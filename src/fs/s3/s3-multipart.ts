/**
 * The requests of an S3 multipart upload: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload and ListParts, for one object. The upload's
 * logic (cutting parts, bounding what is in flight, resuming) is in `s3-upload.ts`.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import type { S3Client } from './s3-client.js';
import { md5, toHex } from '../../util/md5.js';
import { s3Error } from './s3-errors.js';
import { escapeXml, xmlBlocks, xmlValue } from '../../remote/xml.js';
import { md5OfEtag, verifiedCount, type VerifiedResumeOptions } from '../uploads/resume-hooks.js';

/** S3's most parts in one upload. */
export const MAX_PARTS = 10_000;

/**
 * The ETag S3 (and Ceph, measured) gives the object a multipart upload of these parts makes:
 * the MD5 of the parts' binary MD5s, then `-` and the part count. `undefined` when a part's
 * ETag is not a plain MD5 (S3's with SSE-KMS or SSE-C are not).
 */
export function multipartEtag(etags: readonly string[]): string | undefined {
  const digests = new Uint8Array(16 * etags.length);
  for (const [i, etag] of etags.entries()) {
    const hex = md5OfEtag(etag);
    if (hex === undefined) return undefined;
    for (let j = 0; j < 16; j++) digests[i * 16 + j] = parseInt(hex.slice(j * 2, j * 2 + 2), 16);
  }
  return `${toHex(md5(digests))}-${etags.length}`;
}

/** A part the store holds. */
export interface StoredPart {
  readonly number: number;
  readonly etag: string;
  readonly size: number;
}

/** The requests of uploads to `bucket/key`. */
export class Multipart {
  readonly name: string;

  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    readonly key: string,
  ) {
    this.name = `s3://${bucket}/${key}`;
  }

  /** Starts an upload; its id. */
  async create(signal: AbortSignal | undefined): Promise<string> {
    const { bucket, key } = this;
    const { text } = await this.client.requestText({ method: 'POST', bucket, key, query: { uploads: '' }, signal });
    const id = xmlValue(text, 'UploadId');
    if (id === undefined) throw new IOError(`S3 did not return an UploadId for ${this.name}`, { code: 'EPROTO' });
    return id;
  }

  /** Sends part `number`; its ETag. */
  async uploadPart(
    id: string,
    number: number,
    body: Uint8Array<ArrayBuffer> | Blob,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const { bucket, key } = this;
    const query = { partNumber: String(number), uploadId: id };
    const response = await this.client.request({ method: 'PUT', bucket, key, query, body, signal });
    const etag = response.headers.get('etag');
    if (etag === null) {
      throw new IOError(
        `S3 returned no ETag for part ${number} of ${this.name} (in a browser: does the bucket's CORS configuration expose ETag? see docs/cors.md)`,
        { code: 'EPROTO' },
      );
    }
    return etag;
  }

  /**
   * Completes the upload from its parts' ETags, in order: the object appears.
   * @throws FileNotFoundError when the upload is gone and the object at the key is not the
   * one these parts make (the message says which of those it is).
   */
  async complete(id: string, etags: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`);
    const body = `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`;
    const { bucket, key } = this;
    const query = { uploadId: id };
    const accept = (status: number): boolean => status === 404;
    const { response, text } = await this.client.requestText({ method: 'POST', bucket, key, query, body, signal, accept });
    if (response.status === 404) {
      const error = s3Error(404, response.statusText, this.name, text);
      if (xmlValue(text, 'Code') !== 'NoSuchUpload') throw error;
      // An attempt whose answer was lost (a cut connection, a timeout) may have completed the
      // upload: AWS then answers the retry NoSuchUpload (Ceph answers 200 itself when the
      // object there matches). The object at the key tells whether it was this upload.
      return this.#completedBefore(id, etags, error, signal);
    }
    // S3 may answer 200 and still fail, with an error document in the body.
    if (xmlValue(text, 'Code') !== undefined && text.includes('<Error'))
      throw s3Error(500, 'CompleteMultipartUpload failed', this.name, text);
  }

  /**
   * Resolves if the object at the key is the one the parts `etags` make, which a Complete of
   * upload `id` whose answer was lost wrote; else throws, the upload's state said.
   */
  async #completedBefore(id: string, etags: readonly string[], gone: IOError, signal: AbortSignal | undefined): Promise<void> {
    const { bucket, key } = this;
    const state = `the upload ${id} of ${this.name} is gone (CompleteMultipartUpload answered NoSuchUpload: completed or aborted)`;
    const expected = multipartEtag(etags);
    if (expected === undefined) {
      throw new FileNotFoundError(
        `${state}, and whether it made the object there cannot be told: its parts' ETags are not MD5s (SSE-KMS or SSE-C encryption?)`,
        { cause: gone },
      );
    }
    let head: Response;
    try {
      head = await this.client.request({ method: 'HEAD', bucket, key, signal, accept: (status) => status === 404 });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new IOError(`${state}, and looking for the object it would have made failed: ${reason}`, {
        code: error instanceof IOError ? error.code : 'EIO',
        cause: error,
      });
    }
    if (head.status === 404)
      throw new FileNotFoundError(`${state}, and no object is there: nothing was written`, { cause: gone });
    const found = head.headers.get('etag');
    if (found !== null && found.replace(/^"|"$/g, '').toLowerCase() === expected) return;
    throw new FileNotFoundError(
      `${state}, and the object there has ETag ${found ?? '(none given)'}, not "${expected}" that these ${etags.length} parts make: it is another write`,
      { cause: gone },
    );
  }

  /** Aborts the upload: its parts are deleted. An upload already gone is not an error. */
  async abort(id: string): Promise<void> {
    const { bucket, key } = this;
    await this.client.request({ method: 'DELETE', bucket, key, query: { uploadId: id }, accept: (s) => s === 404 });
  }

  /**
   * The parts the store holds, by number (ListParts, every page).
   * @throws FileNotFoundError when the upload is gone (completed or aborted).
   */
  async listParts(id: string, signal: AbortSignal | undefined): Promise<Map<number, StoredPart>> {
    const parts = new Map<number, StoredPart>();
    const { bucket, key } = this;
    let marker = '0';
    for (;;) {
      const query = { uploadId: id, 'max-parts': '1000', 'part-number-marker': marker };
      let xml: string;
      try {
        xml = (await this.client.requestText({ method: 'GET', bucket, key, query, signal })).text;
      } catch (error) {
        // Ceph answers a list of an aborted upload with NoSuchKey, S3 with NoSuchUpload.
        if (error instanceof FileNotFoundError) {
          throw new FileNotFoundError(`the upload ${id} of ${this.name} is gone (completed or aborted)`, { cause: error });
        }
        throw error;
      }
      for (const block of xmlBlocks(xml, 'Part')) {
        const number = Number(xmlValue(block, 'PartNumber'));
        const etag = xmlValue(block, 'ETag');
        const size = Number(xmlValue(block, 'Size'));
        if (Number.isSafeInteger(number) && etag !== undefined && Number.isSafeInteger(size))
          parts.set(number, { number, etag, size });
      }
      const next = xmlValue(xml, 'NextPartNumberMarker');
      if (xmlValue(xml, 'IsTruncated') !== 'true' || next === undefined) return parts;
      // Part numbers only grow: a marker that does not would list the same pages for ever.
      if (!/^\d+$/.test(next) || Number(next) <= Number(marker)) {
        throw new IOError(`ListParts of ${this.name} answered the part-number marker ${JSON.stringify(next)} after ${marker}`, {
          code: 'EPROTO',
        });
      }
      marker = next;
    }
  }
}

/**
 * The ETags of the parts a resume of upload `id` keeps: the first ones S3 holds (ListParts)
 * without a gap and each `partSize` long, then, given a verifier (`resumableUpload`'s), only
 * the first of those whose ETag, the MD5 of the bytes S3 holds, is the source's.
 * @throws FileNotFoundError when the upload is gone (completed or aborted).
 */
export async function resumedParts(
  multipart: Multipart,
  id: string,
  partSize: number,
  options: VerifiedResumeOptions,
): Promise<string[]> {
  const stored = await multipart.listParts(id, undefined);
  const parts: string[] = [];
  for (let number = 1; stored.get(number)?.size === partSize; number++) parts.push(stored.get(number)!.etag);
  const digests = parts.map((etag) => {
    const md5 = md5OfEtag(etag);
    return md5 === undefined ? {} : { md5 };
  });
  return parts.slice(0, await verifiedCount(options, digests, partSize));
}
