/**
 * Telling a Content-Security-Policy that forbids workers from a broken worker URL. WebKit
 * throws a `SecurityError` from `new Worker`; Chromium and Firefox create the worker and fire
 * an `error` event at it, as for a 404. Only the document's `securitypolicyviolation` event
 * tells them apart: a page that may not start workers then uses the async OPFS backend, while
 * a worker URL that does not load stays an `EWORKER` error (a bundling mistake to fix).
 * @module
 */

/** The directives that govern starting a worker, most specific first. */
const WORKER_DIRECTIVES = new Set(['worker-src', 'child-src', 'script-src', 'default-src']);

let watching = false;
let blocked = false;

/** Starts listening for policy violations, before the page's first IO worker starts. */
export function watchWorkerPolicy(): void {
  if (watching || typeof document === 'undefined') return;
  watching = true;
  document.addEventListener('securitypolicyviolation', (event) => {
    if (WORKER_DIRECTIVES.has(event.effectiveDirective)) blocked = true;
  });
}

/** Whether the page's policy blocked a worker; the violation may arrive a task after the error. */
export async function workerBlockedByPolicy(): Promise<boolean> {
  if (!blocked && watching) await new Promise((resolve) => setTimeout(resolve, 0));
  return blocked;
}
