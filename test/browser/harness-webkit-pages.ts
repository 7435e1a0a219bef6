// WebKitGTK checks the single driverless page cannot do alone (webkit-runner.ts calls them):
// a second page on the origin — a same-origin iframe running webkit.html in peer mode, with
// its own modules, IO worker, held files and Web Locks — and IO workers the app gives.
import type { IOError } from '../../src/errors.js';
import { OpfsFile } from '../../src/io/backends/opfs-file.js';
import { reliability } from './harness-opfs.js';
import { contexts } from './opfs-contexts.js';
import { listDir, removeEntry } from './pattern.js';
import { scenarios } from '../opfs-limits/scenarios.js';

type Failure = { error: { name: string; code: string | undefined; message: string } };
const failure = (error: unknown): Failure => {
  const { name, code, message } = error as IOError;
  return { error: { name, code, message } };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

/** What the second page offers: the same OPFS work as this one, on its own module instances. */
export const peerSide = {
  capabilities: contexts.capabilities,
  hold: contexts.hold,
  readText: contexts.readText,
  closeHeld: contexts.closeHeld,
};
type Peer = typeof peerSide;

/** A second same-origin page in an iframe; `close()` removes it (its document goes away). */
async function openPeer(): Promise<{ peer: Peer; close(): void }> {
  const frame = document.createElement('iframe');
  frame.src = new URL('./webkit.html?peer', import.meta.url).href;
  document.body.append(frame);
  const window = () => frame.contentWindow as (Window & { peer?: Peer }) | null;
  for (let waited = 0; window()?.peer === undefined; waited += 20) {
    if (waited > 20_000) throw new Error('the second page did not load within 20 s');
    await sleep(20);
  }
  return { peer: window()!.peer!, close: () => frame.remove() };
}

export const webkitChecks = {
  /**
   * Growing a file past the origin's quota (about 1 GiB in WebKitGTK, which has no
   * navigator.storage.estimate()): ENOSPC, and the file stays as it was.
   */
  quotaTruncate: () => scenarios.truncateBeyond(unique('quota'), { options: {}, sync: false }, 4 * 1024 ** 3),

  /**
   * One store, two pages: what the second page meets while this one holds a file, and what
   * this page meets while the second one replaces it (mirrors the Chromium/Firefox tab tests).
   */
  async twoPages(): Promise<Record<string, unknown>> {
    const { peer, close } = await openPeer();
    const path = `${unique('pages')}/f.txt`;
    const out: Record<string, unknown> = { path, peerCapabilities: peer.capabilities() };
    try {
      out.pageWrites = await contexts.hold(path, 'wb', 'old');
      await contexts.closeHeld();
      // A writer here: the other page's writers are EBUSY, its readers wait (or stop on a signal).
      out.pageHolds = await contexts.hold(path, 'rb+');
      out.peerWriter = await peer.hold(path, 'rb+');
      out.peerReplacer = await peer.hold(path, 'wb');
      out.peerReader = await peer.readText(path);
      out.peerStopped = await peer.readText(path, { wait: true, abortAfter: 300 });
      let settled = false;
      const waiting = peer.readText(path, { wait: true }).finally(() => (settled = true));
      await sleep(300);
      out.peerWaitedFor = settled ? 'nothing' : 'this page';
      await contexts.closeHeld();
      out.peerWaited = await waiting;
      // The other page replaces the file ('wb', atomic): this page reads the old one until it closes.
      out.peerReplaces = await peer.hold(path, 'wb', 'new');
      out.pageWhileReplaced = await contexts.readText(path);
      out.pageWriter = await contexts.hold(path, 'rb+');
      await peer.closeHeld();
      out.pageAfterReplace = await contexts.readText(path);
      out.peerAfterReplace = await peer.readText(path);
    } finally {
      await contexts.closeHeld();
      await peer.closeHeld().catch(() => {});
      close();
    }
    await removeEntry(path.split('/')[0]!);
    return out;
  },

  /**
   * The second page is removed in the middle of replacing a file ('wb', written, never closed):
   * the old file stays, its locks go with it, and the next writer here removes the partial file.
   * Its writer is idle when it goes: WebKitGTK 2.50's web process dies when a removed iframe
   * keeps calling a writable's write() (seen without nativefile too), taking this page with it.
   */
  async pageGoneMidReplace(): Promise<Record<string, unknown>> {
    const dir = unique('gone');
    const path = `${dir}/data.txt`;
    await reliability.writeText(path, 'old');
    const { peer, close } = await openPeer();
    const peerReplaces = await peer.hold(path, 'wb', 'partial');
    const out: Record<string, unknown> = {
      peerReplaces,
      whileWriting: await listDir(dir),
      writerWhileWriting: await contexts.hold(path, 'rb+'),
    };
    await contexts.closeHeld();
    close();
    out.afterGone = await contexts.readText(path, { wait: true, abortAfter: 10_000 });
    let writer: unknown;
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      writer = await contexts.hold(path, 'rb+');
      if ('ok' in (writer as object)) break;
      await sleep(100);
    }
    out.writerAfterGone = writer;
    out.writerAfterMs = Math.round(performance.now() - started);
    await contexts.closeHeld();
    out.afterNextWriter = await listDir(dir);
    out.text = await contexts.readText(path);
    await removeEntry(dir);
    return out;
  },

  /**
   * IO workers the app gives (`{ worker }`): one that fails at start-up, one terminated before
   * use (with a short `startTimeout`), and one that works, which in WebKitGTK cannot reach sync
   * access handles either: with the default `backend: 'auto'` it should serve on the async
   * backend, as the package's own worker does.
   */
  async givenWorkers(): Promise<Record<string, unknown>> {
    const open = (path: string, worker: Worker, options: { startTimeout?: number } = {}) => {
      const started = performance.now();
      return OpfsFile.open(path, 'wb', { worker, ...options }).then(
        async (file) => {
          await file.write(new TextEncoder().encode('given'));
          await file.close();
          return { ok: file.backend, text: (await contexts.readText(path)) as unknown };
        },
        (error: unknown) => ({ ...failure(error), ms: Math.round(performance.now() - started) }),
      );
    };
    const dir = unique('given');
    const bad = new Worker(new URL('./bad-worker.ts', import.meta.url), { type: 'module' });
    const startUp = await open(`${dir}/a.txt`, bad);
    const gone = new Worker(new URL('../../worker/index.ts', import.meta.url), { type: 'module' });
    gone.terminate();
    const terminated = await open(`${dir}/b.txt`, gone, { startTimeout: 500 });
    const own = new Worker(new URL('../../worker/index.ts', import.meta.url), { type: 'module' });
    const working = await open(`${dir}/c.txt`, own);
    own.terminate();
    const defaultWorker = await contexts.hold(`${dir}/d.txt`, 'wb', 'default');
    await contexts.closeHeld();
    await removeEntry(dir);
    return { startUp, terminated, working, defaultWorker };
  },

  /**
   * On a page whose IO worker 404s: every automatic open is `EWORKER` (see
   * harness-opfs.ts `openWithBrokenWorker`), while `backend: 'async'` still reaches OPFS.
   */
  async brokenWorkerAsync(): Promise<Record<string, unknown>> {
    const path = `${unique('broken')}/f.txt`;
    const written = await contexts.hold(path, 'wb', 'async', { backend: 'async' });
    await contexts.closeHeld();
    const read = await contexts.readText(path, { backend: 'async' });
    const auto = await contexts.readText(path);
    await removeEntry(path.split('/')[0]!);
    return { written, read, auto };
  },
};
