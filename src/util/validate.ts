/**
 * Argument checks shared by every public entry point. Each throws the built-in `TypeError`
 * for a value of the wrong type and `RangeError` for a number out of range, with a message
 * that names the argument and shows the value.
 * @module
 */

/** Raw memory a caller may hand over: an `ArrayBuffer`, a `SharedArrayBuffer` or any view. */
export type RawBytes = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** A short, readable rendering of any value for an error message. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return `function ${value.name || '(anonymous)'}`;
    case 'object': {
      if (value === null) return 'null';
      if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
      const name = (value as { constructor?: { name?: string } }).constructor?.name;
      return name ? `a ${name}` : 'an object';
    }
    default:
      return String(value);
  }
}

/** Checks that `value` is an integer in `[min, 2^53 - 1]` and returns it. */
export function checkInteger(value: unknown, name: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a safe integer, got ${describe(value)}`);
  }
  if (value < min) {
    throw new RangeError(`${name} must be at least ${min}, got ${value}`);
  }
  return value;
}

/** Checks that `value` is a non-negative safe integer (a size, a length or an offset). */
export function checkSize(value: unknown, name: string): number {
  return checkInteger(value, name, 0);
}

/** Checks that `value` is a safe integer of at least 1 (a buffer or chunk size). */
export function checkPositiveSize(value: unknown, name: string): number {
  checkSize(value, name);
  if (value === 0) throw new RangeError(`${name} must be larger than zero, got 0`);
  return value as number;
}

/** Like {@link checkSize}, but `undefined` (meaning "all") passes through. */
export function checkOptionalSize(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : checkSize(value, name);
}

const hasDetachedProperty = 'detached' in ArrayBuffer.prototype;

/** Whether `buffer` is an `ArrayBuffer` that was transferred or otherwise detached. */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0 || !(buffer instanceof ArrayBuffer)) return false;
  if (hasDetachedProperty) return (buffer as ArrayBuffer & { detached: boolean }).detached;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * A zero-copy `Uint8Array` over raw memory. Strings, numbers and other objects are a
 * `TypeError`, and so is memory whose `ArrayBuffer` was detached (transferred).
 */
export function viewOf(data: unknown, name: string): Uint8Array {
  let view: Uint8Array;
  if (data instanceof Uint8Array) {
    view = data;
  } else if (ArrayBuffer.isView(data)) {
    view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } else if (data instanceof ArrayBuffer || isSharedArrayBuffer(data)) {
    if (isDetached(data)) throw new TypeError(`${name} is a detached ArrayBuffer`);
    return new Uint8Array(data);
  } else {
    const hint = typeof data === 'string' ? ' (encode strings first, e.g. with TextEncoder)' : '';
    throw new TypeError(
      `${name} must be an ArrayBuffer, a SharedArrayBuffer or an ArrayBufferView, got ${describe(data)}${hint}`,
    );
  }
  if (view.byteLength === 0 && isDetached(view.buffer)) {
    throw new TypeError(`${name} is a view over a detached ArrayBuffer`);
  }
  return view;
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer;
}
