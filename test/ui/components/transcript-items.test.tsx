/**
 * What finished work leaves in the transcript: a command's output tail,
 * `@file` as one line, `ask_user` as question and answer, a backgrounded
 * call's line, and markdown that looks the same streamed and resumed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../source/index.js';
import { LiveRegion } from '../../../source/ui/components/live-region.js';
import { inlineMentions } from '../../../source/ui/components/mentions.js';
import { RenderContext, type TextRenderer } from '../../../source/ui/components/render-context.js';
import { TranscriptItem } from '../../../source/ui/components/transcript-item.js';
import { summarizeArgs } from '../../../source/ui/format.js';
import { findSafeSplitPoint, loadMarkdown, renderDiff } from '../../../source/ui/markdown/index.js';
import { reduceView } from '../../../source/ui/state/reduce.js';
import { initialView, type Item, type ViewState } from '../../../source/ui/state/view.js';

const ev = (e: Record<string, unknown>): AgentEvent => ({ ts: 1, seq: 1, agentPath: ['c'], creatureId: 'id', turnId: 't1', ...e }) as unknown as AgentEvent;
const options = { safeSplit: findSafeSplitPoint, maxLiveLines: 40 };
const run = (events: AgentEvent[], from: ViewState = initialView()) => events.reduce((s, e) => reduceView(s, e, options), from);
const tool = (over: Partial<Extract<Item, { kind: 'tool' }>>): Item => ({ kind: 'tool', id: 1, callId: 'c', name: 'bash', summary: 'npm test', ok: true, status: 'ok', output: '', durationMs: 2700, under: [], ...over });

async function markdownRenderer(color: boolean): Promise<TextRenderer> {
  const { renderMarkdown } = await loadMarkdown();
  return { color, markdown: (text, width) => renderMarkdown(text, { width, color }), diff: (patch, width, maxLines) => renderDiff(patch, { width, color, maxLines }) };
}

describe('the transcript keeps what matters', () => {
  it('a finished command keeps its last 5 lines; Ctrl+O (expanded) keeps them all', () => {
    const output = Array.from({ length: 8 }, (_, i) => (i === 7 ? 'FAIL test/a.test.ts' : `line ${i}`)).join('\n');
    const tail = render(<TranscriptItem item={tool({ output })} width={80} />).lastFrame();
    expect(tail).toBe(['  ✓ bash npm test (2.7s)', '    … 3 earlier lines (Ctrl+O shows all)', '    line 3', '    line 4', '    line 5', '    line 6', '    FAIL test/a.test.ts'].join('\n'));
    const all = render(<TranscriptItem item={tool({ output })} width={80} expanded />).lastFrame()!;
    expect(all.split('\n')).toHaveLength(9);
    expect(all).toContain('    line 0');
    // Other tools keep their one line.
    expect(render(<TranscriptItem item={tool({ name: 'read', summary: 'a.ts', output: 'x\ny' })} width={80} />).lastFrame()).toBe('  ✓ read a.ts (2.7s)');
  });

  it('@file: the model gets the file, the transcript one line naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-mention-'));
    writeFileSync(join(dir, 'notes.txt'), Array.from({ length: 12 }, (_, i) => `note ${i}`).join('\n') + '\n');
    const { text } = await inlineMentions('what does @notes.txt say?', dir);
    expect(text).toContain('note 11'); // sent to the model
    const s = run([ev({ type: 'turn.start', input: text, source: 'user', turnIndex: 1, branch: 1 })]);
    expect(s.committed).toMatchObject([{ kind: 'user', text: 'what does @notes.txt say?\n@notes.txt (12 lines)' }]);
    const shown = render(<TranscriptItem item={s.committed[0]!} width={80} />).lastFrame()!;
    expect(shown).not.toContain('note 0');
  });

  it('ask_user: the question and the chosen answer, not the call as JSON', () => {
    const summary = summarizeArgs({ question: 'Which colour?', choices: ['red', 'blue'] });
    expect(summary).toBe('Which colour?');
    const frame = render(<TranscriptItem item={tool({ name: 'ask_user', summary, output: 'The user answered:\nblue' })} width={80} />).lastFrame();
    expect(frame).toBe('\n  ? Which colour?\n    → blue'.slice(1));
    const declined = render(<TranscriptItem item={tool({ name: 'ask_user', summary, ok: false, output: 'the user declined to answer' })} width={80} />).lastFrame();
    expect(declined).toContain('→ no answer (the user declined to answer)');
  });

  it('Ctrl+B: the call keeps a line marked as backgrounded, and its completion follows', () => {
    let s = run([
      ev({ type: 'tool.call', callId: 'c1', name: 'bash', args: { command: 'make' }, step: 1, background: false }),
      ev({ type: 'job.start', jobId: 'job_2', kind: 'tool', name: 'bash', summary: 'make', callId: 'c1', promoted: true }),
      ev({ type: 'tool.result', callId: 'c1', name: 'bash', output: '[bash is running in the background as job job_2 ...]', isError: false, status: 'ok', durationMs: 0 }),
    ]);
    expect(s.running).toEqual([]);
    expect(s.committed.map((i) => (i.kind === 'info' ? i.text : i.kind))).toEqual(['⧗ bash make · moved to the background (job_2)']);
    s = run([ev({ type: 'job.end', jobId: 'job_2', kind: 'tool', name: 'bash', status: 'done', output: 'ok', isError: false, durationMs: 5000 })], s);
    expect(s.committed.at(-1)).toMatchObject({ kind: 'info', text: 'Background bash done (job_2)' });
  });
});

describe('markdown live and on resume', () => {
  const ANSWER = [
    '## Plan',
    '',
    'First a paragraph that is long enough to wrap at the terminal width, so the words must break at spaces and never be cut off mid-word.',
    '',
    '- one',
    '- two',
    '',
    '```ts',
    'const answer = 42;',
    '```',
    '',
    'Done.',
  ].join('\n');

  it('streamed in small pieces, the committed chunks render exactly as the whole answer does on resume', async () => {
    const renderer = await markdownRenderer(false);
    const deltas: AgentEvent[] = [];
    for (let i = 0; i < ANSWER.length; i += 3) deltas.push(ev({ type: 'text.delta', text: ANSWER.slice(i, i + 3) }));
    const streamed = run([...deltas, ev({ type: 'step.end', step: 1, text: ANSWER, toolCalls: [] })]);
    expect(streamed.committed.length).toBeGreaterThan(1); // it really was committed in chunks
    const draw = (items: readonly Item[]) =>
      render(
        <RenderContext.Provider value={renderer}>
          <Box flexDirection="column">
            {items.map((item) => (
              <TranscriptItem key={item.id} item={item} width={60} />
            ))}
          </Box>
        </RenderContext.Provider>,
      ).lastFrame()!;
    const live = draw(streamed.committed);
    const resumed = draw([{ kind: 'assistant', id: 1, text: ANSWER, continues: false }]);
    expect(live).toBe(resumed);
    expect(live).toContain('\n\n  • one'); // the blank line between blocks is kept
    for (const line of live.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(live).toMatch(/never be cut off\s+mid-word\./); // wrapped at a space, nothing truncated
  });

  it('the streaming tail is rendered as markdown too: no ## marks, code highlighted', async () => {
    const renderer = await markdownRenderer(true);
    const view = { ...initialView(), streaming: '## Plan\n\n```ts\nconst a = 1;', turnActive: true, phase: 'streaming' as const };
    const frame = render(
      <RenderContext.Provider value={renderer}>
        <LiveRegion view={view} width={60} height={30} expanded={false} />
      </RenderContext.Provider>,
    ).lastFrame()!;
    const text = stripVTControlCharacters(frame);
    expect(text).toContain('Plan');
    expect(text).not.toContain('##');
    expect(text).not.toContain('```');
    expect(frame).toMatch(/\u001b\[[0-9;]*m(?:const)/); // the keyword is styled
  });
});
