/**
 * `show_card`: put a small structured card in front of the user — a title,
 * a markdown body and labelled fields. The card rides in the result's
 * metadata (`card`), which the terminal app draws as a bordered box and
 * plain mode prints as text; the model gets a one-line confirmation.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';

/** The shape a surface reads from `metadata.card`. */
export interface Card {
  title: string;
  body?: string;
  fields?: Array<{ label: string; value: string }>;
  tone?: 'info' | 'success' | 'warning' | 'error';
}

const input = builtinInput('show-card', () =>
  z.object({
  title: z.string().min(1).max(200).describe('The card heading, one line.'),
  body: z.string().max(20_000).optional().describe('Markdown shown under the title.'),
  fields: z
    .array(z.object({ label: z.string().min(1), value: z.string() }))
    .max(50)
    .optional()
    .describe('Label/value pairs shown as a small table, e.g. [{label: "Status", value: "green"}].'),
  tone: z.enum(['info', 'success', 'warning', 'error']).optional().describe('Colour of the border: info (default), success, warning or error.'),
  // The original's names for the same things, so prompts written for it keep working.
  subtitle: z.string().max(500).optional().describe('A line under the title (shown at the top of the body).'),
  footer: z.string().max(2000).optional().describe('A line at the end of the body.'),
  accent: z.enum(['primary', 'info', 'success', 'warning', 'danger', 'neutral']).optional().describe('Same as tone; danger is error, primary and neutral are info.'),
}));

const ACCENT_TONE = { primary: 'info', info: 'info', neutral: 'info', success: 'success', warning: 'warning', danger: 'error' } as const;

const DESCRIPTION = 'Show the user a card: a title, a markdown body and labelled fields, drawn as a box in the terminal.';

export const showCardTool: ToolFactory = {
  name: 'show_card',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'show_card',
      description: DESCRIPTION,
      doc: [
        'Shows a card to the user: `title` (one line), `body` (markdown), `fields` (label/value pairs) and `tone` (the border colour).',
        'Use it for a result worth setting apart from the answer: a summary of a run, a status report, a record found. The card is for the user; you get only a confirmation, so repeat in your answer what you still need to say.',
      ].join('\n\n'),
      input,
      execute({ title, body: text, fields, tone: given, subtitle, footer, accent }) {
        const body = [subtitle && `*${subtitle}*`, text, footer && `— ${footer}`].filter(Boolean).join('\n\n');
        const tone = given ?? (accent ? ACCENT_TONE[accent] : undefined);
        const card: Card = { title, ...(body ? { body } : {}), ...(fields?.length ? { fields } : {}), ...(tone ? { tone } : {}) };
        return { output: `Card shown to the user: ${title}`, metadata: { card } };
      },
    }),
};
