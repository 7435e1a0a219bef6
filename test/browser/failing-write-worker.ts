// The IO worker with one write of transferred bytes made to fail inside the service, as a
// disk error would: the `writeCopy` numbered by the URL's `fail` (from 1; 2 without it) loses
// its bytes, which the file's write then throws on. For the tests of an upload whose writes
// are in flight when one fails (harness-upload-failures.ts).
import type { Call } from '../../src/opfs/protocol.js';
import { createService, type ReplyTarget } from '../../worker/service.js';

const serve = createService();
const scope = globalThis as unknown as ReplyTarget & {
  addEventListener(type: 'message', listener: (event: MessageEvent<Call>) => void): void;
};
const failing = Number(new URLSearchParams(location.search).get('fail') ?? 2);
let writes = 0;
scope.addEventListener('message', ({ data: call }) => {
  if (call.op === 'writeCopy' && ++writes === failing) call.args.bytes = null as never;
  serve(call, scope);
});
