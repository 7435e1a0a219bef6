// The shared filesystem checks inside a dedicated worker, where OPFS files are synchronous.
import { OpfsFileSystem } from '../../src/fs/opfs/opfs-file-system.js';
import { fileSystemChecks } from '../fs/filesystem-checks.js';

self.onmessage = async (event: MessageEvent<string>) => {
  try {
    postMessage({ ok: await fileSystemChecks(new OpfsFileSystem(), event.data) });
  } catch (error) {
    postMessage({ error: String(error) });
  }
};
