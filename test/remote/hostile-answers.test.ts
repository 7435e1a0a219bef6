// The remote stores against answers a misbehaving or malicious server gives: listings whose
// pagination never ends, entries outside the prefix asked for, malformed XML. Each must end
// in an error naming what was wrong, never in a loop, a hang or a crash of another kind.
// Against a scripted store (test/servers/hostile.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import { HadoopFileSystem } from '../../src/fs/hadoop/hadoop-file-system.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { HttpFile } from '../../src/remote/http-file.js';
import { queryOf, startHostileServer, type HostileServer } from '../servers/hostile.js';

const noRetry = { retries: 0 };
const MiB5 = 5 * 1024 * 1024;
let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function expectProtocolError(promise: Promise<unknown>, text: string): Promise<void> {
  const error = await promise.then(
    () => expect.unreachable('it should have failed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IOError);
  expect((error as IOError).code).toBe('EPROTO');
  expect((error as IOError).message).toContain(text);
}

describe('pagination that never ends', () => {
  it('an S3 listing whose continuation token comes back is EPROTO after that page, not a loop', async () => {
    const tokens = ['t1', 't2', 't1'];
    server = await startHostileServer((request, response) => {
      const page = server!.log.length;
      const token = tokens[Math.min(page - 1, tokens.length - 1)];
      response
        .writeHead(200)
        .end(
          `<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>${token}</NextContinuationToken><Contents><Key>d/k${page}</Key><Size>1</Size></Contents></ListBucketResult>`,
        );
      void request;
    });
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry: noRetry });
    await expectProtocolError(fs.listDir('bkt/d'), '"t1"');
    expect(server.log).toHaveLength(3);
  });

  it('an Azure listing whose NextMarker comes back is EPROTO, blobs and containers alike', async () => {
    server = await startHostileServer((request, response) => {
      const containers = queryOf(request).get('restype') !== 'container';
      const entry = containers
        ? '<Containers><Container><Name>c</Name></Container></Containers>'
        : `<Blobs><Blob><Name>d/k${server!.log.length}</Name><Properties><Content-Length>1</Content-Length></Properties></Blob></Blobs>`;
      response.writeHead(200).end(`<EnumerationResults>${entry}<NextMarker>same</NextMarker></EnumerationResults>`);
    });
    const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry: noRetry });
    await expectProtocolError(fs.listDir('c/d'), '"same"');
    expect(server.log).toHaveLength(2);
    server.log.length = 0;
    await expectProtocolError(fs.listDir(''), '"same"');
    expect(server.log).toHaveLength(2);
  });

  it('S3 ListParts whose part-number marker does not grow is EPROTO when resuming, not a loop', async () => {
    server = await startHostileServer((_request, response) => {
      const page = server!.log.length;
      const marker = page % 2 === 0 ? '1' : '2';
      response
        .writeHead(200)
        .end(
          `<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>${marker}</NextPartNumberMarker><Part><PartNumber>${page}</PartNumber><ETag>"e"</ETag><Size>5242880</Size></Part></ListPartsResult>`,
        );
    });
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry: noRetry });
    const token = JSON.stringify({
      nativefile: 'resume',
      v: 1,
      store: 's3',
      path: 'bkt/k',
      uploadId: 'u',
      partSize: 5242880,
      parts: [],
      durable: 0,
    });
    await expectProtocolError(fs.resumeOutputStream('bkt/k', token), 'part-number marker');
    expect(server.log.length).toBeLessThanOrEqual(3);
  });
});

describe('sizes no number holds', () => {
  it('a Content-Length or Content-Range total past 2^53 - 1 is EPROTO quoting it at open, not a file of a rounded size', async () => {
    const huge = '18446744073709551615';
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD')
        return void response.writeHead(200, { 'content-length': huge, 'accept-ranges': 'bytes' }).end();
      response.writeHead(206, { 'content-range': `bytes 0-0/${huge}`, 'content-length': '1' }).end('x');
    });
    await expect(HttpFile.open(`${server.url}/big`, { retry: noRetry })).rejects.toMatchObject({
      code: 'EPROTO',
      message: expect.stringContaining(huge),
    });
    await expect(HttpFile.open(`${server.url}/big?X-Amz-Signature=x`, { retry: noRetry })).rejects.toMatchObject({
      code: 'EPROTO',
      message: expect.stringContaining(huge),
    });
  });
});

