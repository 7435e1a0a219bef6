// What opening a directory, or a path through a file, throws: the same IOError everywhere (the
// page's IO worker, the async backend, a dedicated worker's sync access handles).
import { OpfsFile, type OpfsOpenOptions } from '../../src/io/backends/opfs-file.js';

type Thrown = { name: string; code: string | undefined } | 'opened';

async function thrown(open: () => Promise<{ close(): Promise<void> }>): Promise<Thrown> {
  try {
    await (await open()).close();
    return 'opened';
  } catch (error) {
    const { name, code } = error as { name: string; code?: string };
    return { name, code };
  }
}

export async function openErrors(base: string, options: OpfsOpenOptions = {}) {
  const file = await OpfsFile.open(`${base}/dir/inside.bin`, 'wb', options);
  await file.close();
  const plain = await OpfsFile.open(`${base}/plain.bin`, 'wb', options);
  await plain.close();
  return {
    readDirectory: await thrown(() => OpfsFile.open(`${base}/dir`, 'rb', options)),
    writeDirectory: await thrown(() => OpfsFile.open(`${base}/dir`, 'wb', options)),
    belowFile: await thrown(() => OpfsFile.open(`${base}/plain.bin/x`, 'rb', options)),
  };
}
