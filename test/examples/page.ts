// The page side of examples.test.ts: runs each browser example (examples/browser/) with the
// inputs a user would give it, and reports what came out as plain data.
import { download } from '../../examples/browser/fetch-into-opfs.js';
import { syncCaptures } from '../../examples/browser/offline-then-upload.js';
import { inspect } from '../../examples/browser/random-access.js';
import { uploadPicked } from '../../examples/browser/resumable-upload.js';
import { storePicked } from '../../examples/browser/store-picked-file.js';
import { OpfsFile, OpfsFileSystem, S3FileSystem } from '../../src/index.js';

const picked = (text: string, name: string): File => new File([text], name, { lastModified: 1_700_000_000_000 });
const read = async (path: string): Promise<string> => {
  await using file = await OpfsFile.open(path);
  return new TextDecoder().decode(await file.read());
};

const harness = {
  async storePicked() {
    const progress = document.getElementById('progress') as HTMLProgressElement;
    await storePicked(picked('x'.repeat(300_000), 'big.txt'), progress, document.getElementById('cancel') as HTMLButtonElement);
    return { progress: progress.value, max: progress.max, stored: (await read('uploads/big.txt')).length };
  },
  async inspect() {
    const { magic, tail, firstLine } = await inspect(picked('PAR1 first line\nsecond\n...ends here', 'a.txt'));
    return { magic, tail: new TextDecoder().decode(tail), firstLine };
  },
  async download(url: string) {
    const count = await download(url, 'downloads/file.json');
    return { count, text: await read('downloads/file.json') };
  },
  async uploadPicked(endpoint: string) {
    const progress: number[] = [];
    const result = await uploadPicked(picked('y'.repeat(6 * 1024 * 1024 + 5), 'video.mp4'), endpoint, (n) => progress.push(n));
    return { result, last: progress.at(-1) };
  },
  async syncCaptures(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
    const opfs = new OpfsFileSystem();
    const out = await opfs.openOutputStream('captures/a.txt');
    await out.write(new TextEncoder().encode('captured offline'));
    await out.close();
    const s3 = new S3FileSystem({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    const shared = await s3.openOutputStream('uploads/ana/shared/note.txt');
    await shared.write(new TextEncoder().encode('from the server'));
    await shared.close();
    await syncCaptures(s3, 'ana');
    return {
      uploaded: (await s3.getFileInfo('uploads/ana/captures/a.txt')).size,
      emptied: (await opfs.listDir('captures')).length,
      back: await read('shared/note.txt'),
    };
  },
};

export type ExamplesHarness = typeof harness;
(globalThis as unknown as { harness: ExamplesHarness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
