// What the OPFS contract (opfs-contract.ts) answers, whichever backend serves it.
export const CONTRACT = {
  tellAfterWrites: 11, read: 'hello world', size: 11, readAtEnd: 0, readAt: 'world', readAtPastEnd: 0,
  seekFromEnd: 'world', readBuffer: ['hello', 5], afterClose: 'ECLOSED',
  readAfterWrite: 'hello World', sizeAfterExtend: 13, tailAfterExtend: '!!', afterTruncate: 'hello', sizeAfterTruncate: 5,
  afterReadWrite: 'hello.', appendStartsAt: 6, appended: 'hello.+x',
  oldWhileReplacing: 'hello.+x', newAfterClose: 'new', afterAbort: 'new', listing: ['a.txt'],
  secondWriter: 'EBUSY', waitStopped: 'TimeoutError', missing: 'ENOENT',
  lines: ['one\n', 'two\n', 'three'], pattern: { size: 3 * 1024 * 1024 + 5, sequential: true, random: true },
};
