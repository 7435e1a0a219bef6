// An S3 key with write-only rights (s3:PutObject alone, a common upload-only policy): listing
// and reading are denied. openOutputStream looks below the key for a directory first; a denied
// look says nothing either way, so the write goes on and succeeds as it did before the look.
import { afterEach, describe, expect, it } from 'vitest';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { queryOf, startHostileServer, type HostileServer } from '../servers/hostile.js';

const DENIED = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

describe('S3 with write-only credentials', () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('openOutputStream still uploads when listing and HEAD are denied', async () => {
    server = await startHostileServer((request, response) => {
      const query = queryOf(request);
      if (request.method === 'PUT' && !query.has('partNumber'))
        response.writeHead(200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"' }).end();
      else if (request.method === 'GET' || request.method === 'HEAD')
        response.writeHead(403).end(request.method === 'GET' ? DENIED : undefined);
      else response.writeHead(500).end();
    });
    const fs = new S3FileSystem({
      endpoint: server.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      retry: { retries: 0 },
    });
    const out = await fs.openOutputStream('bucket/uploads/x.bin');
    await out.write(new Uint8Array(10));
    await out.close();
    expect(server.log.filter((line) => line.startsWith('PUT'))).toEqual(['PUT /bucket/uploads/x.bin']);
  });
});
