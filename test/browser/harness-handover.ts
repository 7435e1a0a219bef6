// A file handed between IO workers: each close must free the path for every other context
// before it resolves (src/opfs/locks.ts), or the next open elsewhere is turned away (EBUSY).
import type { IOError } from '../../src/errors.js';
import { OpfsFile, type OpfsOpenOptions } from '../../src/io/backends/opfs-file.js';
import { removeEntry } from './pattern.js';

export const handover = {
  /**
   * `rounds` times, each open made as soon as the close before it resolved: an appender in
   * this page's IO worker, a reader in a second IO worker, an appender there, a reader here.
   * What each refused open said, and whether the file holds every byte appended.
   */
  async closedInOneWorkerOpenedInAnother(rounds: number) {
    const worker = new Worker(new URL('../../worker/index.ts', import.meta.url), { type: 'module' });
    const second: OpfsOpenOptions = { worker };
    const path = 'handover/file.bin';
    const refused: string[] = [];
    const turn = async (round: number, step: string, work: () => Promise<void>) => {
      await work().catch((error: unknown) => void refused.push(`round ${round}, ${step}: ${(error as IOError).code}`));
    };
    const append = (options: OpfsOpenOptions, byte: number) => async () => {
      const file = await OpfsFile.open(path, 'ab', options);
      await file.write(new Uint8Array([byte]));
      await file.close();
    };
    const read = (options: OpfsOpenOptions) => async () => {
      const file = await OpfsFile.open(path, 'rb', options);
      await file.read();
      await file.close();
    };
    await turn(-1, 'create', async () => (await OpfsFile.open(path, 'wb')).close());
    for (let round = 0; round < rounds; round++) {
      await turn(round, 'append here', append({}, 1));
      await turn(round, 'read there', read(second));
      await turn(round, 'append there', append(second, 2));
      await turn(round, 'read here', read({}));
    }
    const file = await OpfsFile.open(path, 'rb');
    const bytes = await file.read();
    await file.close();
    worker.terminate();
    await removeEntry('handover');
    const whole = bytes.length === 2 * rounds && bytes.every((byte, i) => byte === 1 + (i % 2));
    return { refused, whole };
  },
};
