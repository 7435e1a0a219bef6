import { expect } from 'vitest';

/**
 * Asserts that two byte arrays are equal. `toEqual` compares typed arrays element by element
 * through its generic path (seconds per megabyte); this compares natively and reports where
 * they first differ.
 */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength, 'length').toBe(expected.byteLength);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return;
  let i = 0;
  while (a[i] === b[i]) i++;
  expect.fail(`bytes differ first at ${i}: ${a[i]} instead of ${b[i]}`);
}
