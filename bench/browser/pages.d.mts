import type { Plugin, ViteDevServer } from 'vite';

/** A Vite dev server over `root` for benchmark pages: listening on loopback, cross-origin isolated, no reloads. */
export function isolatedServer(
  root: string,
  options?: { entries?: string[]; include?: string[]; plugins?: Plugin[] },
): Promise<ViteDevServer>;

/** Chromium's page at `url` once ready, with OPFS in memory (off the record) or, `onDisk`, on a temporary profile. */
export function openChromiumPage(
  url: string,
  options?: { onDisk?: boolean },
): Promise<{ version: string; page: import('playwright-core').Page; close(): Promise<void> }>;

/** `engine`'s page at `url` once ready (`undefined`: Firefox is not installed); `onDisk` is Chromium's. */
export function openPage(
  engine: 'chromium' | 'firefox',
  url: string,
  options?: { onDisk?: boolean },
): Promise<
  { version: string; evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>; close(): Promise<void> } | undefined
>;
