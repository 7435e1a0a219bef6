import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

/** Azurite's development account (its documented, public credentials). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
/** The development account's key: public, documented by Microsoft, only good for the emulator. */
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A running Azurite Blob service on 127.0.0.1. */
export interface AzuriteServer {
  /** The account's endpoint, `http://127.0.0.1:PORT/devstoreaccount1`. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Where npm put the `azurite-blob` script. */
function azuriteBlobScript(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');
}

/**
 * Starts Azurite's Blob service (Microsoft's emulator, from npm) as a child process on a free
 * loopback port, storing in a fresh temporary folder. `--disableTelemetry` keeps it from
 * reaching out to the internet; `--loose` lets it ignore headers it does not know.
 */
export async function startAzurite(): Promise<AzuriteServer> {
  const location = mkdtempSync(join(tmpdir(), 'nativefile-azurite-'));
  const port = await freePort();
  const args = [
    azuriteBlobScript(),
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(port),
    '--location',
    location,
    '--silent',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--loose',
    // AZURITE_DEBUG=file writes Azurite's debug log there (what it received, why it refused).
    ...(process.env.AZURITE_DEBUG === undefined ? [] : ['--debug', process.env.AZURITE_DEBUG]),
  ];
  // Azurite runs under a shell that kills it when our end of its stdin closes: on stop(), and
  // also when this process dies without cleaning up (a killed test worker or benchmark).
  const quoted = [process.execPath, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `exec 3<&0; ${quoted} <&- & pid=$!; (read _ <&3; kill $pid 2>/dev/null) & wait $pid`;
  const child: ChildProcess = spawn('/bin/sh', ['-c', script], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port, 30_000),
      exited.then(() => {
        throw new Error(`azurite-blob exited: ${stderr}`);
      }),
    ]);
  } catch (error) {
    child.stdin?.end();
    rmSync(location, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    port,
    async stop() {
      child.stdin?.end();
      await exited;
      rmSync(location, { recursive: true, force: true });
    },
  };
}
