// Module hooks (they run on Node's hooks thread), registered by trace.mjs.
import { appendFileSync } from 'node:fs';

let traceFile;

/** Receives the trace file's path from register(). */
export function initialize(data) {
  traceFile = data;
}

/** Appends the URL of each module as it is loaded. */
export async function load(url, context, nextLoad) {
  if (traceFile) appendFileSync(traceFile, `${url}\n`);
  return nextLoad(url, context);
}
