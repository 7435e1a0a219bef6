// The release of an OPFS path's lock (src/opfs/locks.ts) against a model of how browsers run
// Web Locks: one lock manager, which hears each tab and worker on a channel of its own, in
// order on that channel but with no order between channels. A close in one worker, then an
// open the page asks another worker for, raced on such channels: Firefox turned the open away
// (EBUSY) in about one of 300 rounds on a busy machine. The browsers run the real thing in
// test/browser ("a file closed in one IO worker opens at once in another").
import { afterEach, describe, expect, test, vi } from 'vitest';
import { acquire } from '../../src/opfs/locks.js';

type Callback = (lock: { name: string } | null) => unknown;

/** One lock manager: the exclusive locks held, by name. */
class Manager {
  readonly held = new Set<string>();
}

/** A context's view of `manager`: each call reaches it `latency` ms later, in the order made. */
class Channel {
  #last: Promise<void> = Promise.resolve();

  constructor(
    private readonly manager: Manager,
    private readonly latency: number,
  ) {}

  /** Runs `step` at the manager once everything sent before it has arrived. */
  #send<T>(step: () => T): Promise<T> {
    const arrived = this.#last.then(() => new Promise<void>((resolve) => setTimeout(resolve, this.latency)));
    this.#last = arrived;
    return arrived.then(step);
  }

  /** `navigator.locks.request` with `ifAvailable`: the release is sent when `callback`'s promise settles. */
  request(name: string, _options: LockOptions, callback: Callback): Promise<unknown> {
    return this.#send(() => !this.manager.held.has(name) && this.manager.held.add(name)).then(async (granted) => {
      const result = await callback(granted ? { name } : null);
      if (granted) void this.#send(() => this.manager.held.delete(name));
      return result;
    });
  }

  /** `navigator.locks.query`: what the manager holds once this channel's earlier calls arrived. */
  query(): Promise<{ held: Array<{ name: string }> }> {
    return this.#send(() => ({ held: [...this.manager.held].map((name) => ({ name })) }));
  }
}

/** Runs `work` as a context speaking to the lock manager over `channel`. */
async function inContext<T>(channel: Channel, work: () => Promise<T>): Promise<T> {
  vi.stubGlobal('navigator', { locks: channel });
  return work();
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a released OPFS lock', () => {
  test('can be taken by another context as soon as the release resolves, however slow the releaser’s channel', async () => {
    const manager = new Manager();
    const slowWorker = new Channel(manager, 20);
    const otherWorker = new Channel(manager, 0);
    for (let round = 0; round < 3; round++) {
      const release = await inContext(slowWorker, () => acquire('lock', 'exclusive', 'dir/file.bin', false));
      await release();
      const again = await inContext(otherWorker, () => acquire('lock', 'exclusive', 'dir/file.bin', false));
      await again();
    }
    expect(manager.held.size).toBe(0);
  });

  test('is refused to another context while held (EBUSY naming the path); released twice, both calls wait for the one release', async () => {
    const manager = new Manager();
    const release = await inContext(new Channel(manager, 1), () => acquire('lock', 'exclusive', 'dir/file.bin', false));
    const refused = inContext(new Channel(manager, 0), () => acquire('lock', 'exclusive', 'dir/file.bin', false));
    await expect(refused).rejects.toMatchObject({ code: 'EBUSY', message: expect.stringContaining('dir/file.bin') });
    await release();
    await release();
    expect(manager.held.size).toBe(0);
  });
});