describe('ranges answered with other bytes', () => {
  it('a 206 whose body is longer than its Content-Range is EPROTO, not the first bytes of another range', async () => {
    const data = new Uint8Array(4096).map((_, i) => (i * 31 + 7) & 0xff);
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD')
        return void response.writeHead(200, { 'content-length': '4096', 'accept-ranges': 'bytes', etag: '"v1"' }).end();
      const [from, to] = /bytes=(\d+)-(\d+)/
        .exec(request.headers.range ?? '')!
        .slice(1)
        .map(Number) as [number, number];
      // The header says the range asked; the body (chunked) starts 64 bytes before it.
      response.writeHead(206, { 'content-range': `bytes ${from}-${to}/4096`, etag: '"v1"' });
      response.end(data.subarray(Math.max(0, from - 64), to + 1));
    });
    const file = await HttpFile.open(`${server.url}/f.bin`, { readAhead: 0, retry: noRetry });
    await expectProtocolError(file.readAt(1000, 100), 'more than the 100 bytes');
    await file.close();
  });
});

describe('listings that do not hold what was asked', () => {
  it('a WebHDFS GETFILESTATUS answered without a FileStatus is EPROTO naming the path, not a TypeError', async () => {
    server = await startHostileServer((_request, response) => void response.writeHead(200).end('{"boolean":true}'));
    const fs = new HadoopFileSystem({ url: server.url, retry: noRetry });
    await expect(fs.getFileInfo('/odd')).rejects.toMatchObject({
      name: 'IOError',
      code: 'EPROTO',
      message: expect.stringContaining('/odd'),
    });
  });

  it('an S3 listing with keys outside the prefix is EPROTO naming the key, and nothing is deleted', async () => {
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD') return void response.writeHead(404).end();
      response
        .writeHead(200)
        .end(
          '<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>d/ok</Key></Contents><Contents><Key>other/victim</Key></Contents></ListBucketResult>',
        );
    });
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry: noRetry });
    await expectProtocolError(fs.listDir('bkt/d'), '"other/victim"');
    await expectProtocolError(fs.deleteDir('bkt/d'), '"other/victim"');
    expect(server.log.filter((line) => line.startsWith('DELETE'))).toEqual([]);
  });

  it('an S3 store that ignores the prefix makes no path a directory: a write is EPROTO naming the key, not EISDIR', async () => {
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD') return void response.writeHead(404).end();
      response
        .writeHead(200)
        .end('<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>other/x</Key></Contents></ListBucketResult>');
    });
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry: noRetry });
    await expectProtocolError(fs.openOutputStream('bkt/d/new.bin'), '"other/x"');
    await expectProtocolError(fs.getFileInfo('bkt/d/new.bin'), '"other/x"');
  });

  it('an Azure listing with blobs outside the prefix is EPROTO naming the blob', async () => {
    server = await startHostileServer((_request, response) => {
      response
        .writeHead(200)
        .end(
          '<EnumerationResults><Blobs><Blob><Name>d/ok</Name></Blob><Blob><Name>other/victim</Name></Blob></Blobs><NextMarker/></EnumerationResults>',
        );
    });
    const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry: noRetry });
    await expectProtocolError(fs.listDir('c/d'), '"other/victim"');
  });

  it('an Azure blob name marked Encoded with a bad escape is EPROTO, not a URIError', async () => {
    server = await startHostileServer((_request, response) => {
      response
        .writeHead(200)
        .end(
          '<EnumerationResults><Blobs><Blob><Name Encoded="true">d/%E0%A4%A</Name></Blob></Blobs><NextMarker/></EnumerationResults>',
        );
    });
    const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry: noRetry });
    await expectProtocolError(fs.listDir('c/d'), 'd/%E0%A4%A');
  });

  it('XML with a character reference outside Unicode is read, not a RangeError', async () => {
    server = await startHostileServer((_request, response) => {
      response
        .writeHead(200)
        .end(
          '<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>d/a&#x110000;b</Key><Size>1</Size></Contents></ListBucketResult>',
        );
    });
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry: noRetry });
    expect((await fs.listDir('bkt/d')).map((info) => info.path)).toEqual(['bkt/d/a\ufffdb']);
  });
});

