import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A running s3rver (an S3 emulator) on 127.0.0.1, behind a small front that adds the one
 * call s3rver 3.7 lacks: AbortMultipartUpload (s3rver answers it 405 MethodNotAllowed). The
 * front removes the upload's parts from s3rver's folder as S3 would. It also drops
 * `max-keys` from listings: a truncated listing makes s3rver build a continuation token
 * with a cipher OpenSSL 3 rejects (ERR_OSSL_EVP_UNSUPPORTED, a 500), so listings here stay
 * on one page (up to 1000 keys, plenty for the tests). Signatures are NOT
 * checked by s3rver: the tests check the Authorization header themselves.
 */
export interface S3Server {
  /** The endpoint URL, for `S3FileSystem({ endpoint, forcePathStyle: true })`. */
  readonly endpoint: string;
  /** Upload ids with parts still stored (multipart uploads neither completed nor aborted). */
  pendingUploads(bucket: string): string[];
  stop(): Promise<void>;
}

/** Where s3rver keeps a bucket's unfinished multipart uploads. */
const uploadsDir = (directory: string, bucket: string): string => join(directory, bucket, '._S3rver_uploads');

/** Options of {@link startS3}; the defaults give the server the Node tests have always used. */
export interface S3Options {
  /**
   * Give every bucket the CORS configuration {@link CORS_CONFIGURATION} (s3rver then answers
   * preflights and adds the headers), and add the same headers to the answers the front
   * gives itself, so a page on another origin can use the store. Default `false`.
   */
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

/** Starts s3rver on a free loopback port with `buckets` created, storing in a temp folder. */
export async function startS3(buckets: readonly string[], options: S3Options = {}): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'nativefile-s3rver-'));
  const configs = options.cors === true ? [CORS_CONFIGURATION] : [];
  const s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: process.env.S3RVER_LOG === undefined,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs })),
  });
  // The front's own answers (the abort below) need the headers s3rver gives its answers.
  const corsHeaders: Record<string, string> =
    options.cors === true ? { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' } : {};
  const { port: backend } = await s3rver.run();
  const front: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const uploadId = url.searchParams.get('uploadId');
    if (req.method === 'DELETE' && uploadId !== null) {
      const bucket = decodeURIComponent(url.pathname.split('/')[1] ?? '');
      const dir = join(uploadsDir(directory, bucket), uploadId);
      req.resume();
      if (!existsSync(dir)) {
        res
          .writeHead(404, { ...corsHeaders, 'content-type': 'application/xml' })
          .end('<Error><Code>NoSuchUpload</Code><Message>no such upload</Message></Error>');
        return;
      }
      rmSync(dir, { recursive: true, force: true });
      res.writeHead(204, corsHeaders).end();
      return;
    }
    url.searchParams.delete('max-keys');
    const path = `${url.pathname}${url.search}`;
    const forward = request({ host: '127.0.0.1', port: backend, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const address = front.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pendingUploads: (bucket) => (existsSync(uploadsDir(directory, bucket)) ? readdirSync(uploadsDir(directory, bucket)) : []),
    async stop() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
