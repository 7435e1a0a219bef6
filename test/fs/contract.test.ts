/**
 * The filesystem contract (filesystem-checks.ts, from pyarrow's test_fs.py) over every store
 * Node reaches, each a real server on 127.0.0.1 started here: the local disk, S3 on Ceph's
 * RADOS Gateway, Azure Blob Storage on Azurite, and HDFS through a WebHDFS protocol fake (no
 * HDFS can run here). OPFS runs the same checks in pages and workers (test/opfs-fs/).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSystem } from '../../src/fs/file-system.js';
import { AzureFileSystem, HadoopFileSystem, LocalFileSystem, S3FileSystem } from '../../src/node.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { startS3, type S3Server } from '../servers/s3.js';
import { startWebHdfs, type WebHdfsServer } from '../servers/webhdfs.js';
import { expectedChecks, fileSystemChecks, STORE_TRAITS, type StoreTraits } from './filesystem-checks.js';
import { edgeChecks, EXPECTED_EDGES } from './filesystem-edge-checks.js';

interface Store {
  readonly traits: StoreTraits;
  /** A filesystem, and an existing empty directory of it for the checks. */
  make(): Promise<{ fs: FileSystem; base: string }>;
}

let s3: S3Server;
let azurite: AzuriteServer;
let hdfs: WebHdfsServer;
let local: string;

const stores: Record<string, Store> = {
  local: {
    traits: STORE_TRAITS.local,
    make: async () => ({ fs: new LocalFileSystem(), base: local }),
  },
  's3 (Ceph)': {
    traits: STORE_TRAITS.s3,
    async make() {
      const fs = new S3FileSystem({
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: s3.credentials,
      });
      await fs.createDir('contract/base');
      return { fs, base: 'contract/base' };
    },
  },
  'azure (Azurite)': {
    traits: STORE_TRAITS.azure,
    async make() {
      const fs = new AzureFileSystem({ accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY, endpoint: azurite.endpoint });
      await fs.createDir('contract/base');
      return { fs, base: 'contract/base' };
    },
  },
  'hdfs (WebHDFS protocol fake)': {
    traits: STORE_TRAITS.hdfs,
    async make() {
      const fs = new HadoopFileSystem({ url: hdfs.url, user: 'alice' });
      await fs.createDir('/contract/base');
      return { fs, base: '/contract/base' };
    },
  },
};

describe('the filesystem contract', () => {
  beforeAll(async () => {
    local = mkdtempSync(join(tmpdir(), 'nativefile-contract-'));
    [s3, azurite, hdfs] = await Promise.all([startS3(['contract']), startAzurite(), startWebHdfs()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([s3?.stop(), azurite?.stop(), hdfs?.stop()]);
    rmSync(local, { recursive: true, force: true });
  });

  for (const name of ['s3 (Ceph)', 'azure (Azurite)'] as const) {
    it(`${name}: the root is never emptied, acceptRootDir or not, and every bucket or container stays`, async () => {
      const { fs, base } = await stores[name]!.make();
      const kept = `${base}/kept.bin`;
      const out = await fs.openOutputStream(kept);
      await out.write(new Uint8Array([1, 2, 3]));
      await out.close();
      for (const options of [{}, { acceptRootDir: true }]) {
        await expect(fs.deleteDirContents('', options)).rejects.toMatchObject({
          name: 'UnsupportedOperationError',
          message: expect.stringMatching(/does not empty its root/),
        });
      }
      expect((await fs.getFileInfo(kept)).type).toBe('file');
      expect((await fs.listDir('')).map((info) => info.path)).toContain('contract');
    });
  }

  for (const [name, store] of Object.entries(stores)) {
    it(`${name}: infos, listings, reads, writes, appends, moves, deletes and their errors`, async () => {
      const { fs, base } = await store.make();
      expect(await fileSystemChecks(fs, base)).toEqual(expectedChecks(store.traits));
    });
    it(`${name}: a file moved onto a directory or below a file, the parent a deleted directory leaves, bad options`, async () => {
      const { fs, base } = await store.make();
      expect(await edgeChecks(fs, base)).toEqual(EXPECTED_EDGES);
    });
  }
});
