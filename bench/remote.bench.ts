/**
 * Remote files against hyparquet's own HTTP reader, through a loopback proxy that adds
 * 20 ms to every request (a nearby region).
 *
 * Reads: a ~64 MiB Parquet file (8 row groups × 16 DOUBLE columns, uncompressed, 512 KiB
 * per column chunk) served by nginx; each iteration opens the file and hyparquet reads 5
 * adjacent columns of 4 scattered row groups (20 column chunks, 10 MiB), through
 *   - nativefile: `HttpFile` + `asyncBufferOf` (hyparquet's slices batched into `readRanges`),
 *   - hyparquet `asyncBufferFromUrl`, and the same wrapped in `cachedAsyncBuffer`.
 * The proxy counts requests and body bytes; the table printed at the end has them per read.
 *
 * Then the I/O alone: the 20 chunks' byte ranges, with no limit on concurrent requests
 * (Node's fetch) and with at most 6 at once (a browser over HTTP/1.1, modelled by the proxy).
 *
 * Run: `npx vitest bench --run bench/remote.bench.ts` (needs /usr/sbin/nginx).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromUrl, cachedAsyncBuffer, parquetMetadata, parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { bench, describe } from 'vitest';
import { asyncBufferOf } from '../src/adapters/hyparquet.js';
import { HttpFile } from '../src/remote/http-file.js';
import { startFaultProxy, type FaultProxy } from '../test/servers/fault-proxy.js';
import { hasNginx, startNginx, type NginxServer } from '../test/servers/nginx.js';

const GROUPS = 8;
const COLUMNS = 16;
const ROWS_PER_GROUP = 65_536;
const PICKED_COLUMNS = ['c03', 'c04', 'c05', 'c06', 'c07'];
const PICKED_GROUPS = [0, 2, 5, 7];
const LATENCY_MS = 20;
const options = { iterations: 6, warmupIterations: 1, time: 0, warmupTime: 0 };

interface Figures {
  requests: number;
  bytes: number;
  ms: number;
}
let chunkBytes = 0;
/** The byte ranges of the 20 picked column chunks. */
const chunkRanges: Array<{ offset: number; length: number }> = [];

function makeParquet(): Uint8Array {
  const columnData = Array.from({ length: COLUMNS }, (_, c) => {
    const data = new Float64Array(GROUPS * ROWS_PER_GROUP);
    for (let i = 0; i < data.length; i++) data[i] = i * (c + 1) + Math.sin(i);
    return { name: `c${String(c).padStart(2, '0')}`, data, type: 'DOUBLE' as const };
  });
  return new Uint8Array(
    parquetWriteBuffer({ columnData, rowGroupSize: ROWS_PER_GROUP, codec: 'UNCOMPRESSED', statistics: false }),
  );
}

async function readPicked(file: AsyncBuffer): Promise<number> {
  let rows = 0;
  // hyparquet plans the 5 chunks of a row group together; the 4 groups are read at once.
  const reads = PICKED_GROUPS.map((group) =>
    parquetReadObjects({ file, columns: PICKED_COLUMNS, rowStart: group * ROWS_PER_GROUP, rowEnd: (group + 1) * ROWS_PER_GROUP }),
  );
  for (const read of await Promise.all(reads)) rows += read.length;
  return rows;
}

// Vitest runs no hooks around benchmarks: set up at import, clean up at exit.
const read = hasNginx ? await setUpReads() : undefined;

async function setUpReads(): Promise<{ proxy: FaultProxy; url: string }> {
  const parquet = makeParquet();
  const metadata = parquetMetadata(parquet.buffer as ArrayBuffer);
  for (const group of PICKED_GROUPS) {
    for (const column of metadata.row_groups[group]!.columns) {
      const meta = column.meta_data!;
      if (!PICKED_COLUMNS.includes(meta.path_in_schema[0]!)) continue;
      const offset = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      chunkRanges.push({ offset, length: Number(meta.total_compressed_size) });
      chunkBytes += Number(meta.total_compressed_size);
    }
  }
  const server: NginxServer = await startNginx();
  // nginx stops when this process ends (its stdin closes); nothing here has to wait for it.
  server.unref();
  writeFileSync(join(server.root, 'table.parquet'), parquet);
  const proxy = await startFaultProxy(server.url);
  proxy.latencyMs = LATENCY_MS;
  proxy.unref();
  console.log(`file ${(parquet.byteLength / 2 ** 20).toFixed(1)} MiB, the 20 chunks ${(chunkBytes / 2 ** 20).toFixed(1)} MiB`);
  return { proxy, url: `${proxy.url}table.parquet` };
}

