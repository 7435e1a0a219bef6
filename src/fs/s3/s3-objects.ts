/**
 * Object operations the S3 filesystem builds its directory semantics from: server-side
 * copies, deleting many keys, and the `dir/` markers that keep a directory in existence
 * once its last object is gone (as pyarrow's S3 filesystem does).
 * @module
 */
import { IOError } from '../../errors.js';
import { eachLimited } from '../../remote/limiter.js';
import { redactSecrets } from '../../remote/redact.js';
import { encodePath, parentPath } from '../paths.js';
import type { S3Client } from './s3-client.js';

/** An object's bucket and key. */
export interface ObjectPath {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Copies `source` to `target` on the server (CopyObject); the bytes do not pass through here.
 * An abort stops waiting for the answer (the copy may still complete on the server).
 */
export async function copyObject(client: S3Client, source: ObjectPath, target: ObjectPath, signal?: AbortSignal): Promise<void> {
  const copySource = `/${encodePath(source.bucket)}/${encodePath(source.key)}`;
  // S3 may answer 200 and fail in the body.
  const headers = { 'x-amz-copy-source': copySource };
  const { text } = await client.requestText({ method: 'PUT', ...target, headers, signal });
  if (text.includes('<Error>')) {
    const detail = redactSecrets(text).slice(0, 300);
    throw new IOError(`copying ${source.bucket}/${source.key} to ${target.bucket}/${target.key} failed: ${detail}`, {
      code: 'EREMOTE',
    });
  }
}

/**
 * Deletes `keys` of `bucket` (those already gone are fine), 8 at a time; a failure stops the
 * rest and is thrown once none is running.
 */
export async function deleteKeys(client: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  // DeleteObjects needs a Content-MD5 header, which Web Crypto cannot compute: one DELETE each.
  await eachLimited(keys, 8, (key) => client.request({ method: 'DELETE', bucket, key, accept: (s) => s === 404 }));
}

/** Whether the `key/` marker of a directory exists. */
export async function hasMarker(client: S3Client, bucket: string, key: string): Promise<boolean> {
  const head = await client.request({ method: 'HEAD', bucket, key: `${key}/`, accept: (s) => s === 404 });
  return head.status !== 404;
}

/** Creates a bucket in the client's region (accepting that it exists). */
export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  const { region } = client;
  const body =
    region === 'us-east-1'
      ? ''
      : `<CreateBucketConfiguration><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
  await client.request({ method: 'PUT', bucket, body, accept: (s) => s === 409 });
}

/** Writes the `key/` marker of a directory. */
export async function putMarker(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.request({ method: 'PUT', bucket, key: `${key}/`, body: new Uint8Array(0) });
}

/**
 * Makes the directory holding `key` outlive the removal of `key`: a directory that exists
 * only as the prefix of its objects would vanish with its last one (pyarrow's
 * `EnsureParentExists`).
 */
export async function keepParent(client: S3Client, bucket: string, key: string): Promise<void> {
  const parent = parentPath(key);
  if (parent === '' || parent === '/') return;
  if (!(await hasMarker(client, bucket, parent))) await putMarker(client, bucket, parent);
}
