// The remote stores read as an attacker would: names that come back from a server (listing
// keys, WebHDFS suffixes) or from a caller (bucket names) must never make a request reach
// another object, another bucket or another host, nor make copyFiles write outside the
// destination. Against a scripted store (test/servers/hostile.ts): real stores do not answer
// like this on demand.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import { copyFiles } from '../../src/fs/copy-files.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import { HadoopFileSystem } from '../../src/fs/hadoop/hadoop-file-system.js';
import { LocalFileSystem } from '../../src/fs/local/local-file-system.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { pathOf, queryOf, startHostileServer, type HostileServer } from '../servers/hostile.js';

const noRetry = { retries: 0 };
let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** An S3 whose listing of `bkt` holds `keys`; every object exists (4 bytes), every delete succeeds. */
async function s3Listing(keys: readonly string[]): Promise<{ fs: S3FileSystem; server: HostileServer }> {
  const started = await startHostileServer((request, response) => {
    const path = pathOf(request);
    if (queryOf(request).get('list-type') === '2') {
      const contents = keys.map((key) => `<Contents><Key>${key}</Key><Size>4</Size></Contents>`).join('');
      response.writeHead(200).end(`<ListBucketResult><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
    } else if (request.method === 'HEAD' && keys.every((key) => `/bkt/${key}` !== path)) {
      response.writeHead(path.split('/').length > 2 ? 404 : 200).end();
    } else if (request.method === 'HEAD') {
      response.writeHead(200, { 'content-length': '4', etag: '"e"' }).end();
    } else if (request.method === 'GET') {
      response.writeHead(206, { 'content-range': 'bytes 0-3/4', 'content-length': '4', etag: '"e"' }).end('EVIL');
    } else {
      response.writeHead(204).end();
    }
  });
  server = started;
  const fs = new S3FileSystem({ endpoint: started.url, region: 'us-east-1', forcePathStyle: true, retry: noRetry });
  return { fs, server: started };
}

describe('names that come back from a server', () => {
  it("S3 deleteDir never sends a request for a listed key with a '..' segment (it would reach another object, or the bucket)", async () => {
    const { fs, server } = await s3Listing(['dir/a.txt', 'dir/../precious']);
    await expect(fs.deleteDir('bkt/dir')).rejects.toThrow(RangeError);
    const deletes = server.log.filter((line) => line.startsWith('DELETE'));
    expect(deletes).not.toContain('DELETE /bkt/precious');
    expect(deletes).not.toContain('DELETE /bkt/');
    expect(deletes.every((line) => line.startsWith('DELETE /bkt/dir/'))).toBe(true);
  });

  it("Azure deleteDir never sends a request for a listed blob with a '..' segment", async () => {
    server = await startHostileServer((request, response) => {
      if (queryOf(request).get('comp') === 'list') {
        const blobs = ['dir/a.txt', 'dir/../precious'].map(
          (name) => `<Blob><Name>${name}</Name><Properties><Content-Length>4</Content-Length></Properties></Blob>`,
        );
        response.writeHead(200).end(`<EnumerationResults><Blobs>${blobs.join('')}</Blobs><NextMarker/></EnumerationResults>`);
      } else if (request.method === 'HEAD') {
        response.writeHead(404).end();
      } else {
        response.writeHead(request.method === 'PUT' ? 201 : 202).end();
      }
    });
    const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry: noRetry });
    await expect(fs.deleteDir('c/dir')).rejects.toThrow(RangeError);
    expect(
      server.log.filter((line) => line.startsWith('DELETE')).map((line) => pathOf({ url: line.slice(7) } as never)),
    ).not.toContain('/c/precious');
  });

  it("WebHDFS listings whose suffixes are '', '.', '..' or hold a '/' are EPROTO, not a walk elsewhere or a loop", async () => {
    for (const suffix of ['', '.', '..', '../../etc', 'a/b']) {
      server = await startHostileServer((_request, response) => {
        const status = { pathSuffix: suffix, type: 'DIRECTORY', length: 0, modificationTime: 0 };
        const other = { pathSuffix: 'x', type: 'FILE', length: 1, modificationTime: 0 };
        response.writeHead(200).end(JSON.stringify({ FileStatuses: { FileStatus: [status, other] } }));
      });
      const fs = new HadoopFileSystem({ url: server.url, retry: noRetry });
      const error = await fs.listDir('/d', { recursive: true }).catch((e: unknown) => e);
      expect(error, `suffix ${JSON.stringify(suffix)}`).toBeInstanceOf(IOError);
      expect((error as IOError).code).toBe('EPROTO');
      expect((error as IOError).message).toContain(JSON.stringify(suffix));
      expect(server.log).toEqual(['GET /webhdfs/v1/d?op=LISTSTATUS']);
      await server.stop();
      server = undefined;
    }
  });
});

describe('copyFiles from a listing that climbs out of its directory', () => {
  for (const key of ['p/../../../escaped/evil.txt', 'p/./x/../../../escaped/evil.txt']) {
    it(`writes nothing, not even a directory, outside the destination (${key})`, async () => {
      const { fs } = await s3Listing([key, 'p/ok.txt']);
      const root = mkdtempSync(join(tmpdir(), 'nativefile-hostile-'));
      const destination = join(root, 'a', 'b', 'c', 'dest');
      const error = await copyFiles(fs, 'bkt/p', new LocalFileSystem(), destination).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IOError);
      expect((error as IOError).code).toBe('EPROTO');
      expect((error as IOError).message).toMatch(/^the listing of bkt\/p holds "bkt\/p\/\..*", which is not below it/);
      expect(readdirSync(root)).toEqual([]);
      expect(existsSync(join(root, 'a', 'escaped'))).toBe(false);
    });
  }

  it('refuses an entry outside the source directory, whatever the source filesystem', async () => {
    const { fs } = await s3Listing(['p/ok.txt']);
    const liar: FileSystem = {
      typeName: 'liar',
      getFileInfo: async (path: string) => ({ path, type: 'directory' as const }),
      listDir: async () => [{ path: 'bkt/elsewhere/x.txt', type: 'file' as const, size: 4 }],
      openInputStream: (path: string) => fs.openInputStream(path),
      openOutputStream: (path: string) => fs.openOutputStream(path),
    } as unknown as FileSystem;
    const root = mkdtempSync(join(tmpdir(), 'nativefile-hostile-'));
    const error = await copyFiles(liar, 'bkt/p', new LocalFileSystem(), join(root, 'dest')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as IOError).message).toContain('bkt/elsewhere/x.txt');
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('bucket names in virtual-hosted style', () => {
  it('a bucket name that is no DNS label is a RangeError before any request: never another host, never a path-style bucket', async () => {
    const seen: string[] = [];
    const recording: FetchLike = async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response(null, { status: 404 });
    };
    const fs = new S3FileSystem({ region: 'us-east-1', fetch: recording, retry: noRetry });
    for (const bucket of [
      'evil.example?',
      'evil.example#',
      'evil.example\\',
      'a b',
      'a@evil.example',
      'x:81',
      'Upper',
      'a..b',
      'ab',
    ]) {
      await expect(fs.getFileInfo(`${bucket}/victim`), bucket).rejects.toThrow(RangeError);
      await expect(
        fs.openOutputStream(`${bucket}/victim`).then((out) => out.close()),
        bucket,
      ).rejects.toThrow(RangeError);
    }
    expect(seen).toEqual([]);
  });

  it('a DNS-compatible bucket goes to bucket.endpoint', async () => {
    const seen: string[] = [];
    const recording: FetchLike = async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response(null, { status: 404 });
    };
    const fs = new S3FileSystem({ region: 'us-east-1', fetch: recording, retry: noRetry });
    await fs.getFileInfo('my-bucket.v2/k');
    expect(new URL(seen[0]!).host).toBe('my-bucket.v2.s3.us-east-1.amazonaws.com');
  });
});
