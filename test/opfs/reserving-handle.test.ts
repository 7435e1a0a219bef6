// The sizing ahead of an atomic 'wb''s sibling (src/opfs/reserving-handle.ts) over a fake sync
// access handle: the size and bytes its user sees are exactly what was written, whatever the
// length on disk, and a quota that cannot hold the extension only means no extension, in each
// of the ways engines refuse (src/opfs/quota.ts). The browsers run it in test/browser (the
// OPFS contract) and test/opfs-limits (full quotas).
import { describe, expect, test } from 'vitest';
import { ReservingHandle, RESERVE_FROM, RESERVE_STEP, type SyncHandle } from '../../src/opfs/reserving-handle.js';

const MiB = 1024 * 1024;

/** How a fake refuses to grow past its quota: as Chromium on disk, Chromium in memory, Firefox. */
type Refusal = 'QuotaExceededError' | 'silent' | 'NS_ERROR_FILE_NO_DEVICE_SPACE';

/** A sync access handle over memory: a length on disk, bytes only where written (zeros elsewhere). */
class FakeHandle implements SyncHandle {
  length = 0;
  data = new Uint8Array(0);
  readonly truncates: number[] = [];

  constructor(
    private readonly quota = Infinity,
    private readonly refusal: Refusal = 'QuotaExceededError',
  ) {}

  read(buffer: ArrayBufferView, { at = 0 } = {}): number {
    const count = Math.max(0, Math.min(buffer.byteLength, this.length - at));
    const into = new Uint8Array(buffer.buffer, buffer.byteOffset, count).fill(0);
    into.set(this.data.subarray(at, at + count));
    return count;
  }

  write(buffer: ArrayBufferView, { at = 0 } = {}): number {
    const end = at + buffer.byteLength;
    if (end > this.quota && end > this.length) {
      if (this.refusal === 'silent') return 2 ** 32 - 8;
      if (this.refusal === 'NS_ERROR_FILE_NO_DEVICE_SPACE') return 0;
      throw new DOMException('full', 'QuotaExceededError');
    }
    if (end > this.data.length) {
      const grown = new Uint8Array(end);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), at);
    this.length = Math.max(this.length, end);
    return buffer.byteLength;
  }

  getSize(): number {
    return this.length;
  }

  truncate(size: number): void {
    this.truncates.push(size);
    if (size > this.quota && size > this.length) {
      if (this.refusal === 'silent') return;
      throw Object.assign(new Error('full'), { name: this.refusal });
    }
    this.length = size;
    if (this.data.length > size) this.data = this.data.slice(0, size);
  }

  flush(): void {}

  close(): void {}
}

const bytes = (text: string) => new TextEncoder().encode(text);
const readAll = (handle: SyncHandle) => {
  const into = new Uint8Array(handle.getSize() + 10);
  return Array.from(into.subarray(0, handle.read(into, { at: 0 })));
};

describe('ReservingHandle', () => {
  test('extends once to the expected size, and ends where the writes do after a flush', () => {
    const fake = new FakeHandle();
    const handle = new ReservingHandle(fake, MiB, 0);
    handle.write(bytes('0123456789'), { at: 0 });
    expect(fake.length).toBe(MiB);
    handle.write(bytes('ab'), { at: 10 });
    expect(fake.truncates).toEqual([MiB]);
    expect(handle.getSize()).toBe(12);
    expect(readAll(handle)).toEqual(Array.from(bytes('0123456789ab')));
    handle.flush();
    expect(fake.length).toBe(12);
    // After a flush, a write extends again (the file is still being written).
    handle.write(bytes('c'), { at: 12 });
    handle.close();
    expect({ length: fake.length, data: Array.from(fake.data) }).toEqual({
      length: 13,
      data: Array.from(bytes('0123456789abc')),
    });
  });

  test('a file growing past the expected size extends itself, and is not cut on close', () => {
    const fake = new FakeHandle();
    const handle = new ReservingHandle(fake, 100, 0);
    const chunk = new Uint8Array(64).fill(5);
    for (let at = 0; at < 640; at += 64) handle.write(chunk, { at });
    handle.close();
    expect(fake.truncates).toEqual([100]);
    expect(fake.length).toBe(640);
  });

  test('a truncate cuts the extension: skipped bytes are zeros, the size ends at the last write', () => {
    const fake = new FakeHandle();
    const handle = new ReservingHandle(fake, MiB, 0);
    handle.write(bytes('0123456789'), { at: 0 });
    handle.truncate(4);
    handle.write(bytes('xy'), { at: 8 });
    expect(handle.getSize()).toBe(10);
    handle.close();
    expect(Array.from(fake.data.subarray(0, fake.length))).toEqual([48, 49, 50, 51, 0, 0, 0, 0, 120, 121]);
  });

  test('expect() sizes the file for what is coming (an upload of a Blob), a step at most past the write', () => {
    const fake = new FakeHandle();
    const handle = new ReservingHandle(fake, 10, 0);
    handle.expect(5 * MiB);
    handle.write(bytes('a'), { at: 0 });
    expect(fake.length).toBe(5 * MiB);
    const bigFake = new FakeHandle();
    const big = new ReservingHandle(bigFake, 4 * RESERVE_STEP, 0);
    big.write(bytes('a'), { at: 0 });
    expect({ size: big.getSize(), length: bigFake.length }).toEqual({ size: 1, length: RESERVE_STEP + 1 });
  });

  test('a file written no further than RESERVE_FROM is not extended', () => {
    const fake = new FakeHandle();
    const handle = new ReservingHandle(fake, 128 * MiB);
    handle.write(new Uint8Array(RESERVE_FROM), { at: 0 });
    expect(fake.truncates).toEqual([]);
    handle.write(bytes('a'), { at: RESERVE_FROM });
    expect(fake.truncates).toEqual([128 * MiB]);
    handle.close();
    expect(fake.length).toBe(RESERVE_FROM + 1);
  });

  describe.each<Refusal>(['QuotaExceededError', 'silent', 'NS_ERROR_FILE_NO_DEVICE_SPACE'])(
    'a quota that cannot hold the extension (%s)',
    (refusal) => {
      test('writes without extending ahead, and what fits is written whole', () => {
        const fake = new FakeHandle(MiB, refusal);
        const handle = new ReservingHandle(fake, 6 * MiB, 0);
        const chunk = new Uint8Array(64 * 1024).fill(9);
        for (let at = 0; at < MiB; at += chunk.length) expect(handle.write(chunk, { at })).toBe(chunk.length);
        expect(fake.truncates).toEqual([6 * MiB]);
        handle.close();
        expect({ size: handle.getSize(), length: fake.length, ok: fake.data.every((b) => b === 9) }).toEqual({
          size: MiB,
          length: MiB,
          ok: true,
        });
      });

      test('a write past it fails as the engine says, and the size stays', () => {
        const fake = new FakeHandle(MiB, refusal);
        const handle = new ReservingHandle(fake, 0, 0);
        handle.write(new Uint8Array(MiB), { at: 0 });
        let count: number | undefined;
        try {
          count = handle.write(bytes('x'), { at: MiB });
        } catch (error) {
          expect((error as Error).name).toBe('QuotaExceededError');
        }
        if (count !== undefined) expect(count === 0 || count > 1).toBe(true);
        expect(handle.getSize()).toBe(MiB);
        handle.close();
        expect(fake.length).toBe(MiB);
      });
    },
  );
});
