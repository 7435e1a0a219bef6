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

  /**
   * An upload of an endless byte stream to an IO worker terminated after a few chunks (with a
   * write in flight): how the upload ends, and whether the stream stopped being read.
   */
  async uploadWorkerTerminated() {
    const url = new URL('./failing-write-worker.ts', import.meta.url);
    url.searchParams.set('fail', '0'); // no write fails
    const worker = new Worker(url, { type: 'module' });
    const file = await OpfsFile.open('terminated/file.bin', 'wb', { worker, atomic: false });
    let pulled = 0;
    const stream = new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (++pulled === 8) worker.terminate();
        controller.enqueue(new Uint8Array(256 * 1024));
      },
    });
    const error = await file.upload(stream).then(
      () => undefined,
      (failure: unknown) => (failure as { code?: string }).code,
    );
    const closed = await file.close().then(
      () => 'ok',
      (failure: unknown) => (failure as { code?: string }).code,
    );
    await removeEntry('terminated');
    return { error, closed, stoppedReading: pulled < 64 };
  },
};
