/**
 * A channel tab's log: each message seen on the channel as one transcript
 * entry — when, who sent it, who heard it, the whole content (unlike the
 * one-line summary members' transcripts get), and what it replies to. The
 * entries are the channel's own view store's items, so the tab scrolls
 * like a transcript.
 */
import type { TeamEvent } from './team-source.js';

/** The sender name of what the person posts from the app. */
export const PERSON = 'you';

/** What a reply marker needs of an earlier message on the same channel. */
export interface LoggedMessage {
  sender: string;
  content: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time of a message, `HH:MM:SS`. */
export function clockTime(ts: number): string {
  const at = new Date(ts);
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** A short quote of the message replied to, or its id when it was sent before the app saw the channel. */
function replyMarker(replyTo: string, earlier: LoggedMessage | undefined): string {
  if (!earlier) return `↩ ${replyTo}`;
  const quote = earlier.content.replace(/\s+/g, ' ').trim();
  return `↩ ${earlier.sender}: ${quote.length > 40 ? `${quote.slice(0, 39)}…` : quote}`;
}

/**
 * `12:03:04  worker → root, reviewer  ↩ root: can you check…` then the content, indented.
 * `earlier` finds a message this one replies to.
 */
export function channelEntry(event: TeamEvent, earlier: (id: string) => LoggedMessage | undefined): string {
  const p = event.payload;
  const ts = typeof p.ts === 'number' ? p.ts : Date.now();
  const to = ((p.deliveredTo as string[] | undefined) ?? []).join(', ') || '(nobody)';
  const replyTo = typeof p.replyTo === 'string' ? `  ${replyMarker(p.replyTo, earlier(p.replyTo))}` : '';
  const content = String(p.content ?? '').replace(/\n+$/, '');
  const body = content.split('\n').map((line) => `  ${line}`).join('\n');
  return `${clockTime(ts)}  ${event.creature ?? '?'} → ${to}${replyTo}\n${body}`;
}
