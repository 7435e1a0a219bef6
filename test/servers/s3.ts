import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import { startCeph, type CephServer } from './ceph.js';
import { S3_TEST_CREDENTIALS } from './s3-credentials.js';

/**
 * A real S3 for the tests: Ceph's RADOS Gateway (test/servers/ceph.ts) with buckets made,
 * and a client of its own (aws4fetch, independent of the library) to look behind the
 * library's back: the multipart uploads left pending, fixtures put in place.
 */
export interface S3Server {
  /** The endpoint URL, for `S3FileSystem({ endpoint, forcePathStyle: true })`. */
  readonly endpoint: string;
  /** The user's keys (the gateway checks SigV4: a wrong secret is 403). */
  readonly credentials: typeof S3_TEST_CREDENTIALS;
  /** Upload ids of the bucket's multipart uploads neither completed nor aborted (of keys under `prefix`). */
  pendingUploads(bucket: string, prefix?: string): Promise<string[]>;
  /** Puts an object with the test client (fixtures the library under test did not write). */
  put(path: string, body: Uint8Array | string): Promise<void>;
  /** A signed request of the test client, for anything else. */
  request(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** Options of {@link startS3}. */
export interface S3Options {
  /** Give every bucket {@link CORS_CONFIGURATION}, so pages on other origins can use it. Default `false`. */
  readonly cors?: boolean;
}

/**
 * The bucket CORS configuration a browser client needs (docs/cors.md explains each line):
 * every method it uses, any request header (SigV4 sends Authorization and x-amz-*), and the
 * response headers it reads.
 */
export const CORS_CONFIGURATION = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>Content-Range</ExposeHeader>
    <ExposeHeader>Content-Length</ExposeHeader>
    <ExposeHeader>Accept-Ranges</ExposeHeader>
    <ExposeHeader>Last-Modified</ExposeHeader>
    <ExposeHeader>x-amz-version-id</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** Starts a Ceph cluster with `buckets` made (and their CORS set with `cors`). */
export async function startS3(buckets: readonly string[], options: S3Options = {}): Promise<S3Server> {
  const ceph: CephServer = await startCeph();
  const client = new AwsClient({ ...ceph.credentials, service: 's3', region: 'us-east-1' });
  const request = async (path: string, init: RequestInit = {}): Promise<Response> =>
    client.fetch(`${ceph.endpoint}/${path.replace(/^\//, '')}`, init);
  const ok = async (response: Promise<Response>, what: string): Promise<Response> => {
    const answer = await response;
    if (!answer.ok) throw new Error(`${what}: HTTP ${answer.status} ${await answer.text()}`);
    return answer;
  };
  try {
    for (const bucket of buckets) {
      await ok(request(bucket, { method: 'PUT' }), `creating bucket ${bucket}`);
      if (options.cors === true) {
        // PutBucketCors needs a Content-MD5.
        const md5 = createHash('md5').update(CORS_CONFIGURATION).digest('base64');
        await ok(
          request(`${bucket}?cors`, { method: 'PUT', body: CORS_CONFIGURATION, headers: { 'content-md5': md5 } }),
          `setting CORS on ${bucket}`,
        );
      }
    }
  } catch (error) {
    await ceph.stop();
    throw error;
  }
  return {
    endpoint: ceph.endpoint,
    credentials: ceph.credentials,
    request,
    async pendingUploads(bucket, prefix = '') {
      const query = prefix === '' ? 'uploads' : `uploads&prefix=${encodeURIComponent(prefix)}`;
      const text = await (await ok(request(`${bucket}?${query}`), `listing uploads of ${bucket}`)).text();
      return [...text.matchAll(/<UploadId>([^<]*)<\/UploadId>/g)].map((match) => match[1]!);
    },
    async put(path, body) {
      await ok(request(path, { method: 'PUT', body: typeof body === 'string' ? body : body.slice() }), `putting ${path}`);
    },
    stop: () => ceph.stop(),
  };
}
