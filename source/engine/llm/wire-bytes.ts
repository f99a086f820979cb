/**
 * Bytes the request encoders keep across rounds (wire-body.ts of each
 * adapter). `Buffer.from(shortString)` carves its bytes out of Node's shared
 * 8 KB pool, and one kept slice holds its whole slab alive: a long session's
 * cache of small messages pinned a slab or two per round. These get an
 * allocation of their own, exactly their size.
 */
const encoder = new TextEncoder();

/** `text` as UTF-8 in a buffer that owns its memory. */
export function ownedBytes(text: string): Buffer {
  const bytes = encoder.encode(text);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
