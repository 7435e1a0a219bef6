// Resumable Azure uploads among other writers of the same path, against Azurite: an aborted
// upload that staged nothing touches nothing, and a resume takes only its own blocks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureFileSystem } from '../../src/fs/azure/azure-file-system.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { recordingFetch, sdkClient } from './azure-helpers.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;

describe('resumable Azure uploads beside other writers, against Azurite', () => {
  let server: AzuriteServer;
  const fsFor = (fetch?: FetchLike) =>
    new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      endpoint: server.endpoint,
      blockSize: MiB,
      ...(fetch ? { fetch } : {}),
    });
  const read = async (fs: AzureFileSystem, path: string) => {
    await using file = await fs.openInputFile(path);
    return file.read();
  };

  beforeAll(async () => {
    server = await startAzurite();
    await sdkClient(server.endpoint).getContainerClient('edges').create();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('an aborted upload that staged nothing sends nothing, and another suspended upload of the path resumes', async () => {
    const fs = fsFor();
    const data = randomBytes(2 * MiB + 5, 1);
    const suspended = await fs.openOutputStream('edges/shared.bin', { resumable: true });
    await suspended.write(data.subarray(0, MiB + 1));
    await suspended.flush();
    const token = await suspended.suspend();

    const recorded = recordingFetch();
    const empty = await fsFor(recorded.fetch).openOutputStream('edges/shared.bin', { resumable: true });
    const opening = recorded.requests.length; // the open's checks of the path
    await empty.abort();
    expect(recorded.requests.slice(opening).map((request) => `${request.method} ${request.url.search}`)).toEqual([]);

    const resumed = await fs.resumeOutputStream('edges/shared.bin', token);
    expect(resumed.tell()).toBe(MiB);
    await resumed.write(data.subarray(MiB));
    await resumed.close();
    expectBytes(await read(fs, 'edges/shared.bin'), data);
  });

  it("a resume takes only its own blocks, beside another writer's staged at the same path", async () => {
    const fs = fsFor();
    const data = randomBytes(3 * MiB, 2);
    const mine = await fs.openOutputStream('edges/both.bin', { resumable: true });
    await mine.write(data.subarray(0, 2 * MiB));
    await mine.flush();
    const token = await mine.suspend();
    // Another writer stages blocks of the same size at the same path, uncommitted.
    const other = await fs.openOutputStream('edges/both.bin', { resumable: true });
    await other.write(randomBytes(2 * MiB, 3));
    await other.flush();
    await other.suspend();

    const resumed = await fs.resumeOutputStream('edges/both.bin', token);
    expect(resumed.tell()).toBe(2 * MiB);
    await resumed.write(data.subarray(2 * MiB));
    await resumed.close();
    expectBytes(await read(fs, 'edges/both.bin'), data);
  });
});
