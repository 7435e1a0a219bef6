/**
 * The little XML that object stores answer with (S3 and Azure listings, upload ids, errors), read without a DOM:
 * `DOMParser` is missing in Node and workers, and these documents are flat and regular.
 * @module
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with XML entities replaced by their characters. */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity[0] !== '#') return ENTITIES[entity.toLowerCase()]!;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    // A reference to no character (past U+10FFFF) reads as U+FFFD, as a lenient XML reader does.
    return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Text safe inside an XML element. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);
}

/** The raw inner XML of each `<tag>` element, in order (elements of this tag must not nest). */
export function xmlBlocks(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => match[1]!);
}

/** The decoded text of the first `<tag>`, or `undefined`. */
export function xmlValue(xml: string, tag: string): string | undefined {
  const block = xmlBlocks(xml, tag)[0];
  return block === undefined ? undefined : decodeXml(block);
}
