// Fails if the allocator module touches its shadow stack: every instance (one per thread)
// starts `__stack_pointer` at the same address of the one shared memory, and the module is
// linked with a zero-size stack, so any function with a stack frame would trap in production,
// or worse, on a rare path. A stack frame shows as a `global.get`/`global.set` of a mutable
// global (the stack pointer is the module's only one). Usage: node check-wasm-stack.mjs FILE
import { readFileSync } from 'node:fs';

const bytes = readFileSync(process.argv[2]);
let at = 8;
const u = () => {
  let result = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
};
const skipBlockType = () => {
  const byte = bytes[at];
  if (byte === 0x40 || (byte >= 0x6f && byte <= 0x7f)) at++;
  else u();
};
/** Skips a length-prefixed run of bytes (`at += u()` would read `at` before `u()` moves it). */
const skipBytes = () => {
  const length = u();
  at += length;
};
const skipMemarg = () => {
  u();
  u();
};

const mutable = new Set();
let globals = 0;
let functionImports = 0;
const offenders = [];

function readImports() {
  for (let n = u(); n > 0; n--) {
    skipBytes();
    skipBytes();
    const kind = bytes[at++];
    if (kind === 0) u();
    else if (kind === 1) (at++, bytes[at++] & 1 ? (u(), u()) : u());
    else if (kind === 2) bytes[at++] & 1 ? (u(), u()) : u();
    else if (kind === 3) {
      at++;
      if (bytes[at++] === 1) mutable.add(globals);
      globals++;
    }
    if (kind === 0) functionImports++;
  }
}

function readGlobals() {
  for (let n = u(); n > 0; n--) {
    at++;
    if (bytes[at++] === 1) mutable.add(globals);
    globals++;
    while (bytes[at] !== 0x0b) instruction(-1);
    at++;
  }
}

/** Steps over one instruction, noting a use of a mutable global by function `index`. */
function instruction(index) {
  const op = bytes[at++];
  if (op >= 0x02 && op <= 0x04) skipBlockType();
  else if (op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x22) || op === 0x25 || op === 0x26 || op === 0xd2)
    u();
  else if (op === 0x0e) for (let n = u() + 1; n > 0; n--) u();
  else if (op === 0x11) (u(), u());
  else if (op === 0x1c) skipBytes();
  else if (op === 0x23 || op === 0x24) {
    if (mutable.has(u())) offenders.push(index);
  } else if (op >= 0x28 && op <= 0x3e) skipMemarg();
  else if (op === 0x3f || op === 0x40 || op === 0xd0) at++;
  else if (op === 0x41 || op === 0x42) u();
  else if (op === 0x43) at += 4;
  else if (op === 0x44) at += 8;
  else if (op === 0xfc) {
    const sub = u();
    if (sub === 8) (u(), at++);
    else if (sub === 10) at += 2;
    else if (sub === 11) at++;
    else if (sub === 12 || sub === 14) (u(), u());
    else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) u();
  } else if (op === 0xfe) {
    if (u() === 0x03) at++;
    else skipMemarg();
  } else if (op === 0xfd) throw new Error('SIMD instructions are not expected in the allocator');
}

function readCode() {
  for (let f = 0, n = u(); f < n; f++) {
    const end = u() + at;
    for (let groups = u(); groups > 0; groups--) (u(), at++);
    while (at < end) instruction(functionImports + f);
    if (at !== end) throw new Error(`could not decode function ${functionImports + f}`);
  }
}

while (at < bytes.length) {
  const id = bytes[at++];
  const end = u() + at;
  if (id === 2) readImports();
  else if (id === 6) readGlobals();
  else if (id === 10) readCode();
  at = end;
}
if (offenders.length > 0) {
  console.error(`wasm: functions ${[...new Set(offenders)].join(', ')} use the shadow stack (see wasm/src/lib.rs)`);
  process.exit(1);
}
console.log('wasm: no function uses the shadow stack');
