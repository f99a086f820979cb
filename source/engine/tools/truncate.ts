/**
 * Output truncation for tool results. Keeps the head and the tail (errors
 * and summaries tend to sit at the end of command output) and says in the
 * middle exactly what was dropped, so the model can ask for the rest.
 */

export interface Truncated {
  text: string;
  /** Bytes removed; 0 when the text fit. */
  droppedBytes: number;
}

/** Default tool output cap, as in the original: 64 KiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

export function truncateMiddle(text: string, maxBytes: number): Truncated {
  const total = Buffer.byteLength(text, 'utf8');
  if (total <= maxBytes || maxBytes <= 0) return { text, droppedBytes: 0 };
  const buffer = Buffer.from(text, 'utf8');
  const headBytes = Math.floor(maxBytes * 0.4);
  const tailBytes = maxBytes - headBytes;
  // Cut on line boundaries when one is near, so no line is half shown.
  const head = trimToLine(decodeSafe(buffer.subarray(0, headBytes)), 'end');
  const tail = trimToLine(decodeSafe(buffer.subarray(total - tailBytes)), 'start');
  const kept = Buffer.byteLength(head, 'utf8') + Buffer.byteLength(tail, 'utf8');
  const dropped = total - kept;
  const droppedLines = countLines(buffer.subarray(Buffer.byteLength(head, 'utf8'), total - Buffer.byteLength(tail, 'utf8')));
  const note = `\n[... output truncated: ${dropped} bytes (${droppedLines} lines) omitted from the middle; ${total} bytes in all ...]\n`;
  return { text: head + note + tail, droppedBytes: dropped };
}

function decodeSafe(bytes: Buffer): string {
  // Dropping a split multi-byte character is better than emitting U+FFFD.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFFFD+|\uFFFD+$/g, '');
}

function trimToLine(text: string, side: 'start' | 'end'): string {
  const window = Math.min(200, Math.floor(text.length / 4));
  if (side === 'end') {
    const cut = text.lastIndexOf('\n');
    return cut >= text.length - window && cut > 0 ? text.slice(0, cut + 1) : text;
  }
  const cut = text.indexOf('\n');
  return cut >= 0 && cut < window ? text.slice(cut + 1) : text;
}

function countLines(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n++;
  return n;
}
