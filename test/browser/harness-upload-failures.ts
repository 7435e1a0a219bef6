// Page-side checks of an upload to an IO worker that fails one of its writes while the page
// has the next one in flight (failing-write-worker.ts).
import { OpfsFile } from '../../src/io/backends/opfs-file.js';
import { readAll } from './harness-upload.js';
import { checkPattern, fillPattern, removeEntry } from './pattern.js';

export const uploadFailures = {
  /**
   * An upload of a byte stream of `chunks` 256 KiB pattern chunks, from the start of a file
   * written in place, to an IO worker whose `failAt`-th write fails (failing-write-worker.ts;
   * the page sends each chunk before the worker answered the one before): what the upload
   * rejected with, the file's position and size after it and what is on disk; then what is on
   * disk once the rest of the pattern is appended through the same worker.
   */
  async uploadWriteFails(chunks: number, failAt: number) {
    const url = new URL('./failing-write-worker.ts', import.meta.url);
    url.searchParams.set('fail', String(failAt));
    const worker = new Worker(url, { type: 'module' });
    const size = 256 * 1024;
    const pattern = (from: number) => {
      let produced = from;
      return new ReadableStream({
        type: 'bytes',
        pull(controller) {
          if (produced >= chunks * size) return controller.close();
          const chunk = new Uint8Array(size - (produced % size));
          fillPattern(chunk, produced);
          produced += chunk.length;
          controller.enqueue(chunk);
        },
      });
    };
    const path = 'failing/file.bin';
    const file = await OpfsFile.open(path, 'wb', { worker, atomic: false });
    const error = await file.upload(pattern(0)).then(
      () => undefined,
      (failure: unknown) => (failure as Error).message,
    );
    const after = { position: file.tell(), size: await file.size() };
    await file.close();
    const back = await readAll(path);
    const rest = await OpfsFile.open(path, 'ab', { worker });
    await rest.upload(pattern(back.length));
    await rest.close();
    worker.terminate();
    const whole = await readAll(path);
    await removeEntry('failing');
    return {
      error,
      ...after,
      onDisk: back.length,
      intact: checkPattern(back, 0),
      afterRest: { size: whole.length, intact: checkPattern(whole, 0) },
    };
  },
};
