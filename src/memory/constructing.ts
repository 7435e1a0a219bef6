/**
 * The token that lets only the library construct buffers (PyArrow's `Buffer()` raises too).
 * @module
 */

/**
 * @internal The first argument of every construction the library makes. JavaScript code
 * reaching the constructor TypeScript hides (`new Buffer()`) lacks it and gets a TypeError,
 * as PyArrow's `Buffer()` raises: a Buffer made that way would own nothing it could release.
 */
export const CONSTRUCTING: unique symbol = Symbol('nativefile Buffer construction');

/** Throws unless `token` is {@link CONSTRUCTING}: for the constructors of Buffer and its subclasses. */
export function checkConstructing(token: unknown, name: string): void {
  if (token !== CONSTRUCTING) {
    throw new TypeError(
      `${name} cannot be constructed directly: use Buffer.wrap(), Buffer.fromShared(), allocateBuffer() or a pool's allocate()`,
    );
  }
}
