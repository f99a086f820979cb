/**
 * `show_card` from the tool to the screen: the model gets a confirmation,
 * the card rides in the result's metadata, the terminal app draws it in a
 * bordered box and plain mode prints it as text on stderr.
 */
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { showCardTool } from '../../../source/builtins/tools/show-card.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { cardOf, cardText } from '../../../source/ui/card.js';
import { RenderContext } from '../../../source/ui/components/render-context.js';
import { TranscriptItem } from '../../../source/ui/components/transcript-item.js';
import { loadMarkdown, renderDiff } from '../../../source/ui/markdown/index.js';
import { PlainRenderer } from '../../../source/ui/plain/renderer.js';
import { call, makeContext } from './context.js';

const args = { title: 'Nightly build', body: 'All **green**.', fields: [{ label: 'Tests', value: '412 passed' }, { label: 'Time', value: '3m' }], tone: 'success' };

describe('show_card', () => {
  it('returns a confirmation for the model and the card in metadata', async () => {
    const out = await call(showCardTool, args, makeContext());
    expect(out).toEqual({ output: 'Card shown to the user: Nightly build', metadata: { card: args } });
    expect(cardOf({ card: { title: 3 } })).toBeUndefined();
    expect(cardOf({ card: { title: 'x', fields: [{ label: 'a' }], tone: 'loud' } })).toEqual({ title: 'x', body: '', fields: [], tone: 'info' });
  });

  it('the terminal app draws a bordered box: title, aligned fields, body', async () => {
    const out = (await call(showCardTool, args, makeContext())) as { output: string; metadata: Record<string, unknown> };
    const item = { kind: 'tool', id: 1, callId: 'c', name: 'show_card', summary: '', ok: true, status: 'ok', output: out.output, durationMs: 1, metadata: out.metadata, under: [] } as const;
    const { renderMarkdown } = await loadMarkdown();
    const renderer = { color: false, markdown: (text: string, width: number) => renderMarkdown(text, { width, color: false }), diff: (p: string, width: number, maxLines: number) => renderDiff(p, { width, color: false, maxLines }) };
    const frame = stripVTControlCharacters(
      render(
        <RenderContext.Provider value={renderer}>
          <TranscriptItem item={item} width={40} />
        </RenderContext.Provider>,
      ).lastFrame()!,
    );
    const lines = frame.split('\n').map((l) => l.trimEnd());
    expect(lines[0]).toMatch(/^ {2}╭─+╮$/);
    expect(lines).toContain('  │ Nightly build                      │');
    expect(lines).toContain('  │ Tests: 412 passed                  │');
    expect(lines).toContain('  │ Time:  3m                          │');
    expect(frame).toContain('All green.');
    expect(lines.at(-1)).toMatch(/^ {2}╰─+╯$/);
  });

  it('plain mode prints the card as text on stderr, leaving stdout to the answer', () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    let out = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    const renderer = new PlainRenderer({ stdout, stderr, format: 'text', verbose: false });
    const event = { type: 'tool.result', seq: 1, ts: 0, creatureId: 'c', agentPath: ['a'], callId: 'c1', name: 'show_card', output: 'Card shown', isError: false, status: 'ok', durationMs: 2, metadata: { card: args } };
    renderer.handle(event as unknown as AgentEvent);
    expect(out).toBe('');
    expect(err.split('\n').slice(1, -1)).toEqual(cardText(cardOf({ card: args })!));
    expect(cardText(cardOf({ card: args })!)).toEqual(['■ Nightly build', '  Tests: 412 passed', '  Time:  3m', '', '  All **green**.']);
  });
});

describe("show_card with the original's arguments", () => {
  it('subtitle and footer join the body; accent picks the tone', async () => {
    const out = await call(showCardTool, { title: 'Deploy', subtitle: 'staging', body: 'Done.', footer: 'by ci', accent: 'danger' }, makeContext());
    expect(out).toEqual({ output: 'Card shown to the user: Deploy', metadata: { card: { title: 'Deploy', body: '*staging*\n\nDone.\n\n— by ci', tone: 'error' } } });
  });
});
