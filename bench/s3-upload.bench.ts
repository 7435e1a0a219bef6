/**
 * Uploads of a 1 GiB file to a real S3 (Ceph's RADOS Gateway on 127.0.0.1, test/servers/ceph.ts)
 * from Node: nativefile's resumableUpload and openOutputStream + upload against the AWS SDK's
 * `Upload` (@aws-sdk/lib-storage), the same file (`fs.openAsBlob`), part size (8 MiB) and
 * parts in flight (4); and `upload(file.stream())`, the route a backend without `uploadFrom`
 * takes (parts read into memory), against `upload(file)` sending whole parts as Blob slices.
 * Each round runs every contender once, in a rotating order, each in a
 * fresh process (bench/s3-upload/node-child.mjs), whose own timer spans the client, the reads
 * and the upload to the completed object, and which samples its RSS every 10 ms: the table
 * gives MB/s and the peak RSS growth, against the goal of (4 + 1) × 8 MiB + 16 MiB = 56 MiB.
 *
 * Run: `npx vitest bench --run bench/s3-upload.bench.ts` (after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { startS3 } from '../test/servers/s3.js';
import { median, record, type Row } from './harness.js';

const MiB = 1024 * 1024;
const SIZE = 1024 * MiB;
const PART_SIZE = 8 * MiB;
const CONCURRENCY = 4;
const ROUNDS = Number(process.env.NATIVEFILE_UPLOAD_ROUNDS ?? 5);
const CONTENDERS = [
  'nativefile resumableUpload(File)',
  'nativefile openOutputStream + upload(File)',
  'nativefile openOutputStream + upload(File.stream())',
  '@aws-sdk/lib-storage Upload(File)',
] as const;
const child = fileURLToPath(new URL('./s3-upload/node-child.mjs', import.meta.url));

interface Sample {
  readonly ms: number;
  readonly peakRssGrowth: number;
}

async function runChild(env: Record<string, string>): Promise<Sample> {
  const process_ = spawn(process.execPath, [child], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  process_.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => process_.once('exit', resolve));
  if (status !== 0) throw new Error(`${env['CONTENDER']} exited with ${status}: ${out}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Sample;
}

describe('upload 1 GiB from a file to Ceph S3 (8 MiB parts, 4 in flight)', () => {
  bench(
    '(table printed above)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nativefile-bench-upload-'));
      // Each round writes and deletes 4 GiB; the memstore OSD holds 4 GiB: collect at once.
      process.env['CEPH_RGW_GC_MIN_WAIT'] ??= '0';
      process.env['CEPH_RGW_GC_PERIOD'] ??= '2';
      const server = await startS3(['bench']);
      try {
        const source = join(dir, 'source.bin');
        const data = new Uint8Array(SIZE);
        for (let i = 0; i < SIZE; i += 4) data[i] = (i * 2654435761) >>> 24;
        writeFileSync(source, data);
        const samples = CONTENDERS.map(() => [] as Sample[]);
        for (let round = 0; round < ROUNDS; round++) {
          for (let k = 0; k < CONTENDERS.length; k++) {
            const i = (round + k) % CONTENDERS.length;
            const sample = await runChild({
              CONTENDER: CONTENDERS[i]!,
              ENDPOINT: server.endpoint,
              ACCESS_KEY: server.credentials.accessKeyId,
              SECRET_KEY: server.credentials.secretAccessKey,
              BUCKET: 'bench',
              OBJECT: `round-${round}-${i}.bin`,
              SOURCE: source,
              PART_SIZE: String(PART_SIZE),
              CONCURRENCY: String(CONCURRENCY),
            });
            const head = await server.request(`bench/round-${round}-${i}.bin`, { method: 'HEAD' });
            if (head.headers.get('content-length') !== String(SIZE))
              throw new Error(`${CONTENDERS[i]} uploaded ${head.headers.get('content-length')} bytes`);
            await server.request(`bench/round-${round}-${i}.bin`, { method: 'DELETE' });
            samples[i]!.push(sample);
          }
        }
        const ms = samples.map((s) => median(s.map((x) => x.ms)));
        const rows: Row[] = CONTENDERS.map((name, i) => ({
          name,
          ms: ms[i]!,
          value: SIZE / 1e6 / (ms[i]! / 1000),
          firstOverThis: ms[i]! / ms[0]!,
          pairedFirstOverThis: median(samples[i]!.map((s, r) => s.ms / samples[0]![r]!.ms)),
          samples: samples[i]!.map((x) => x.ms),
        }));
        const sdk = CONTENDERS.length - 1;
        const lines = [`\nupload 1 GiB from a file to Ceph S3 — median of ${ROUNDS} interleaved rounds, each in a fresh process`];
        for (const [i, row] of rows.entries()) {
          const paired = median(samples[sdk]!.map((s, r) => s.ms / samples[i]![r]!.ms));
          const peak = median(samples[i]!.map((s) => s.peakRssGrowth)) / MiB;
          lines.push(
            `  ${row.name.padEnd(44)} ${row.value!.toFixed(0).padStart(5)} MB/s  ${(ms[sdk]! / ms[i]!).toFixed(2)}x of the SDK (paired ${paired.toFixed(2)}x)  peak RSS +${peak.toFixed(0)} MiB`,
          );
        }
        lines.push(`  (goal: at least the SDK's MB/s; peak growth at most (${CONCURRENCY} + 1) × 8 MiB + 16 MiB = 56 MiB)`);
        console.log(lines.join('\n'));
        record('s3-upload', 'upload 1 GiB from a file to Ceph S3 (8 MiB parts, 4 in flight)', rows, 'MB/s');
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
