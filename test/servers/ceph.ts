import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { S3_TEST_CREDENTIALS } from './s3-credentials.js';

/** Where Debian's radosgw package puts the gateway. */
export const RADOSGW = '/usr/bin/radosgw';

/** Whether Ceph's S3 gateway is installed (`.ci/run` installs it). */
export const hasCeph = existsSync(RADOSGW) && existsSync('/usr/bin/ceph-mon') && existsSync('/usr/bin/ceph-osd');

/** The user the starter creates. */
export const CEPH_CREDENTIALS = S3_TEST_CREDENTIALS;

/** A running Ceph RADOS Gateway: a real S3 that checks SigV4, multipart uploads, CORS and presigned URLs. */
export interface CephServer {
  /** The endpoint, for `S3FileSystem({ endpoint, region: 'us-east-1', forcePathStyle: true })`. */
  readonly endpoint: string;
  readonly credentials: typeof CEPH_CREDENTIALS;
  /** Stops every daemon and removes the cluster's data. */
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('./ceph-s3.sh', import.meta.url));

/**
 * Starts a one-node Ceph (monitor, memstore OSD, radosgw) on free loopback ports in about
 * 2 s. The daemons die with the starter script, which dies when this process closes its
 * stdin, on {@link CephServer.stop} or when this process dies.
 */
export async function startCeph(timeoutMs = 60_000): Promise<CephServer> {
  if (!hasCeph)
    throw new Error('Ceph is not installed: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common');
  const dir = mkdtempSync(join(tmpdir(), 'nativefile-ceph-'));
  const [rgwPort, monPort] = [await freePort(), await freePort()];
  const { accessKeyId, secretAccessKey } = CEPH_CREDENTIALS;
  const child = spawn('bash', [script, dir, String(rgwPort), String(monPort), accessKeyId, secretAccessKey], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Ceph did not start in ${timeoutMs} ms: ${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /READY (\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the Ceph starter exited: ${output}`));
    });
  });
  try {
    const endpoint = await ready;
    return {
      endpoint,
      credentials: CEPH_CREDENTIALS,
      async stop() {
        child.stdin.end();
        await exited;
      },
    };
  } catch (error) {
    child.stdin.end();
    await exited;
    throw error;
  }
}