describe('redirects of requests that change something', () => {
  /** A store that redirects every request but GETs, whose answer (to a followed redirect) is a 200. */
  async function redirecting(status: number): Promise<HostileServer> {
    return startHostileServer((request, response) => {
      // Nothing at the target of a move, so that its RENAME is sent.
      if (queryOf(request).get('op') === 'GETFILESTATUS')
        return void response
          .writeHead(404)
          .end(
            '{"RemoteException":{"exception":"FileNotFoundException","javaClassName":"java.io.FileNotFoundException","message":"no"}}',
          );
      if (request.method === 'GET') return void response.writeHead(200).end('{"boolean":true}');
      response.writeHead(status, { location: '/elsewhere' }).end();
    });
  }

  for (const status of [301, 302, 303, 307, 308]) {
    it(`S3: a write or a delete answered ${status} fails; the redirect is not followed as a GET that looks like success`, async () => {
      server = await startHostileServer((request, response) => {
        const query = queryOf(request);
        if (request.method === 'POST' && query.has('uploads'))
          return void response
            .writeHead(200)
            .end('<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>');
        if (request.method === 'PUT' && query.has('partNumber')) return void response.writeHead(200, { etag: '"p"' }).end();
        if (request.method === 'DELETE' && query.has('uploadId')) return void response.writeHead(204).end();
        // The open's look for a directory at the key: an empty listing, no marker.
        if (request.method === 'GET' && query.has('list-type')) return void response.writeHead(200).end('<ListBucketResult/>');
        if (request.method === 'HEAD') return void response.writeHead(404).end();
        if (request.method === 'GET') return void response.writeHead(200).end('<Fine/>');
        response.writeHead(status, { location: '/elsewhere' }).end();
      });
      const fs = new S3FileSystem({
        endpoint: server.url,
        region: 'us-east-1',
        forcePathStyle: true,
        retry: noRetry,
        partSize: MiB5,
      });
      const small = await fs.openOutputStream('bkt/key.txt');
      await small.write(new TextEncoder().encode('precious'));
      await expect(small.close()).rejects.toThrow(IOError);
      const large = await fs.openOutputStream('bkt/large.bin');
      await large.write(new Uint8Array(MiB5 + 1));
      await expect(large.close()).rejects.toThrow(IOError);
      await expect(fs.createDir('bkt')).rejects.toThrow(IOError);
      expect(server.log.filter((line) => line.includes('/elsewhere'))).toEqual([]);
    });

    it(`Azure: a commit answered ${status} fails, and so does a delete`, async () => {
      server = await startHostileServer((request, response) => {
        if (request.method === 'HEAD') return void response.writeHead(404, { 'x-ms-error-code': 'BlobNotFound' }).end();
        if (request.method === 'GET')
          return void response.writeHead(200).end('<EnumerationResults><Blobs/><NextMarker/></EnumerationResults>');
        response.writeHead(status, { location: '/elsewhere' }).end();
      });
      const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry: noRetry });
      const out = await fs.openOutputStream('c/key.txt');
      await out.write(new TextEncoder().encode('precious'));
      await expect(out.close()).rejects.toThrow(IOError);
      await expect(fs.deleteDir('c')).rejects.toThrow(IOError);
      expect(server.log.filter((line) => line.startsWith('GET /elsewhere'))).toEqual([]);
    });

    it(`WebHDFS: MKDIRS, RENAME and DELETE answered ${status} fail, not read a GET's answer as theirs`, async () => {
      server = await redirecting(status);
      const fs = new HadoopFileSystem({ url: server.url, retry: noRetry });
      await expect(fs.createDir('/d')).rejects.toThrow(IOError);
      await expect(fs.move('/a', '/b')).rejects.toThrow(IOError);
      expect(server.log.filter((line) => line.startsWith('GET /elsewhere'))).toEqual([]);
    });
  }
});

