// writeIpc over a stream of many chunks into an output stream whose writes settle at once (a
// BufferOutputStream): other tasks (timers, I/O callbacks) must get turns while it runs, as
// the core's own reads and copies give them every 8 MiB.
import { describe, expect, it } from 'vitest';
import { writeIpc } from '../../src/adapters/arrow.js';
import { BufferOutputStream } from '../../src/index.js';
import { turnsDuring } from '../helpers.js';

const MiB = 1024 * 1024;

describe('writeIpc', () => {
  it('lets the event loop run while it writes 64 MiB in 64 KiB chunks', async () => {
    const out = new BufferOutputStream();
    const chunk = new Uint8Array(64 * 1024);
    const chunks = Array.from({ length: (64 * MiB) / chunk.byteLength }, () => chunk);
    const { turns } = await turnsDuring(() => writeIpc(out, chunks));
    expect(out.getValue().size).toBe(64 * MiB);
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('lets the event loop run while an async source hands over 64 MiB', async () => {
    const out = new BufferOutputStream();
    async function* source() {
      for (let i = 0; i < 64; i++) yield new Uint8Array(MiB);
    }
    const { turns } = await turnsDuring(() => writeIpc(out, source()));
    expect(out.getValue().size).toBe(64 * MiB);
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
