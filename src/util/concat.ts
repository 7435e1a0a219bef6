/**
 * The parts joined into one array of `total` bytes: the part itself when there is one, so a
 * caller that gathered a single chunk pays no copy.
 */
export function concat<T extends ArrayBufferLike>(parts: readonly Uint8Array<T>[], total: number): Uint8Array<T | ArrayBuffer> {
  if (parts.length === 1) return parts[0]!;
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}