describe('bodies that fail mid-way', () => {
  it('a listing cut off mid-body is retried, then IOError ECONNRESET: S3, Azure and WebHDFS alike', async () => {
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-length': '1000' });
      response.write('<ListBucketResult><IsTruncated>false</IsTruncated>');
      setTimeout(() => response.destroy(), 10);
    });
    const retry = { retries: 2, baseDelay: 1 };
    const stores = [
      new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry }),
      new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry }),
      new HadoopFileSystem({ url: server.url, retry }),
    ];
    for (const [i, fs] of stores.entries()) {
      server.log.length = 0;
      const error = await fs.listDir(i === 2 ? '/d' : 'c/d').catch((e: unknown) => e);
      expect(error, fs.typeName).toBeInstanceOf(IOError);
      expect((error as IOError).code).toBe('ECONNRESET');
      expect(server.log.filter((line) => !line.startsWith('HEAD'))).toHaveLength(3);
    }
  });

  it("an append that stages a blob's bytes again refuses a range answered with other bytes, staging nothing", async () => {
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD')
        return void response.writeHead(200, { 'content-length': '10', etag: '"e"', 'x-ms-blob-type': 'BlockBlob' }).end();
      if (queryOf(request).get('comp') === 'blocklist')
        return void response.writeHead(200).end('<BlockList><CommittedBlocks/></BlockList>');
      if (request.method === 'GET') return void response.writeHead(200).end('0123456789abcdefghij');
      response.writeHead(201).end();
    });
    const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry: noRetry });
    const error = await fs.openAppendStream('c/b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as IOError).code).toBe('EPROTO');
    expect(server.log.filter((line) => line.startsWith('PUT'))).toEqual([]);
  });
});

describe('failures that must stay failures', () => {
  it('an Append Blob stream whose Append Block failed is failed: close() rejects, and sends nothing more', async () => {
    let appends = 0;
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD')
        return void response.writeHead(200, { 'content-length': '0', etag: '"e"', 'x-ms-blob-type': 'AppendBlob' }).end();
      appends += 1;
      response.writeHead(appends === 1 ? 500 : 201).end();
    });
    const fs = new AzureFileSystem({
      endpoint: server.url,
      accountName: 'acct',
      sasToken: 'sig=x',
      retry: noRetry,
      blockSize: 1024,
    });
    const out = await fs.openAppendStream('c/log.txt');
    await expect(out.write(new Uint8Array(2048))).rejects.toThrow(IOError);
    await expect(out.close()).rejects.toThrow(IOError);
    expect(appends).toBe(1);
  });

  it('an Azure signer that refuses is EACCES naming the request, asked once, not retried as a network error', async () => {
    let asked = 0;
    const fs = new AzureFileSystem({
      endpoint: 'http://127.0.0.1:9',
      accountName: 'acct',
      retry: { retries: 3, baseDelay: 1 },
      signer: async () => {
        asked += 1;
        throw new Error('not allowed');
      },
    });
    const error = await fs.getFileInfo('c/b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as IOError).code).toBe('EACCES');
    expect((error as IOError).message).toContain('not allowed');
    expect(asked).toBe(1);
  });

  it('an S3 resume token whose part size is past S3 largest part (5 GiB) is a RangeError before any request', async () => {
    server = await startHostileServer((_request, response) => void response.writeHead(500).end());
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry: noRetry });
    const partSize = 2 ** 40;
    const token = JSON.stringify({
      nativefile: 'resume',
      v: 1,
      store: 's3',
      path: 'bkt/k',
      uploadId: 'u',
      partSize,
      parts: [],
      durable: 0,
    });
    await expect(fs.resumeOutputStream('bkt/k', token)).rejects.toThrow(RangeError);
    expect(server.log).toEqual([]);
  });
});
