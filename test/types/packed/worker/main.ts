// A dedicated worker's types (lib WebWorker, no DOM, no @types/node): the app's own IO worker
// built on the package's service, and OPFS files opened in the worker itself, where they are
// synchronous.
import { BufferReader, OpfsFile, toReadableStream } from 'nativefile';
import { createService, type Call } from 'nativefile/worker';

const serve = createService();
self.addEventListener('message', (event: MessageEvent<Call>) => serve(event.data, self));

export async function appendLog(line: string): Promise<number> {
  const log = await OpfsFile.open('logs/app.log', 'ab');
  try {
    const bytes = new TextEncoder().encode(`${line}\n`);
    if (log.isSync) log.writeSync(bytes);
    else await log.write(bytes);
    return log.tell();
  } finally {
    await log.close();
  }
}

export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return toReadableStream(new BufferReader(bytes));
}
