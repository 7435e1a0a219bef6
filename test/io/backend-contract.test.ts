/**
 * A custom backend (the public `fileClass` contract) that answers with the wrong thing gets a
 * TypeError naming its file class and the method, never a hang: a `readAt` resolving to bytes
 * instead of a count used to spin the read loop forever.
 */
import { describe, expect, it } from 'vitest';
import { fileClass, type Async, type RandomAccessFile, type SyncRandomAccessFile } from '../../src/index.js';
import type { UnderlyingFile } from '../../src/index.js';

class AsyncCustom extends fileClass<Async<RandomAccessFile>>() {
  constructor(backend: UnderlyingFile) {
    super(backend, { kind: 'MyRemoteFile', mode: 'rb', seekable: true, sync: false });
  }
}
class SyncCustom extends fileClass<SyncRandomAccessFile>() {
  constructor(backend: UnderlyingFile) {
    super(backend, { kind: 'MyLocalFile', mode: 'rb', seekable: true, sync: true });
  }
}

const size = () => 100;

describe('a custom backend that breaks the contract', () => {
  it('readAt resolving to bytes instead of a count is a TypeError naming the class and method', async () => {
    const file = new AsyncCustom({ size, readAt: async (_position, into) => into as unknown as number });
    await expect(file.read(10)).rejects.toThrow(
      /MyRemoteFile backend's readAt returned Uint8Array\(10 bytes\), not a count up to 10/,
    );
    await expect(file.readAt(0, 10)).rejects.toThrow(TypeError);
    await expect(file.readBuffer(10)).rejects.toThrow(TypeError);
    await expect(file.readline()).rejects.toThrow(TypeError);
  });

  it('counts out of range, negative, fractional or not numbers are TypeErrors, sync and async', async () => {
    for (const bad of [11, -1, 2.5, Number.NaN, '5', undefined]) {
      const sync = new SyncCustom({ size, readAt: () => bad as number });
      expect(() => sync.readSync(10), String(bad)).toThrow(/MyLocalFile.*readAt/);
      expect(() => sync.readAtSync(0, 10), String(bad)).toThrow(TypeError);
      const async = new AsyncCustom({ size, readAt: async () => bad as number });
      await expect(async.read(10), String(bad)).rejects.toThrow(/MyRemoteFile.*readAt/);
    }
  });

  it('a size that is not a non-negative safe integer is a TypeError', async () => {
    const file = new SyncCustom({ size: () => '100' as unknown as number, readAt: () => 0 });
    expect(() => file.readSync(10)).toThrow(/MyLocalFile.*size returned "100"/);
    const remote = new AsyncCustom({ size: async () => -5, readAt: async () => 0 });
    await expect(remote.size()).rejects.toThrow(/MyRemoteFile.*size returned -5/);
  });
});
