// Servers that stop answering cannot hang a call: a request without a body gets its answer
// within retry.answerTimeout or fails ETIMEDOUT (retried first), a body that stalls mid-way
// does the same, and so close(), which waits for the reads in flight but stops their retries, settles.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import { HadoopFileSystem } from '../../src/fs/hadoop/hadoop-file-system.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { HttpFile } from '../../src/remote/http-file.js';
import { startHostileServer, type HostileServer } from '../servers/hostile.js';

const SIZE = 1_000_000;
const quick = { retries: 1, baseDelay: 1, answerTimeout: 200 };

describe('servers that stall', () => {
  /** When each ranged GET arrived. */
  const rangedGets: number[] = [];
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/silent')) return; // accepts, never answers
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-length': String(SIZE), 'accept-ranges': 'bytes', etag: '"v1"' }).end();
        return;
      }
      // A ranged GET: the headers and 10 bytes, then nothing more, for ever.
      rangedGets.push(performance.now());
      const [, from, to] = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '') ?? [];
      res.writeHead(206, {
        'content-length': String(Number(to) - Number(from) + 1),
        'content-range': `bytes ${from}-${to}/${SIZE}`,
        etag: '"v1"',
      });
      res.write(new Uint8Array(10));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('close() of a file whose read waits on a stalled body settles once the read times out', async () => {
    const file = await HttpFile.open(`${base}/stalls.bin`, { readAhead: 0, retry: quick });
    const reading = file.readAt(0, 100_000).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await file.close(); // waits for the read, as for any file: it cannot wait for ever
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await reading).toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('close() stops the retries of a read in flight: it waits for the attempt under way, not for every retry', async () => {
    // Six attempts of 400 ms each without the stop; one with it.
    const file = await HttpFile.open(`${base}/stalls.bin`, {
      readAhead: 0,
      retry: { retries: 5, baseDelay: 1, answerTimeout: 400 },
    });
    const reading = file.readAt(0, 100_000).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await file.close();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(await reading).toMatchObject({
      code: 'ETIMEDOUT',
      message: expect.stringMatching(/not retried: the file is closing/),
    });
  });

  it('close() during the only attempt retries: 0 allows says it gave up, not that the close stopped a retry', async () => {
    const file = await HttpFile.open(`${base}/stalls.bin`, { readAhead: 0, retry: { retries: 0, answerTimeout: 200 } });
    const reading = file.readAt(0, 100_000).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await file.close();
    expect(await reading).toMatchObject({ code: 'ETIMEDOUT', message: expect.stringMatching(/^gave up after 1 attempts/) });
  });

  it('close() fails the reads still waiting for a request slot once one in flight failed: nothing more is sent', async () => {
    const retry = { retries: 5, baseDelay: 1, answerTimeout: 300 };
    const file = await HttpFile.open(`${base}/stalls.bin`, { readAhead: 0, concurrency: 1, retry });
    const reads = [0, 1, 2, 3].map((i) => file.readAt(i * 100_000, 1000).catch((error: unknown) => error));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const asked = performance.now();
    await file.close();
    expect(performance.now() - asked).toBeLessThan(1000);
    expect(rangedGets.filter((at) => at > asked)).toEqual([]);
    const [first, ...queued] = await Promise.all(reads);
    expect(first).toMatchObject({ code: 'ETIMEDOUT', message: expect.stringMatching(/not retried: the file is closing/) });
    for (const error of queued) {
      expect(error).toMatchObject({
        code: 'ETIMEDOUT',
        message: expect.stringMatching(/is closing and a read before this one failed/),
      });
    }
  });

  it('a body that stalls mid-way fails ETIMEDOUT after the retries, and a server that never answers too', async () => {
    const file = await HttpFile.open(`${base}/stalls.bin`, { readAhead: 0, retry: quick });
    await expect(file.readAt(0, 100_000)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await file.close();
    await expect(HttpFile.open(`${base}/silent/x.bin`, { retry: quick })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('S3, Azure and WebHDFS metadata calls to a server that never answers fail ETIMEDOUT', async () => {
    const endpoint = `${base}/silent`;
    const s3 = new S3FileSystem({ endpoint, region: 'us-east-1', forcePathStyle: true, retry: quick });
    await expect(s3.getFileInfo('bucket/key')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await expect(s3.listDir('bucket')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const azure = new AzureFileSystem({ accountName: 'acct', sasToken: 'sv=x&sig=y', endpoint, retry: quick });
    await expect(azure.getFileInfo('container/blob')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const hdfs = new HadoopFileSystem({ url: endpoint, retry: quick });
    await expect(hdfs.getFileInfo('/x')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });
});

describe('bodies that stall where only a little was expected', () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('an error answer whose body stalls is retried, then fails ETIMEDOUT or with its status, not hangs', async () => {
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD')
        return void response.writeHead(200, { 'content-length': '1000', 'accept-ranges': 'bytes', etag: '"a"' }).end();
      response.writeHead(503, { 'content-length': '100' }).flushHeaders(); // and no body, ever
    });
    const file = await HttpFile.open(`${server.url}/e.bin`, { readAhead: 0, retry: quick });
    await expect(file.readAt(0, 100)).rejects.toMatchObject({
      name: 'IOError',
      code: expect.stringMatching(/ETIMEDOUT|EREMOTE/),
    });
    await file.close();
  });

  it('an answer with a status past 599 is IOError EREMOTE naming it, not a RangeError of the bounded body', async () => {
    const raw = createServer();
    raw.on('connection', (socket) => {
      // Answered once the request's head has come whole, and the connection closed with it.
      let head = '';
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) socket.end('HTTP/1.1 600 Weird\r\nconnection: close\r\ncontent-length: 5\r\n\r\nweird');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
      const fs = new S3FileSystem({ endpoint: url, region: 'us-east-1', forcePathStyle: true, retry: quick });
      await expect(fs.listDir('bucket/dir')).rejects.toMatchObject({ name: 'IOError', message: expect.stringContaining('600') });
    } finally {
      raw.closeAllConnections();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });

  it('an S3 listing whose body stalls mid-way fails ETIMEDOUT after the retries', async () => {
    server = await startHostileServer((_request, response) => {
      response.writeHead(200, { 'content-length': '5000' });
      response.write('<?xml version="1.0"?><ListBucketResult>');
    });
    const fs = new S3FileSystem({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, retry: quick });
    await expect(fs.listDir('bucket/dir')).rejects.toMatchObject({ name: 'IOError', code: 'ETIMEDOUT' });
  });

  it('opening a file whose server ignores Range: a whole body that stalls is ETIMEDOUT, one cut is ECONNRESET naming the URL', async () => {
    let cut = false;
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD') return void response.writeHead(405).end();
      response.writeHead(200, { 'content-length': '1000' });
      response.write(new Uint8Array(10));
      if (cut) setTimeout(() => response.destroy(), 10);
    });
    await expect(HttpFile.open(`${server.url}/whole.bin`, { retry: quick })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    cut = true;
    await expect(HttpFile.open(`${server.url}/whole.bin`, { retry: quick })).rejects.toMatchObject({
      name: 'IOError',
      code: 'ECONNRESET',
      message: expect.stringContaining('/whole.bin'),
    });
  });

  it('a whole-file limit far above the file costs no memory of that size', async () => {
    server = await startHostileServer((request, response) => {
      if (request.method === 'HEAD') return void response.writeHead(405).end();
      response.writeHead(200, { 'content-length': '10' }).end('0123456789');
    });
    const file = await HttpFile.open(`${server.url}/small.bin`, { retry: quick, wholeFileLimit: 2 ** 40 });
    expect(new TextDecoder().decode(await file.readAt(2, 3))).toBe('234');
    await file.close();
  });
});
