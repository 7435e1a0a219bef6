import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import type { AzureAccountOptions } from '../../src/fs/azure/azure-client.js';
import { AzureFileSystem, type AzureTransferOptions } from '../../src/fs/azure/azure-file-system.js';
import type { RequestSigner } from '../../src/remote/signer.js';
import { decode, encode, randomBytes } from '../helpers.js';
import { freePort } from '../servers/ports.js';
import { startAzureSigner, type AzureSigningServer } from '../servers/azure-signer.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteServer } from '../servers/azurite.js';
import { accountSas, isPutBlock, recordingFetch, sdkClient } from './azure-helpers.js';
import { expectBytes } from './expect-bytes.js';

const MiB = 1024 * 1024;

/** Every text an error shows: name, message, toString, and the same down its causes. */
function everythingShown(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.name, e.message, String(e), e.stack ?? '');
  return parts.join('\n');
}

/** Writes `text` to `path` and reads it back. */
async function roundTrip(fs: AzureFileSystem, path: string, bytes: Uint8Array): Promise<Uint8Array> {
  const out = await fs.openOutputStream(path);
  await out.write(bytes);
  await out.close();
  await using file = await fs.openInputFile(path);
  return file.read();
}

describe('AzureFileSystem authorization and appends, against Azurite', () => {
  let server: AzuriteServer;
  let signing: AzureSigningServer;
  const withKey = (options: Partial<AzureAccountOptions> & AzureTransferOptions = {}) =>
    new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      endpoint: server.endpoint,
      blockSize: MiB,
      ...options,
    });

  beforeAll(async () => {
    server = await startAzurite();
    await sdkClient(server.endpoint).getContainerClient('auth').create();
    // The app's server: it holds the key and signs what the page asks it to.
    signing = await startAzureSigner();
  }, 60_000);
  afterAll(async () => {
    await signing?.stop();
    await server?.stop();
  });

  it('works through a SAS token, with or without its leading ?', async () => {
    const sas = accountSas();
    for (const token of [sas, `?${sas}`]) {
      const recorder = recordingFetch();
      const fs = new AzureFileSystem({
        accountName: AZURITE_ACCOUNT,
        sasToken: token,
        endpoint: server.endpoint,
        blockSize: MiB,
        fetch: recorder.fetch,
      });
      const data = randomBytes(2 * MiB + 1, 11);
      expectBytes(await roundTrip(fs, 'auth/sas/a.bin', data), data);
      await fs.move('auth/sas/a.bin', 'auth/sas/b.bin');
      expect((await fs.listDir('auth/sas')).map((i) => i.path)).toEqual(['auth/sas/b.bin']);
      await fs.deleteDir('auth/sas');
      expect(recorder.requests.every((r) => r.url.searchParams.has('sig') && !r.headers.has('authorization'))).toBe(true);
    }
  });

  it('never shows a SAS signature in an error: refused, unreachable, or quoted by fetch', async () => {
    const secret = 'KnownSecretSignature0123456789abcdefABCDEF=';
    const sas = accountSas().replace(/sig=[^&]*/, `sig=${encodeURIComponent(secret)}`);
    const shown = (text: string) => text.includes(secret) || text.includes(encodeURIComponent(secret));
    const refused = new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      sasToken: sas,
      endpoint: server.endpoint,
      retry: { retries: 0 },
    });
    for (const attempt of [
      () => refused.getFileInfo('auth/x.bin'),
      () => refused.listDir('auth'),
      async () => (await refused.openOutputStream('auth/new.bin')).close(),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'IOError', code: 'EACCES' });
      expect(shown(everythingShown(error))).toBe(false);
    }
    const closed = await freePort();
    const unreachable = new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      sasToken: sas,
      endpoint: `http://127.0.0.1:${closed}/${AZURITE_ACCOUNT}`,
      retry: { retries: 1, baseDelay: 1 },
    });
    const error = await unreachable.getFileInfo('auth/x.bin').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'IOError', code: 'ECONNRESET' });
    expect(shown(everythingShown(error))).toBe(false);
    const quoting = new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      sasToken: sas,
      endpoint: server.endpoint,
      retry: { retries: 0 },
      fetch: (input) => Promise.reject(new TypeError(`Failed to parse URL from ${String(input)}`)),
    });
    const quoted = await quoting.getFileInfo('auth/x.bin').catch((e: unknown) => e);
    expect(quoted).toBeInstanceOf(IOError);
    expect(shown(everythingShown(quoted))).toBe(false);
    expect(() => new AzureFileSystem({ accountName: AZURITE_ACCOUNT, sasToken: `sv=1&x=${secret}` })).toThrow(TypeError);
    expect(
      shown(
        String(
          (() => {
            try {
              new AzureFileSystem({ accountName: AZURITE_ACCOUNT, sasToken: `sv=1&x=${secret}` });
            } catch (e) {
              return e;
            }
          })(),
        ),
      ),
    ).toBe(false);
  });

  it('signs through a signer: the key stays on the signing server', async () => {
    const signer: RequestSigner = async (request) => {
      const answer = await fetch(signing.url, { method: 'POST', body: JSON.stringify(request) });
      return (await answer.json()) as Awaited<ReturnType<RequestSigner>>;
    };
    const fs = new AzureFileSystem({ accountName: AZURITE_ACCOUNT, signer, endpoint: server.endpoint, blockSize: MiB });
    const { signed } = signing;
    signed.length = 0;
    const data = randomBytes(MiB + 3, 12);
    expectBytes(await roundTrip(fs, 'auth/signed/a.bin', data), data);
    await fs.move('auth/signed/a.bin', 'auth/signed/b.bin');
    expect((await fs.listDir('auth/signed')).map((i) => i.path)).toEqual(['auth/signed/b.bin']);
    const block = signed.find(
      (r) => new URL(r.url).searchParams.get('comp') === 'block' && r.headers['content-length'] === String(MiB),
    );
    expect(block).toMatchObject({
      method: 'PUT',
      headers: { 'x-ms-version': expect.any(String), 'x-ms-date': expect.any(String) },
    });
    expect(signed.some((r) => r.headers['range'] !== undefined && r.headers['if-match'] !== undefined)).toBe(true);
    expect(signed.some((r) => r.headers['x-ms-copy-source'] !== undefined)).toBe(true);
    // A signer may also answer with a presigned URL (a SAS) instead of headers.
    const sas = accountSas();
    const presigning = new AzureFileSystem({
      accountName: AZURITE_ACCOUNT,
      endpoint: server.endpoint,
      signer: async ({ url }) => ({ url: `${url}${url.includes('?') ? '&' : '?'}${sas}` }),
    });
    expect(decode(await roundTrip(presigning, 'auth/signed/c.txt', encode('presigned')))).toBe('presigned');
  });

  it('appends to its own block blobs, to blobs made by one Put Blob, and to Append Blobs', async () => {
    const fs = withKey();
    const container = sdkClient(server.endpoint).getContainerClient('auth');
    const first = randomBytes(MiB + 10, 1);
    const more = randomBytes(2 * MiB, 2);
    const cases = {
      'auth/append/ours.bin': async () => void (await roundTrip(fs, 'auth/append/ours.bin', first)),
      'auth/append/put-blob.bin': async () =>
        void (await container.getBlockBlobClient('append/put-blob.bin').upload(first, first.byteLength)),
      'auth/append/append-blob.bin': async () => {
        const blob = container.getAppendBlobClient('append/append-blob.bin');
        await blob.create();
        await blob.appendBlock(first, first.byteLength);
      },
    };
    for (const [path, make] of Object.entries(cases)) {
      await make();
      const recorder = recordingFetch();
      const appending = withKey({ fetch: recorder.fetch });
      const out = await appending.openAppendStream(path);
      expect(out.tell()).toBe(first.byteLength);
      await out.write(more);
      expect(await out.size()).toBe(first.byteLength + more.byteLength);
      await out.close();
      await using file = await fs.openInputFile(path);
      const all = await file.read();
      expectBytes(all.subarray(0, first.byteLength), first);
      expectBytes(all.subarray(first.byteLength), more);
      const appendBlocks = recorder.requests.filter((r) => r.url.searchParams.get('comp') === 'appendblock');
      if (path.endsWith('append-blob.bin')) {
        expect(appendBlocks.map((r) => r.headers.get('x-ms-blob-condition-appendpos'))).toEqual([
          String(first.byteLength),
          String(first.byteLength + MiB),
        ]);
      } else {
        expect(appendBlocks).toEqual([]);
        expect(recorder.requests.some(isPutBlock)).toBe(true);
      }
    }
  });

  it('an append to a block blob is all or nothing: abort keeps the blob, a change meanwhile is ESTALE', async () => {
    const fs = withKey();
    await roundTrip(fs, 'auth/atomic.txt', encode('before'));
    const aborted = await fs.openAppendStream('auth/atomic.txt');
    await aborted.write(randomBytes(2 * MiB, 3));
    await aborted.abort();
    await using kept = await fs.openInputFile('auth/atomic.txt');
    expect(decode(await kept.read())).toBe('before');

    const raced = await fs.openAppendStream('auth/atomic.txt');
    await raced.write(encode(' and after'));
    await sdkClient(server.endpoint).getContainerClient('auth').getBlockBlobClient('atomic.txt').upload('theirs', 6);
    await expect(raced.close()).rejects.toMatchObject({ name: 'IOError', code: 'ESTALE' });
    await using theirs = await fs.openInputFile('auth/atomic.txt');
    expect(decode(await theirs.read())).toBe('theirs');
  });
});
