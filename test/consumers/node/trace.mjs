// `node --import ./trace.mjs program.mjs`: records every module URL the program loads into
// NATIVEFILE_TRACE_FILE, so the test can see what 'nativefile/node' pulled in.
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url, { data: process.env.NATIVEFILE_TRACE_FILE });
