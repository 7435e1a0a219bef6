// The IO worker with its second write made to fail inside the service, as a disk error would:
// that write's position is one the sync access handle refuses. For the tests of an upload
// whose writes are in flight when one fails (harness-upload.ts, `uploadWriteFails`).
import type { Call } from '../../src/opfs/protocol.js';
import { createService, type ReplyTarget } from '../../worker/service.js';

const serve = createService();
const scope = globalThis as unknown as ReplyTarget & {
  addEventListener(type: 'message', listener: (event: MessageEvent<Call>) => void): void;
};
let writes = 0;
scope.addEventListener('message', ({ data: call }) => {
  if ((call.op === 'writeCopy' || call.op === 'writeShared') && ++writes === 2) call.args.position = -1;
  serve(call, scope);
});
