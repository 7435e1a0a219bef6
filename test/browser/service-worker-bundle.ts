/**
 * The test service worker (harness-service-worker.ts) as one classic script, what an app
 * ships where module service workers are missing: bundled with no `import` and no `import()`
 * left, and served next to service-worker.html.
 */
import { build, type Plugin, type Rolldown } from 'vite';
import { root } from './servers.js';

const CLASSIC_PATH = '/test/browser/service-worker-classic.js';

/** Bundles the service worker into one classic script (an IIFE). */
export async function classicServiceWorker(): Promise<string> {
  const output = (await build({
    configFile: false,
    root,
    logLevel: 'error',
    build: {
      write: false,
      minify: false,
      lib: { entry: 'test/browser/harness-service-worker.ts', formats: ['iife'], name: 'nativefileServiceWorker' },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output);
  const entries = chunks.filter((chunk): chunk is Rolldown.OutputChunk => chunk.type === 'chunk' && chunk.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry chunk, got ${entries.map((chunk) => chunk.fileName).join(', ')}`);
  return entries[0]!.code;
}

/**
 * A dev-server plugin serving `code` as the classic service worker script. It also has the
 * dev server pre-bundle the dependencies the module service worker imports: found only once
 * that script loads, they would make the server re-bundle them and fail requests in flight.
 */
export const serveServiceWorkers = (code: string): Plugin => ({
  name: 'nativefile:service-workers',
  config: () => ({ optimizeDeps: { entries: ['test/browser/service-worker.html', 'test/browser/harness-service-worker.ts'] } }),
  configureServer(server) {
    server.middlewares.use(CLASSIC_PATH, (_request, response) => {
      response.setHeader('content-type', 'text/javascript');
      response.setHeader('cache-control', 'no-store');
      response.end(code);
    });
  },
});
