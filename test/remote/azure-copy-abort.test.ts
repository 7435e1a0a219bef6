// A server-side copy Azure is still making, when the caller aborts: the copy is aborted on the
// store (Abort Copy Blob) whenever the abort lands, while waiting between polls or during one.
import { afterEach, describe, expect, it } from 'vitest';
import { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import { queryOf, startHostileServer, type HostileServer } from '../servers/hostile.js';

describe('an aborted Copy Blob', () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('is aborted on the store when the abort lands during a status poll', async () => {
    let copying = false;
    server = await startHostileServer((request, response) => {
      const query = queryOf(request);
      if (request.method === 'PUT' && query.get('comp') === 'copy') return void response.writeHead(204).end();
      if (request.method === 'PUT') {
        copying = true;
        return void response.writeHead(202, { 'x-ms-copy-status': 'pending', 'x-ms-copy-id': 'c1' }).end();
      }
      if (request.method === 'HEAD' && request.url?.includes('/to.bin') && copying) {
        // The status poll answers late: the abort lands while it is out.
        const answer = () =>
          response.writeHead(200, { 'x-ms-copy-status': 'pending', 'x-ms-copy-id': 'c1', 'x-ms-copy-progress': '1/10' }).end();
        return void setTimeout(answer, 400);
      }
      if (request.method === 'HEAD' && request.url?.includes('/from.bin'))
        return void response.writeHead(200, { 'content-length': '10', etag: '"e"', 'x-ms-blob-type': 'BlockBlob' }).end();
      if (request.method === 'HEAD') return void response.writeHead(404, { 'x-ms-error-code': 'BlobNotFound' }).end();
      response.writeHead(200).end('<EnumerationResults><Blobs/><NextMarker/></EnumerationResults>');
    });
    const fs = new AzureFileSystem({ endpoint: server.url, accountName: 'acct', sasToken: 'sig=x', retry: { retries: 0 } });
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 250);
    await expect(fs.copyFile('c/from.bin', 'c/to.bin', { signal: controller.signal })).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.log.filter((line) => line.includes('comp=copy') && line.includes('copyid=c1'))).toHaveLength(1);
  });
});
