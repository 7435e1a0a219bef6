// A file dropped without close() while it replaces another (an atomic 'wb'), found by the
// garbage-collection backstop: the old file must stay whole, and the path be free again.
// Runs on the page (each backend) and in a dedicated worker; needs gc() (Chromium).
import { OpfsFile, type OpfsOpenOptions } from '../../src/io/backends/opfs-file.js';

/** What the path held once the dropped writer was collected, and whether a writer got in. */
export interface DroppedWriter {
  readonly text: string;
  readonly reopened: boolean;
}

export async function droppedAtomicWriter(path: string, options: OpfsOpenOptions = {}): Promise<DroppedWriter> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const encode = (text: string) => new TextEncoder().encode(text);
  const old = await OpfsFile.open(path, 'wb', options);
  await old.write(encode('old complete file'));
  await old.close();
  await (async () => {
    const partial = await OpfsFile.open(path, 'wb', options);
    await partial.write(encode('PARTIAL'));
  })();
  // 'rb+' needs the path's write lock, which the dropped writer holds until it is released.
  for (let i = 0; i < 50; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const file = await OpfsFile.open(path, 'rb+', options).catch(() => undefined);
    if (file !== undefined) {
      const text = new TextDecoder().decode(await file.read());
      await file.close();
      return { text, reopened: true };
    }
  }
  return { text: '', reopened: false };
}
