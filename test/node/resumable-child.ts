// A Node program uploading a file with resumableUpload, for the test that kills it mid-way:
// it prints "DURABLE <bytes>" each time the bytes durable grow. Bundled by the test (esbuild).
import { OSFile, resumableUpload, S3FileSystem } from '../../src/node.js';

const env = (name: string): string => process.env[name] ?? '';
const [ENDPOINT, ACCESS_KEY, SECRET_KEY, SOURCE, TARGET, STORE] = [
  'ENDPOINT',
  'ACCESS_KEY',
  'SECRET_KEY',
  'SOURCE',
  'TARGET',
  'STORE',
].map(env) as [string, string, string, string, string, string];
const s3 = new S3FileSystem({
  endpoint: ENDPOINT,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  partSize: 5 * 1024 * 1024,
  uploadConcurrency: 2,
});
const source = new OSFile(SOURCE);
await resumableUpload(s3, TARGET, source, {
  store: STORE,
  onProgress: (durable) => process.stdout.write(`DURABLE ${durable}\n`),
});
process.stdout.write('DONE\n');
