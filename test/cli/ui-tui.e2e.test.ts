/**
 * tui mode on a small terminal (tmux plays the user): a long streamed answer
 * never overdraws the transcript pane's title row, the title row and the
 * footer are cut with an ellipsis rather than wrapped at 50×15, and /help
 * names the keys only tui mode has.
 */
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { TmuxSession } from '../helpers/tmux.js';
import { ktBin } from './helpers.js';
import { tmuxLifecycle, envFor, tempProject } from './tmux-lifecycle.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
tmuxLifecycle(() => ({ terminal, server }));

const tuiRun = (dir: string) => `sh -c 'cd ${dir} && ${process.execPath} ${ktBin} run @kt-biome/creatures/general --llm openai/m --no-session --mode tui; echo "KT_EXITED=$?"'`;
const project = () => tempProject('kt-ui-tui-');

/** The pane's top border, then its title row, both whole: nothing else drawn over them. */
const TITLE_ROWS = /^┌─+┐\n│ Transcript {1,2}\S/;

describe('kt run --mode tui', () => {
  it('at 50×15 a long streamed answer never overdraws the title row; title, prompt and footer are cut, not wrapped', async () => {
    // One long paragraph first: it stays in the live region, many rows tall, until it is complete.
    const long = Array.from({ length: 60 }, (_, i) => `word${i} in one very long paragraph`).join(' ');
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} of a long answer that wraps across the narrow pane.`);
    server = await startFakeOpenAI({ script: [{ text: [long, ...paragraphs].join('\n\n'), chunkSize: 24, delayMs: 15 }] });
    terminal = new TmuxSession(tuiRun(project()), envFor(server), { width: 50, height: 15 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('tell me a lot', true);

    // Every screen seen until the last paragraph is in and the turn is over is checked.
    const broken: string[] = [];
    let streamed = 0;
    const done = await terminal.waitFor((screen) => {
      if (/answering/.test(screen)) streamed++;
      if (!TITLE_ROWS.test(screen) || !/^╰─+╯\n ↑ .*\n$/m.test(screen)) broken.push(screen);
      return /Paragraph 29 of/.test(screen) && /ready/.test(screen);
    });
    expect(broken.slice(0, 1)).toEqual([]);
    expect(streamed).toBeGreaterThan(0); // frames were caught mid-answer, not only the end

    const rows = done.replace(/\n$/, '').split('\n');
    expect(rows).toHaveLength(15);
    // Title, prompt placeholder and footer each keep to one row, cut with an ellipsis.
    expect(rows[1]).toMatch(/^│ Transcript .*… │$/);
    expect(rows[11]).toMatch(/^╭─+╮$/);
    expect(rows[12]).toMatch(/^│ › .*… │$/);
    expect(rows[13]).toMatch(/^╰─+╯$/);
    expect(rows[14]).toMatch(/^ ↑ \d[\d.k]* ↓ \d[\d.k]* .*…$/);
  });

  it('side panes with more rows than fit keep their titles: the tools pane cuts what does not fit', async () => {
    const reads = Array.from({ length: 12 }, (_, i) => ({ id: `r${i}`, name: 'read', arguments: { path: `notes-${i}.txt` } }));
    server = await startFakeOpenAI({ script: [{ toolCalls: reads }, { text: 'Read them all.' }] });
    terminal = new TmuxSession(tuiRun(project()), envFor(server), { width: 120, height: 20 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('read everything', true);
    const done = await terminal.waitFor(/Read them all\.[\s\S]*· ready/);
    // The side column starts where the transcript pane (120 - 38 columns) ends.
    const side = done.split('\n').map((line) => line.slice(82).replace(/[│ ]+$/, '').replace(/^│ /, ''));
    const under = (title: string) => side[side.indexOf(title) + 1];
    expect(side).toContain('Creatures');
    // A finished call right under the title (the twelve run in parallel, so which one finished last varies).
    expect(under('Tools')).toMatch(/^✗ read notes-\d+\.txt$/);
    expect(under('Sub-agents')).toBe('none yet');
  });

  it('/help names the keys only tui mode has', async () => {
    server = await startFakeOpenAI({ responder: () => ({ text: 'ok.' }) });
    terminal = new TmuxSession(tuiRun(project()), envFor(server), { width: 140, height: 60 });
    await terminal.waitFor(/openai\/m · ready/);
    terminal.type('/help', true);
    const help = await terminal.waitFor(/F2 side panes/);
    expect(help).toMatch(/tui: PageUp\/PageDown or the wheel scroll the transcript · F2 side panes · Alt\+←\/→ move/);
    expect(help).toMatch(/Shift\+Tab cycle the approval mode/);
  });
});
