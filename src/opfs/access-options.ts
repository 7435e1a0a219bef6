/**
 * What both OPFS access layers share (sync access handles, `sync-access.ts`; the asynchronous
 * API, `async-access.ts`): how to open, the partial file an atomic `'wb'` writes, and the code
 * of a browser without working sync access handles. Kept apart so that a page, which opens
 * sync access handles only in dedicated workers, loads `sync-access.ts` only there.
 * @module
 */

/** How to open, besides the mode. */
export interface AccessOptions {
  /** `'wb'` writes a temporary sibling, moved over the file on close. */
  readonly atomic: boolean;
  /** Wait for other holders of the file instead of failing with `EBUSY`. */
  readonly wait: boolean;
  readonly signal?: AbortSignal;
}

/** The code of the error for a browser whose sync access handles do not work (WebKitGTK). */
export const NO_SYNC_ACCESS = 'ENOSYNCACCESS';

/**
 * Whether `error` says this browser's sync access handles do not work: the caller may use the
 * asynchronous API instead. (A function, not the code: a bundler that inlines the constant
 * leaves a bare import of this module behind, which esbuild warns about in apps' builds.)
 */
export const lacksSyncAccess = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === NO_SYNC_ACCESS;

/** The sibling an atomic `'wb'` writes; a crash leaves it behind, and the next open removes it. */
export const temporaryName = (name: string): string => `.${name}.nativefile-partial`;

/** Whether `name` is such a sibling's, which listings leave out: it is no file of the user's. */
export const isTemporaryName = (name: string): boolean => name.startsWith('.') && name.endsWith('.nativefile-partial');
