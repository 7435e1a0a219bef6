/**
 * The nativefile IO worker (`nativefile/worker`): a module Web Worker that owns OPFS sync
 * access handles for pages, speaking the protocol of `src/opfs/protocol.ts`. `OpfsFile.open`
 * on a page starts this very file by default; an app that starts its own passes it as the
 * `worker` option:
 *
 * ```ts
 * const worker = new Worker(new URL('nativefile/worker', import.meta.url), { type: 'module' });
 * const file = await OpfsFile.open('data.bin', 'rb', { worker });
 * ```
 * @module
 */
import type { Call } from '../src/opfs/protocol.js';
import { createService, type ReplyTarget } from './service.js';

export type {
  Call,
  Reply,
  ProgressReport,
  WorkerMessage,
  Operations,
  WireError,
  Operation,
  OpenRequest,
  OpenResult,
  ProtocolVersion,
} from '../src/opfs/protocol.js';
export { createService, type ReplyTarget } from './service.js';

const scope = globalThis as unknown as Partial<ReplyTarget> & {
  WorkerGlobalScope?: unknown;
  addEventListener(type: 'message', listener: (event: MessageEvent<Call>) => void): void;
};
if (scope.WorkerGlobalScope !== undefined && typeof scope.postMessage === 'function') {
  const serve = createService();
  const target = scope as ReplyTarget;
  scope.addEventListener('message', (event) => serve(event.data, target));
}