function report(name: string, f: Figures): void {
  console.log(
    `${name}: ${f.requests} requests, ${(f.bytes / 2 ** 20).toFixed(2)} MiB (${(f.bytes / chunkBytes).toFixed(3)}x the chunks), ${Math.round(f.ms)} ms`,
  );
}

describe.skipIf(read === undefined)(`20 column chunks of a 64 MiB Parquet file, ${LATENCY_MS} ms per request`, () => {
  const { proxy, url } = read ?? { proxy: undefined as unknown as FaultProxy, url: '' };

  const measure = async (name: string, open: () => Promise<AsyncBuffer>, close?: () => Promise<void>) => {
    proxy.reset();
    const started = performance.now();
    const rows = await readPicked(await open());
    const ms = performance.now() - started;
    await close?.();
    if (rows !== PICKED_GROUPS.length * ROWS_PER_GROUP) throw new Error(`${name} read ${rows} rows`);
    const f = { requests: proxy.requests, bytes: proxy.bytes, ms };
    report(name, f);
  };

  bench(
    'hyparquet asyncBufferFromUrl',
    async () => {
      await measure('hyparquet asyncBufferFromUrl', () => asyncBufferFromUrl({ url }));
    },
    options,
  );

  bench(
    'hyparquet cachedAsyncBuffer(asyncBufferFromUrl)',
    async () => {
      await measure('hyparquet cachedAsyncBuffer', async () => cachedAsyncBuffer(await asyncBufferFromUrl({ url })));
    },
    options,
  );

  bench(
    'nativefile HttpFile + asyncBufferOf',
    async () => {
      let file: HttpFile | undefined;
      await measure(
        'nativefile HttpFile',
        async () => asyncBufferOf((file = await HttpFile.open(url, { readAhead: 0 }))),
        async () => file?.close(),
      );
    },
    options,
  );
});

for (const maxConcurrent of [Infinity, 6]) {
  describe.skipIf(read === undefined)(
    `I/O only: the 20 column chunks' byte ranges, ${LATENCY_MS} ms per request, ${maxConcurrent === Infinity ? 'no limit on' : `at most ${maxConcurrent}`} requests at once`,
    () => {
      const { proxy, url } = read ?? { proxy: undefined as unknown as FaultProxy, url: '' };
      const label = maxConcurrent === Infinity ? '' : ` (${maxConcurrent} at once)`;
      const run = async (name: string, fetchAll: () => Promise<number>) => {
        proxy.reset();
        proxy.maxConcurrent = maxConcurrent;
        const started = performance.now();
        const got = await fetchAll();
        const ms = performance.now() - started;
        if (got !== chunkBytes) throw new Error(`${name} read ${got} bytes`);
        report(`${name}${label}`, { requests: proxy.requests, bytes: proxy.bytes, ms });
        proxy.maxConcurrent = Infinity;
      };
      const total = (parts: ReadonlyArray<{ byteLength: number }>) => parts.reduce((sum, p) => sum + p.byteLength, 0);

      bench(
        'hyparquet asyncBufferFromUrl: slice each chunk',
        async () => {
          await run('I/O hyparquet asyncBufferFromUrl', async () => {
            const file = await asyncBufferFromUrl({ url });
            return total(await Promise.all(chunkRanges.map((r) => file.slice(r.offset, r.offset + r.length))));
          });
        },
        options,
      );

      bench(
        'hyparquet cachedAsyncBuffer: slice each chunk',
        async () => {
          await run('I/O hyparquet cachedAsyncBuffer', async () => {
            const file = cachedAsyncBuffer(await asyncBufferFromUrl({ url }));
            return total(await Promise.all(chunkRanges.map((r) => file.slice(r.offset, r.offset + r.length))));
          });
        },
        options,
      );

      bench(
        'nativefile HttpFile.readRanges',
        async () => {
          await run('I/O nativefile HttpFile.readRanges', async () => {
            await using file = await HttpFile.open(url, { readAhead: 0 });
            return total(await file.readRanges(chunkRanges));
          });
        },
        options,
      );
    },
  );
}
