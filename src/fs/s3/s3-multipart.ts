/**
 * The requests of an S3 multipart upload: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload and ListParts, for one object. The upload's
 * logic (cutting parts, bounding what is in flight, resuming) is in `s3-upload.ts`.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import type { S3Client } from './s3-client.js';
import { s3Error } from './s3-errors.js';
import { escapeXml, xmlBlocks, xmlValue } from '../../remote/xml.js';

/** S3's most parts in one upload. */
export const MAX_PARTS = 10_000;

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

  /** Completes the upload from its parts' ETags, in order: the object appears. */
  async complete(id: string, etags: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`);
    const body = `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`;
    const { bucket, key } = this;
    // S3 may answer 200 and still fail, with an error document in the body.
    const { text } = await this.client.requestText({ method: 'POST', bucket, key, query: { uploadId: id }, body, signal });
    if (xmlValue(text, 'Code') !== undefined && text.includes('<Error'))
      throw s3Error(500, 'CompleteMultipartUpload failed', this.name, text);
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
