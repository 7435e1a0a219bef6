/**
 * AzureFileSystem against Microsoft's own client, `@azure/storage-blob`, on Azurite (a child
 * process, so its work is not the client's), interleaved:
 *   - upload of 64 MiB: our output stream fed 1 MiB writes (8 MiB blocks, 4 in flight)
 *     against the SDK's `uploadStream` of the same 1 MiB chunks (8 MiB buffers, 4 in
 *     flight) and its `uploadData` of the whole buffer at once (8 MiB blocks, 4 in flight);
 *   - download of the 64 MiB: `openInputFile().read()` against `downloadToBuffer`;
 *   - 200 random reads of 64 KiB: `readAt` against `download(offset, count)`.
 * Azurite is the bottleneck on loopback: the ratios say whether the client adds to it.
 *
 * Run: `npx vitest bench --run bench/azure.bench.ts` (after `npm run build`).
 */
import { Readable } from 'node:stream';
import { bench, describe } from 'vitest';
import { AzureFileSystem } from 'nativefile';
import { sdkClient } from '../test/remote/azure-helpers.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from '../test/servers/azurite.js';
import { compare } from './harness.js';

const MiB = 2 ** 20;
const SIZE = 64 * MiB;
const RANDOM_READS = 200;
const READ = 64 * 1024;
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const data = new Uint8Array(SIZE).map((_, i) => (i * 2654435761) >>> 24);
const offsets = Array.from({ length: RANDOM_READS }, (_, i) => ((i * 7919 * READ) % (SIZE - READ)) & ~4095);

// Vitest runs no hooks around benchmarks: set up at import, stop at exit.
const azurite = await startAzurite();
process.once('beforeExit', () => void azurite.stop());
const container = sdkClient(azurite.endpoint).getContainerClient('bench');
await container.createIfNotExists();
const fs = new AzureFileSystem({ accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY, endpoint: azurite.endpoint });
const mbPerSecond = { unit: 'MB/s', of: (ms: number) => SIZE / 1e6 / (ms / 1000) };

describe('Azure Blob Storage (Azurite) against @azure/storage-blob', () => {
  bench(
    'upload, download and random reads (tables printed above)',
    async () => {
      await compare(
        'azure',
        'upload of 64 MiB in 1 MiB writes (8 MiB blocks, 4 in flight)',
        [
          {
            name: 'AzureFileSystem.openOutputStream',
            async run() {
              const out = await fs.openOutputStream('bench/ours.bin');
              for (let i = 0; i < SIZE; i += MiB) await out.write(data.subarray(i, i + MiB));
              await out.close();
            },
          },
          {
            name: '@azure/storage-blob uploadStream',
            async run() {
              const chunks = Array.from({ length: SIZE / MiB }, (_, i) => Buffer.from(data.buffer, i * MiB, MiB));
              await container.getBlockBlobClient('sdk-stream.bin').uploadStream(Readable.from(chunks), 8 * MiB, 4);
            },
          },
          {
            name: '@azure/storage-blob uploadData (all in memory)',
            async run() {
              await container.getBlockBlobClient('sdk-data.bin').uploadData(data, { blockSize: 8 * MiB, concurrency: 4 });
            },
          },
        ],
        { per: mbPerSecond, rounds: 7 },
      );
      const sdkBlob = container.getBlobClient('ours.bin');
      await compare(
        'azure',
        'download of 64 MiB',
        [
          {
            name: 'AzureFileSystem.openInputFile + read()',
            async run() {
              const file = await fs.openInputFile('bench/ours.bin');
              if ((await file.read()).byteLength !== SIZE) throw new Error('short read');
              await file.close();
            },
          },
          {
            name: '@azure/storage-blob downloadToBuffer',
            async run() {
              if ((await sdkBlob.downloadToBuffer()).byteLength !== SIZE) throw new Error('short read');
            },
          },
        ],
        { per: mbPerSecond, rounds: 7 },
      );
      await compare(
        'azure',
        `${RANDOM_READS} random reads of 64 KiB`,
        [
          {
            name: 'AzureFile.readAt',
            async run() {
              const file = await fs.openInputFile('bench/ours.bin');
              for (const offset of offsets) await file.readAt(offset, READ);
              await file.close();
            },
          },
          {
            name: '@azure/storage-blob download(offset, count)',
            async run() {
              for (const offset of offsets) {
                const answer = await sdkBlob.download(offset, READ);
                for await (const chunk of answer.readableStreamBody!) void chunk;
              }
            },
          },
        ],
        { per: { unit: 'reads/s', of: (ms: number) => RANDOM_READS / (ms / 1000) }, rounds: 7 },
      );
    },
    once,
  );
});
