// One round of the Node upload benchmark, in a fresh process so that each contender's memory
// is its own: uploads the file SOURCE to Ceph with CONTENDER, then prints one JSON line
// { ms, peakRssGrowth }. The timer spans making the client, reading the file and the upload,
// to the object being complete; imports are before it.
import { openAsBlob } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { resumableUpload, S3FileSystem } from 'nativefile/node';

const { CONTENDER, ENDPOINT, ACCESS_KEY, SECRET_KEY, BUCKET, OBJECT, SOURCE, PART_SIZE, CONCURRENCY } = process.env;
const partSize = Number(PART_SIZE);
const concurrency = Number(CONCURRENCY);
const credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY };

const contenders = {
  async 'nativefile resumableUpload(File)'(file) {
    const fs = new S3FileSystem({
      endpoint: ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      partSize,
      uploadConcurrency: concurrency,
    });
    const store = mkdtempSync(join(tmpdir(), 'nativefile-bench-store-'));
    try {
      await resumableUpload(fs, `${BUCKET}/${OBJECT}`, file, { store });
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  },
  async 'nativefile openOutputStream + upload(File)'(file) {
    const fs = new S3FileSystem({
      endpoint: ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      partSize,
      uploadConcurrency: concurrency,
    });
    const out = await fs.openOutputStream(`${BUCKET}/${OBJECT}`);
    await out.upload(file);
    await out.close();
  },
  // The same File as a stream: the route upload takes where the backend has no uploadFrom
  // (each part read into memory and copied into the part buffer), for what the hook is worth.
  async 'nativefile openOutputStream + upload(File.stream())'(file) {
    const fs = new S3FileSystem({
      endpoint: ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      partSize,
      uploadConcurrency: concurrency,
    });
    const out = await fs.openOutputStream(`${BUCKET}/${OBJECT}`);
    await out.upload(file.stream());
    await out.close();
  },
  async '@aws-sdk/lib-storage Upload(File)'(file) {
    // The SDK's default checksums break this Ceph's streamed uploads: asked only when required.
    const client = new S3Client({
      endpoint: ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await new Upload({ client, params: { Bucket: BUCKET, Key: OBJECT, Body: file }, partSize, queueSize: concurrency }).done();
    client.destroy();
  },
};

const file = await openAsBlob(SOURCE);
// Node's fetch (undici) loads on its first request: loaded here, before the baseline, for every
// contender alike (the SDK sends through node:http, which is loaded already).
await (await fetch(ENDPOINT)).arrayBuffer();
const baseline = process.memoryUsage().rss;
let peak = baseline;
let detail = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peak) [peak, detail] = [now.rss, now];
}, 10);
const started = performance.now();
await contenders[CONTENDER](file);
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
if (process.env.NATIVEFILE_UPLOAD_DETAIL) console.error(CONTENDER, detail);
process.stdout.write(`${JSON.stringify({ ms, peakRssGrowth: peak - baseline })}\n`);
