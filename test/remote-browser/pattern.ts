// Test data shared by the Node side (which writes it to the servers) and the page and
// worker (which check what they read), so no bytes cross the driver.

export const MiB = 1024 * 1024;

/** The byte at `offset` of the test pattern (period 256 × 4096, so misplaced reads show). */
export const patternAt = (offset: number): number => (offset * 31 + (offset >>> 12)) & 0xff;

/** `length` bytes of the pattern from `offset`. */
export function pattern(offset: number, length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = patternAt(offset + i);
  return bytes;
}

/** Whether `bytes` are the pattern from `offset`. */
export function isPattern(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== patternAt(offset + i)) return false;
  return true;
}

/** The text file the lines() check reads: `count` numbered lines. */
export const linesText = (count: number): string => Array.from({ length: count }, (_, i) => `line ${i}\n`).join('');

/** An error as plain data, so it survives the trip out of the page. */
export interface ErrorData {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

/** `error` as {@link ErrorData}. */
export function errorData(error: unknown): ErrorData {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : typeof error,
    code: typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}
