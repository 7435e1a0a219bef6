// Download a folder of S3 to disk, streaming, with progress; S3 → S3 copies stay on the server.
import { copyFiles, LocalFileSystem, S3FileSystem } from 'nativefile/node';

const s3 = new S3FileSystem({
  endpoint: process.env.S3_ENDPOINT ?? 'https://s3.eu-west-1.amazonaws.com',
  region: process.env.S3_REGION ?? 'eu-west-1',
  forcePathStyle: true,
  credentials: { accessKeyId: process.env.S3_ACCESS_KEY ?? '', secretAccessKey: process.env.S3_SECRET_KEY ?? '' },
});
const [from, to] = [process.argv[2] ?? 'bucket/reports', process.argv[3] ?? './reports'];
const copied = await copyFiles(s3, from, new LocalFileSystem(), to, {
  onProgress: (done, total) => process.stdout.write(`\r${done} of ${total} bytes`),
});
console.log(`\n${copied.files} files`);
