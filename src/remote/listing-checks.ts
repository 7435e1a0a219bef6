/**
 * Checks of what a store's listing answers, shared by the listings of every store: the names
 * come from the server, and so does the token of the next page. A name outside the prefix
 * asked for would be acted on (deleted, copied) as if it were inside; a token that comes
 * back would make the listing go on for ever.
 * @module
 */
import { IOError } from '../errors.js';

/**
 * `name` when it is a listed name starting with `prefix` (the prefix itself is the
 * directory's own marker).
 * @param what the listing, for the message (`s3://bucket/prefix`).
 * @throws IOError `EPROTO` naming the name otherwise.
 */
export function listedName(name: string | undefined, prefix: string, what: string): string {
  if (name === undefined || !name.startsWith(prefix)) {
    throw new IOError(`the listing of ${what} holds ${JSON.stringify(name ?? null)}, which is not below it`, { code: 'EPROTO' });
  }
  return name;
}

/**
 * The tokens of the pages one listing went through: a token seen before is an error, since
 * the pages from there on would repeat for ever.
 */
export class PageTokens {
  readonly #seen = new Set<string>();

  /** @param what the listing, for the message. */
  constructor(readonly what: string) {}

  /**
   * `token` (the next page's, `undefined` at the end), checked.
   * @throws IOError `EPROTO` when the listing already went through it.
   */
  next(token: string | undefined): string | undefined {
    if (token === undefined) return undefined;
    if (this.#seen.has(token)) {
      throw new IOError(`the listing of ${this.what} came back to the page token ${JSON.stringify(token)}: it would never end`, {
        code: 'EPROTO',
      });
    }
    this.#seen.add(token);
    return token;
  }
}
