// A page of a Vite "vanilla-ts" app (its tsconfig as `npm create vite` writes it, with
// skipLibCheck off and no @types/node): a picked file stored into OPFS through an IO worker
// the app starts itself, then read back at random and shown as a stream.
import { BlobFile, FileNotFoundError, OpfsFile, defaultMemoryPool, toReadableStream, type OpfsReader } from 'nativefile';
import type { WorkerMessage } from 'nativefile/worker';

const worker = new Worker(new URL('nativefile/worker', import.meta.url), { type: 'module' });
worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => console.debug(event.data));

const picker = document.querySelector<HTMLInputElement>('#picker')!;
const progress = document.querySelector<HTMLProgressElement>('#progress')!;

async function store(picked: File, signal: AbortSignal): Promise<OpfsReader> {
  const header = await new BlobFile(picked).readAt(0, 16);
  console.log(`${picked.name} starts with ${header.byteLength} bytes`, defaultMemoryPool().backendName);
  const written = await OpfsFile.open(`uploads/${picked.name}`, 'wb', { worker });
  try {
    await written.upload(picked, { signal, onProgress: (done, total) => (progress.value = done / (total ?? done)) });
  } finally {
    await written.close();
  }
  return OpfsFile.open(`uploads/${picked.name}`, 'rb', { worker });
}

picker.addEventListener('change', async () => {
  const picked = picker.files?.[0];
  if (picked === undefined) return;
  try {
    const stored = await store(picked, AbortSignal.timeout(60_000));
    const size = await stored.size();
    const tail: Uint8Array = await stored.readAt(Math.max(0, size - 8), 8);
    console.log(tail);
    await new Response(toReadableStream(stored)).text();
  } catch (error) {
    if (error instanceof FileNotFoundError) console.error(error.code, error.message);
    else throw error;
  }
});
