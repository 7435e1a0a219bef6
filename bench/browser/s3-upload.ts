// The page side of bench/browser/s3-upload.mjs: a 1 GiB File (an OPFS file's getFile(), a
// File kept on disk as a picked one is) uploaded to Ceph's S3 gateway by each contender.
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { resumableUpload, S3FileSystem } from '../../src/index.js';

const MiB = 1024 * 1024;
const NAME = 'bench-upload-source.bin';

interface Target {
  readonly endpoint: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly bucket: string;
  readonly key: string;
  readonly partSize: number;
  readonly concurrency: number;
}

/** Writes the source file into OPFS once (`mib` MiB of a pattern). */
async function prepare(mib: number): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle(NAME, { create: true });
  if ((await handle.getFile()).size === mib * MiB) return;
  const writable = await handle.createWritable();
  const chunk = new Uint8Array(MiB).map((_, i) => (i * 2654435761) >>> 24);
  for (let i = 0; i < mib; i++) await writable.write(chunk);
  await writable.close();
}

async function source(): Promise<File> {
  return (await (await navigator.storage.getDirectory()).getFileHandle(NAME)).getFile();
}

const s3 = (t: Target): S3FileSystem =>
  new S3FileSystem({
    endpoint: t.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: t.credentials,
    partSize: t.partSize,
    uploadConcurrency: t.concurrency,
  });

const contenders: Record<string, (file: File, target: Target) => Promise<void>> = {
  async 'nativefile resumableUpload(File)'(file, t) {
    await resumableUpload(s3(t), `${t.bucket}/${t.key}`, file, { store: '.nativefile/bench-uploads' });
  },
  async 'nativefile openOutputStream + upload(File)'(file, t) {
    const out = await s3(t).openOutputStream(`${t.bucket}/${t.key}`);
    await out.upload(file);
    await out.close();
  },
  async '@aws-sdk/lib-storage Upload(File)'(file, t) {
    const client = new S3Client({
      endpoint: t.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: t.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await new Upload({
      client,
      params: { Bucket: t.bucket, Key: t.key, Body: file },
      partSize: t.partSize,
      queueSize: t.concurrency,
    }).done();
    client.destroy();
  },
};

const heap = (): number => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

/** Runs `name` once: milliseconds from making the client to the completed object, and the peak JS heap growth. */
async function run(name: string, target: Target): Promise<{ ms: number; heapGrowth: number }> {
  const file = await source();
  const start = heap();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, heap())), 20);
  const started = performance.now();
  await contenders[name]!(file, target);
  const ms = performance.now() - started;
  clearInterval(sampler);
  return { ms, heapGrowth: Math.max(peak, heap()) - start };
}

(globalThis as unknown as { bench: unknown }).bench = { prepare, run, names: Object.keys(contenders) };
document.getElementById('status')!.textContent = 'ready';
