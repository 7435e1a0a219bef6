// resumableUpload in Node against Ceph: a process uploading 40 MiB is killed after three
// parts; another call with the same file resumes from the token kept on disk, sends none of
// the parts the store held, and the object is byte-exact.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSFile, resumableUpload, S3FileSystem, type ResumableFileSystem } from '../../src/node.js';
import { expectBytes } from '../remote/expect-bytes.js';
import { randomBytes } from '../helpers.js';
import { startFaultProxy, type FaultProxy } from '../servers/fault-proxy.js';
import { startS3, type S3Server } from '../servers/s3.js';

const MiB = 1024 * 1024;
const PART = 5 * MiB;

describe('resumableUpload in Node', () => {
  let server: S3Server;
  let proxy: FaultProxy;
  let dir: string;
  let child: string;
  const partsSent: number[] = [];

  beforeAll(async () => {
    [server, dir] = [await startS3(['resume']), mkdtempSync(join(tmpdir(), 'nativefile-resume-'))];
    proxy = await startFaultProxy(server.endpoint, { keepHost: true });
    proxy.plan = (_, req) => {
      const number = new URL(req.url ?? '/', 'http://x').searchParams.get('partNumber');
      if (req.method === 'PUT' && number !== null) partsSent.push(Number(number));
      return { kind: 'pass' };
    };
    child = join(dir, 'child.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./resumable-child.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: child,
      logLevel: 'error',
      // The addon loader's require() of node-gyp-build works from the bundle's ESM wrapper.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const fsFor = () =>
    new S3FileSystem({
      endpoint: proxy.url.replace(/\/$/, ''),
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: server.credentials,
      partSize: PART,
      uploadConcurrency: 2,
    });

  it('a process killed after three parts is resumed by the next call, sending no part again', async () => {
    const data = randomBytes(40 * MiB + 777, 40);
    const source = join(dir, 'big.bin');
    const store = join(dir, 'store');
    writeFileSync(source, data);

    const running = spawn(process.execPath, [child], {
      env: {
        ...process.env,
        ENDPOINT: proxy.url.replace(/\/$/, ''),
        ACCESS_KEY: server.credentials.accessKeyId,
        SECRET_KEY: server.credentials.secretAccessKey,
        SOURCE: source,
        TARGET: 'resume/big.bin',
        STORE: store,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    running.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killed = await new Promise<number>((resolve, reject) => {
      let seen = '';
      running.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const durable = Math.max(0, ...[...seen.matchAll(/DURABLE (\d+)/g)].map((m) => Number(m[1])));
        if (durable >= 3 * PART) {
          running.kill('SIGKILL');
          resolve(durable);
        }
      });
      running.once('exit', () => reject(new Error(`the child ended before three parts: ${seen} ${stderr}`)));
    });
    await new Promise((resolve) => running.once('exit', resolve));
    expect(killed).toBeGreaterThanOrEqual(3 * PART);

    // What the store held when the process died: each part S3 lists was sent before the kill.
    const [uploadId] = await server.pendingUploads('resume');
    const listing = await (await server.request(`resume/big.bin?uploadId=${uploadId}`)).text();
    const held = [...listing.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
    expect(held.length).toBeGreaterThanOrEqual(3);

    partsSent.length = 0;
    const progress: number[] = [];
    await using file = new OSFile(source);
    const result = await resumableUpload(fsFor(), 'resume/big.bin', file, { store, onProgress: (bytes) => progress.push(bytes) });
    expect(result.resumedFrom).toBeGreaterThanOrEqual(3 * PART);
    expect(partsSent.filter((n) => held.includes(n) && n <= result.resumedFrom / PART)).toEqual([]);
    expect(Math.min(...partsSent)).toBe(result.resumedFrom / PART + 1);
    expect(progress[0]).toBe(result.resumedFrom);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(data.byteLength);

    await using uploaded = await fsFor().openInputFile('resume/big.bin');
    expectBytes(await uploaded.read(), data);
    expect(await server.pendingUploads('resume')).toEqual([]);
    expect(readdirSync(store)).toEqual([]);
  });

  it('a changed source is not resumed from the other one: a new upload', async () => {
    const store = join(dir, 'store2');
    const source = join(dir, 'changing.bin');
    writeFileSync(source, randomBytes(12 * MiB, 1));
    const controller = new AbortController();
    const first = new OSFile(source);
    const aborted = resumableUpload(fsFor(), 'resume/changing.bin', first, {
      store,
      signal: controller.signal,
      onProgress: (bytes) => bytes >= PART && controller.abort(new Error('stop here')),
    });
    await expect(aborted).rejects.toThrow('stop here');
    await first.close();
    expect(readdirSync(store).filter((name) => name.endsWith('.json'))).toHaveLength(1);

    const changed = randomBytes(12 * MiB, 2); // same name and size, other bytes
    writeFileSync(source, changed);
    await using second = new OSFile(source);
    const result = await resumableUpload(fsFor(), 'resume/changing.bin', second, { store });
    expect(result.resumedFrom).toBe(0);
    await using uploaded = await fsFor().openInputFile('resume/changing.bin');
    expectBytes(await uploaded.read(), changed);
  });

  it('refuses a filesystem without resumable uploads, and a source that is not one', async () => {
    const { LocalFileSystem } = await import('../../src/node.js');
    // A type error too (fs is a ResumableFileSystem); JavaScript callers get the TypeError.
    const local = new LocalFileSystem() as unknown as ResumableFileSystem;
    await expect(resumableUpload(local, join(dir, 'x'), new Blob(['x']))).rejects.toThrow(TypeError);
    await expect(resumableUpload(fsFor(), 'resume/x', 'text' as unknown as Blob)).rejects.toThrow(TypeError);
  });
});
