import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncBufferOf } from '../../src/adapters/hyparquet.js';
import { BufferReader } from '../../src/io/backends/buffer-reader.js';
import { S3FileSystem } from '../../src/fs/s3/s3-file-system.js';
import { HttpFile } from '../../src/remote/http-file.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { hasNginx, startNginx, type NginxServer } from '../servers/nginx.js';
import { startS3, type S3Server } from '../servers/s3.js';

const rows = 20_000;
const ids = Array.from({ length: rows }, (_, i) => i);
const names = ids.map((i) => `row-${i}`);
const scores = ids.map((i) => ((i * 7919) % 1000) / 10);
const parquet = new Uint8Array(
  parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids, type: 'INT32' },
      { name: 'name', data: names, type: 'STRING' },
      { name: 'score', data: scores, type: 'DOUBLE' },
    ],
    rowGroupSize: 5000,
  }),
);

function counting(): { fetch: FetchLike; gets: () => number } {
  let gets = 0;
  return {
    gets: () => gets,
    fetch: (input, init) => {
      const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
      if (method === 'GET') gets++;
      return fetch(input, init);
    },
  };
}

async function readSome(file: Parameters<typeof asyncBufferOf>[0]) {
  return parquetReadObjects({ file: await asyncBufferOf(file), columns: ['id', 'name', 'score'], rowStart: 4990, rowEnd: 5010 });
}

const expected = ids.slice(4990, 5010).map((i) => ({ id: i, name: names[i], score: scores[i] }));

describe('hyparquet reads Parquet through asyncBufferOf', () => {
  it('from memory (BufferReader)', async () => {
    expect(await readSome(new BufferReader(parquet))).toEqual(expected);
  });

  describe.skipIf(!hasNginx)('over HTTP (nginx)', () => {
    let server: NginxServer;
    beforeAll(async () => {
      server = await startNginx();
      writeFileSync(join(server.root, 'table.parquet'), parquet);
    });
    afterAll(async () => server?.stop());

    it('rows match, and the column chunks of a read are coalesced into few GETs', async () => {
      const counter = counting();
      await using file = await HttpFile.open(`${server.url}table.parquet`, { fetch: counter.fetch, readAhead: 0 });
      expect(await readSome(file)).toEqual(expected);
      // Footer length, footer, then the 3 columns of each of 2 row groups in one batch.
      expect(counter.gets()).toBeLessThanOrEqual(4);
    });
  });

  describe('over S3 (Ceph)', () => {
    let server: S3Server;
    beforeAll(async () => {
      server = await startS3(['tables']);
    });
    afterAll(async () => server?.stop());

    it('rows match', async () => {
      const s3 = new S3FileSystem({
        endpoint: server.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: server.credentials,
      });
      const out = await s3.openOutputStream('tables/t.parquet');
      await out.write(parquet);
      await out.close();
      await using file = await s3.openInputFile('tables/t.parquet');
      expect(await readSome(file)).toEqual(expected);
    });
  });
});
