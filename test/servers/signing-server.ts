import { createServer, type Server } from 'node:http';
import { AwsClient } from 'aws4fetch';

/**
 * An app's own signing server, as a page without secrets uses it: it holds the S3 keys and
 * answers `POST /sign` with `{ method, url, headers }` by the headers SigV4 adds (or, with
 * `?presign`, by a presigned URL), for requests to `endpoint` only. CORS lets any page ask.
 */
export interface SigningServer {
  /** The URL a page posts requests to sign to. */
  readonly url: string;
  /** Requests signed so far. */
  readonly signed: Array<{ method: string; url: string }>;
  stop(): Promise<void>;
}

/** Starts a signing server on a free loopback port for requests to `endpoint`. */
export async function startSigningServer(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<SigningServer> {
  const client = new AwsClient({ ...credentials, service: 's3', region: 'us-east-1' });
  const signed: Array<{ method: string; url: string }> = [];
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
  const server: Server = createServer((req, res) => {
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const { method, url, headers } = JSON.parse(Buffer.concat(chunks).toString()) as {
          method: string;
          url: string;
          headers: Record<string, string>;
        };
        // The app decides what it signs: here, requests to its own store only.
        if (!url.startsWith(`${endpoint}/`)) return void res.writeHead(403, cors).end('not our store');
        signed.push({ method, url });
        const presign = new URL(req.url ?? '/', 'http://x').searchParams.has('presign');
        const request = await client.sign(url, { method, headers, ...(presign ? { aws: { signQuery: true } } : {}) });
        const answer = presign
          ? { url: request.url, headers: {} }
          : { url: request.url, headers: Object.fromEntries(request.headers) };
        res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(answer));
      })().catch((error: unknown) => res.writeHead(500, cors).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/sign`,
    signed,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
