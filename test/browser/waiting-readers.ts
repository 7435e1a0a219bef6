// Two readers of a file another context holds, both waiting to open it here: the second's own
// signal must end its wait (where handles cannot be read-only, Firefox, readers here share one
// open, and the second waits on the first's).
import { OpfsFile } from '../../src/io/backends/opfs-file.js';

let first: Promise<{ close(): Promise<void> }> | undefined;

/** Starts both readers of `path` (held elsewhere); aborts the second after 50 ms; what it got. */
export async function secondReaderAborted(path: string): Promise<string> {
  first = OpfsFile.open(path, 'rb', { wait: true });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('stopped')), 50);
  const second = OpfsFile.open(path, 'rb', { wait: true, signal: controller.signal }).then(
    async (file) => {
      await file.close();
      return 'opened';
    },
    (error: Error) => error.message,
  );
  return Promise.race([second, new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 3000))]);
}

/** Closes the first reader once the path was let go. */
export async function closeFirstReader(): Promise<void> {
  await (await first)?.close();
}
