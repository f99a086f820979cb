/**
 * A `show_card` card as the surfaces read it from a tool result's metadata,
 * and its plain-text form (plain mode, and anything without a box to draw).
 * Metadata comes from a session file or a custom tool too, so it is checked,
 * not trusted.
 */
export interface CardView {
  title: string;
  body: string;
  fields: Array<{ label: string; value: string }>;
  tone: 'info' | 'success' | 'warning' | 'error';
}

const TONES = new Set(['info', 'success', 'warning', 'error']);

export function cardOf(metadata: Record<string, unknown> | undefined): CardView | undefined {
  const card = metadata?.['card'];
  if (!card || typeof card !== 'object') return undefined;
  const { title, body, fields, tone } = card as Record<string, unknown>;
  if (typeof title !== 'string') return undefined;
  const pairs = Array.isArray(fields)
    ? fields.flatMap((f) => (f && typeof f === 'object' && typeof f.label === 'string' && typeof f.value === 'string' ? [{ label: f.label as string, value: f.value as string }] : []))
    : [];
  return { title, body: typeof body === 'string' ? body : '', fields: pairs, tone: typeof tone === 'string' && TONES.has(tone) ? (tone as CardView['tone']) : 'info' };
}

/** The card as lines of text: the title, the fields aligned on their labels, then the body. */
export function cardText(card: CardView): string[] {
  const width = Math.max(0, ...card.fields.map((f) => f.label.length));
  const lines = [`■ ${card.title}`, ...card.fields.map((f) => `  ${`${f.label}:`.padEnd(width + 1)} ${f.value}`)];
  if (card.body.trim()) lines.push(...(card.fields.length ? [''] : []), ...card.body.replace(/\n+$/, '').split('\n').map((l) => `  ${l}`));
  return lines;
}
