// A worker thread of bench/pool-threads.bench.ts: on each request, does the work it is asked
// for (bench/pool-work.mjs) on the pool it attached and answers when done.
import { parentPort, workerData } from 'node:worker_threads';
import { attachMemoryPool, createWasmMemoryPool } from 'nativefile';
import { poolWork } from './pool-work.mjs';

const run = poolWork(workerData.handle, { shared: attachMemoryPool(workerData.handle), own: createWasmMemoryPool() });

parentPort.on('message', ({ kind, sizes, repeat }) => parentPort.postMessage(run(kind, sizes, repeat)));
