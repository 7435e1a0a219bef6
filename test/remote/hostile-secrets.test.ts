// Secrets a server (or a proxy, or a caller's fetch) echoes back must not reach an error:
// WebHDFS delegation tokens, which ride in every URL, Authorization headers and session
// tokens quoted in error bodies, and S3 or Azure error messages that quote them. Against a
// scripted store (test/servers/hostile.ts) that echoes what it was sent.
import { afterEach, describe, expect, it } from 'vitest';
import { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import { HadoopFileSystem } from '../../src/fs/hadoop/hadoop-file-system.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { HttpFile } from '../../src/remote/http-file.js';
import { redactSecrets } from '../../src/remote/redact.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { startHostileServer, type HostileServer } from '../servers/hostile.js';

const SECRET = 'sEcReT0123456789abcdef';
const noRetry = { retries: 0 };

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Every text an error carries: message, stack, string form, and its causes'. */
function texts(error: unknown, seen = new Set<unknown>()): string[] {
  if (error === undefined || error === null || seen.has(error)) return [];
  seen.add(error);
  if (!(error instanceof Error)) return [String(error)];
  return [error.message, String(error), error.stack ?? '', ...texts(error.cause, seen)];
}

async function expectNoSecret(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => expect.unreachable('it should have failed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  for (const text of texts(error)) expect(text).not.toContain(SECRET);
}

/** What a server that echoes the request in its error pages says (Jetty, proxies, S3 and Azure error documents). */
function echo(url: string, headers: Record<string, unknown>): string {
  return [
    `Problem accessing ${url}`,
    `Authorization: ${String(headers['authorization'] ?? `AWS4-HMAC-SHA256 Credential=AKID/x, Signature=${SECRET}`)}`,
    `X-Amz-Security-Token: ${SECRET}`,
    `x-ms-copy-source: https://acct.blob.core.windows.net/c/b?sv=1&sig=${SECRET}`,
  ].join('\n');
}

describe('what servers echo stays out of errors', () => {
  it('redactSecrets hides delegation tokens, Authorization and session-token headers, wherever they stand', () => {
    const text = `GET /webhdfs/v1/x?op=OPEN&delegation=${SECRET}&user.name=u\nAuthorization: SharedKey acct:${SECRET}=\nx-amz-security-token: ${SECRET}\nauthorization=Bearer ${SECRET}`;
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(SECRET);
    expect(redacted).toContain('op=OPEN');
  });

  it('WebHDFS: 500 pages, answers that are not JSON, and failures of fetch never show the delegation token', async () => {
    server = await startHostileServer((request, response) => {
      const body = echo(request.url ?? '', request.headers);
      if (request.url?.includes('op=GETFILESTATUS')) return void response.writeHead(500).end(body);
      if (request.url?.includes('op=LISTSTATUS')) return void response.writeHead(200).end(body);
      response.writeHead(403).end(JSON.stringify({ RemoteException: { exception: 'SecurityException', message: body } }));
    });
    const fs = new HadoopFileSystem({ url: server.url, delegationToken: SECRET, retry: noRetry });
    await expectNoSecret(fs.getFileInfo('/x'));
    await expectNoSecret(fs.listDir('/x'));
    await expectNoSecret(fs.createDir('/x'));
    const quoting: FetchLike = async (input) => {
      throw new TypeError(`fetch failed for ${String(input)}`);
    };
    const failing = new HadoopFileSystem({ url: server.url, delegationToken: SECRET, fetch: quoting, retry: noRetry });
    await expectNoSecret(failing.getFileInfo('/x'));
  });

  it('S3: error documents and CopyObject failures that quote the request never show its secrets', async () => {
    server = await startHostileServer((request, response) => {
      const message = echo(request.url ?? '', request.headers);
      const document = `<Error><Code>InternalError</Code><Message>${message}</Message></Error>`;
      if (request.headers['x-amz-copy-source'] !== undefined) return void response.writeHead(200).end(document);
      if (request.method === 'HEAD') return void response.writeHead(200, { 'content-length': '1' }).end();
      response.writeHead(500).end(document);
    });
    const credentials = { accessKeyId: 'AKID', secretAccessKey: SECRET, sessionToken: SECRET };
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials, retry: noRetry });
    await expectNoSecret(fs.listDir('bkt/d'));
    await expectNoSecret(fs.copyFile('bkt/a', 'bkt/b'));
  });

  it('Azure: error messages that quote the request never show the SAS signature', async () => {
    server = await startHostileServer((request, response) => {
      const message = echo(request.url ?? '', request.headers).replace(/\n/g, ' ');
      response
        .writeHead(403, { 'x-ms-error-code': 'AuthenticationFailed' })
        .end(`<Error><Code>AuthenticationFailed</Code><Message>${message}</Message></Error>`);
    });
    const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: `sv=1&sig=${SECRET}`, retry: noRetry });
    await expectNoSecret(fs.listDir('c/d'));
  });

  it('S3: a read redirected to another origin is refused, so the session token and signature never go there', async () => {
    const other = await startHostileServer((_request, response) => void response.writeHead(500).end());
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD') return void response.writeHead(200, { 'content-length': '100', etag: '"e"' }).end();
      response.writeHead(307, { location: `${other.url}/elsewhere` }).end();
    });
    const credentials = { accessKeyId: 'AKID', secretAccessKey: SECRET, sessionToken: SECRET };
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials, retry: noRetry });
    await using file = await fs.openInputFile('bkt/k');
    await expect(file.readAt(0, 10)).rejects.toMatchObject({ code: 'EREMOTE', message: expect.stringContaining('redirect') });
    expect(other.log).toEqual([]);
    await other.stop();
  });

  it("HttpFile: fetch's refusal of a URL with user:password@, which quotes the URL, never shows the password", async () => {
    await expectNoSecret(HttpFile.open(`http://user:${SECRET}@127.0.0.1:9/f`, { retry: noRetry }));
  });
});
