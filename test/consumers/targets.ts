/**
 * The pages the consumer tests open: each fixture app's build served cross-origin isolated and
 * not, and the Vite app's dev server two ways. consumers.test.ts builds the apps into `dirs`
 * first, then starts every target's server.
 */
import { join } from 'node:path';
import { isolationHeaders, serveStatic, startViteDev, type Served } from './serve.js';

/** The fixture apps, by the bundler that builds them. */
export type Fixture = 'vite' | 'webpack' | 'rollup';

/** One page to open in every engine. */
export interface Target {
  label: string;
  fixture: Fixture;
  isolated: boolean;
  /** Starts the server of the target's page (after the apps are built). */
  serve: () => Promise<Served>;
}

/** Each fixture app's working copy, set once it is installed. */
export const dirs: Record<Fixture, string> = { vite: '', webpack: '', rollup: '' };

/** Serves a fixture's built app, with `headers` on every response. */
const serveDist = (fixture: Fixture, headers: Record<string, string>) => () => serveStatic(join(dirs[fixture], 'dist'), headers);

/** A fixture's build, served cross-origin isolated and not. */
const builds = (name: string, fixture: Fixture): Target[] => [
  { label: `${name} build, cross-origin isolated`, fixture, isolated: true, serve: serveDist(fixture, isolationHeaders) },
  { label: `${name} build, not isolated`, fixture, isolated: false, serve: serveDist(fixture, {}) },
];

/** Every page the consumer tests open, in each engine. */
export const targets: readonly Target[] = [
  ...builds('Vite', 'vite'),
  ...builds('webpack', 'webpack'),
  ...builds('Rollup', 'rollup'),
  {
    label: 'Vite dev server (pre-bundled), cross-origin isolated',
    fixture: 'vite',
    isolated: true,
    serve: () => startViteDev(dirs.vite),
  },
  {
    label: 'Vite dev server (optimizeDeps.exclude), cross-origin isolated',
    fixture: 'vite',
    isolated: true,
    serve: () => startViteDev(dirs.vite, { NATIVEFILE_EXCLUDE: '1' }),
  },
];

/**
 * Starts every target's server, each added to `started` as soon as it runs, so that the caller
 * closes those that started when another fails. Returns each target's URL by label.
 */
export async function serveTargets(started: Served[]): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  await Promise.all(
    targets.map(async (target) => {
      const server = await target.serve();
      started.push(server);
      urls.set(target.label, server.url);
    }),
  );
  return urls;
}
