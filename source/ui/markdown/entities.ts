/**
 * HTML character references back to characters. The markdown lexer leaves
 * `&amp;` and `&#x27;` in text (an HTML renderer would pass them through), and
 * highlight.js escapes its output as HTML; a terminal shows characters. The
 * named set is the handful that appears in practice; anything unknown stays
 * as written.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  larr: '←',
  rarr: '→',
  times: '×',
  deg: '°',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const point = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      // Control characters stay encoded: decoding one would smuggle an escape code in.
      const printable = point >= 0x20 && point <= 0x10ffff && !(point >= 0x7f && point <= 0x9f) && !(point >= 0xd800 && point <= 0xdfff);
      return printable ? String.fromCodePoint(point) : whole;
    }
    return NAMED[body] ?? whole;
  });
}
