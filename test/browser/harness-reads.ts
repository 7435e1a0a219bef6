// Page-side checks of reads through the IO worker: its read-ahead batches, read in every way.
import { OpfsFile } from '../../src/io/backends/opfs-file.js';
import { defaultMemoryPool } from '../../src/memory/default-pool.js';
import { checkPattern, fillPattern, MiB, removeEntry } from './pattern.js';

/**
 * Writes `size` pattern bytes to `path` and opens it again in `mode`: the bytes, the file, and
 * how many bytes of pool memory were allocated before it opened (what must be back after).
 */
async function openPatternFile<M extends 'rb' | 'rb+'>(path: string, size: number, mode: M) {
  const model = new Uint8Array(size);
  fillPattern(model, 0);
  const writer = await OpfsFile.open(path, 'wb');
  await writer.write(model);
  await writer.close();
  const poolBefore = defaultMemoryPool().bytesAllocated();
  return { model, poolBefore, file: await OpfsFile.open(path, mode) };
}

export const reads = {
  /**
   * readBuffer through the IO worker in mixed sizes over several read-ahead batches: each buffer
   * checked when it arrives, then overwritten, so two buffers sharing memory would show.
   */
  async readBufferOverBatches() {
    const path = 'uploads/slices.bin';
    const size = 21 * MiB + 123;
    const { file, poolBefore } = await openPatternFile(path, size, 'rb');
    const sizes = [MiB, 100 * 1024, 3 * MiB + 7, 64 * 1024, 1000, 2 * MiB];
    const kept = [];
    let offset = 0;
    let right = true;
    for (let i = 0; offset < size; i++) {
      const buffer = await file.readBuffer(sizes[i % sizes.length]);
      right &&= buffer.size === Math.min(sizes[i % sizes.length]!, size - offset) && checkPattern(buffer.view, offset);
      buffer.view.fill(0xee);
      offset += buffer.size;
      kept.push(buffer);
    }
    const slices = kept.filter((buffer) => buffer.parent !== null).length;
    const end = (await file.readBuffer(MiB)).size;
    await file.close();
    for (const buffer of kept) buffer.release();
    const leaked = defaultMemoryPool().bytesAllocated() - poolBefore;
    await removeEntry('uploads');
    return { right, total: offset, slices, end, leaked };
  },

  /**
   * Small and odd-sized `read()`s through the IO worker, served from its read-ahead batches,
   * with positional reads elsewhere in between: every byte right, and the pool's memory back.
   */
  async readsOverBatches() {
    const path = 'uploads/reads.bin';
    const size = 19 * MiB + 321;
    const { file, poolBefore } = await openPatternFile(path, size, 'rb');
    const sizes = [4093, 1, 70_000, 8 * MiB + 1, 512, 65_536];
    let offset = 0;
    let right = true;
    for (let i = 0; offset < size; i++) {
      const n = sizes[i % sizes.length]!;
      const chunk = await file.read(n);
      right &&= chunk.length === Math.min(n, size - offset) && checkPattern(chunk, offset);
      offset += chunk.length;
      if (i % 97 === 0) {
        const at = (i * 7_919_993) % (size - 4096);
        right &&= checkPattern(await file.readAt(at, 4096), at) && file.tell() === offset;
      }
    }
    const end = (await file.read(10)).length;
    await file.close();
    const leaked = defaultMemoryPool().bytesAllocated() - poolBefore;
    await removeEntry('uploads');
    return { right, total: offset, end, leaked };
  },

  /**
   * Bursts of reads not awaited one by one (sequential `read` and `readBuffer`, positional
   * `readAt`, in random sizes), with awaited writes and seeks between bursts, against a model
   * of the file: every result right, and the pool's memory back after close.
   */
  async readBursts(seed: number) {
    const path = 'uploads/bursts.bin';
    const size = 20 * MiB + 77;
    const { model, file, poolBefore } = await openPatternFile(path, size, 'rb+');
    // mulberry32: an LCG's low bits repeat too soon for small ranges.
    let state = seed;
    const next = (n: number) => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const same = (got: Uint8Array, at: number, n: number) => {
      const want = model.subarray(at, Math.min(size, at + n));
      if (got.length !== want.length) return false;
      for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) return false;
      return true;
    };
    let position = 0;
    let right = true;
    let operations = 0;
    for (let burst = 0; burst < 80; burst++) {
      const results: Promise<boolean>[] = [];
      for (let k = 1 + next(8); k > 0; k--, operations++) {
        const n = [1, 4093, 65_536, 100_000, 3 * MiB][next(5)]!;
        const kind = next(3);
        const at = kind === 2 ? next(size) : position;
        if (kind === 0) results.push(file.read(n).then((got) => same(got, at, n)));
        if (kind === 1) results.push(file.readBuffer(n).then((got) => (same(got.view, at, n) ? (got.release(), true) : false)));
        if (kind === 2) results.push(file.readAt(at, n).then((got) => same(got, at, n)));
        if (kind !== 2) position = Math.min(size, position + n);
      }
      right &&= (await Promise.all(results)).every(Boolean) && file.tell() === position;
      const between = next(8); // mostly nothing; now and then a write, or a seek
      if (between === 0) {
        const bytes = new Uint8Array(1000 + next(70_000)).map(() => next(256));
        position = next(size - bytes.length);
        file.seek(position);
        await file.write(bytes);
        model.set(bytes, position);
        position += bytes.length;
      } else if (between === 1) {
        position = next(size);
        file.seek(position);
      }
    }
    file.seek(0);
    right &&= same(await file.read(), 0, size);
    await file.close();
    const leaked = defaultMemoryPool().bytesAllocated() - poolBefore;
    await removeEntry('uploads');
    return { right, operations, leaked };
  },
};
