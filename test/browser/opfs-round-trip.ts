// The OPFS round trip the service-worker and no-worker-page harnesses run in their contexts:
// `OpfsFile.open` chooses the backend by itself there, which the result reports.
import { OpfsFile } from '../../src/index.js';
import { checkPattern, fillPattern, MiB, removeEntry } from './pattern.js';

/** What {@link roundTrip} found. */
export interface RoundTripResult {
  same: boolean;
  size: number;
  atEnd: boolean;
  writer: string;
  reader: string;
  isSync: boolean;
}

/**
 * Writes `mib` MiB of the pattern in 1 MiB writes ('wb') in a new folder named after
 * `prefix`, closes, reads it back ('rb'), and removes the folder.
 */
export async function roundTrip(prefix: string, mib: number): Promise<RoundTripResult> {
  const folder = `${prefix}-${Math.random().toString(36).slice(2)}`;
  const path = `${folder}/data.bin`;
  const total = mib * MiB;
  try {
    const writer = await OpfsFile.open(path, 'wb');
    const chunk = new Uint8Array(MiB);
    for (let offset = 0; offset < total; offset += MiB) {
      fillPattern(chunk, offset);
      await writer.write(chunk);
    }
    await writer.close();
    const reader = await OpfsFile.open(path, 'rb');
    const size = await reader.size();
    let same = size === total;
    for (let offset = 0; offset < total && same; offset += MiB) same = checkPattern(await reader.read(MiB), offset);
    const atEnd = (await reader.read(10)).length === 0;
    await reader.close();
    return { same, size, atEnd, writer: writer.backend, reader: reader.backend, isSync: reader.isSync };
  } finally {
    await removeEntry(folder);
  }
}
