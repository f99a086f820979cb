// Terminal-app figures of issue 16, through a real pseudo-terminal:
//  - `kt resume` of a 10k-event session: its first frame (target ≤ 200 ms, against
//    `kt run`'s), and when the repainted conversation's last turn is on screen;
//  - resize redraw: from the terminal's size change (SIGWINCH) to the frame drawn
//    again whole at the new width (target ≤ 50 ms).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { inTerminal } from './pty.mjs';
import { recordSession } from './sessions.mjs';
import { median } from './stats.mjs';

const READY = /openai\/m · ready/;

/** First frame and repaint of `kt resume` on a session of about `events` events (recorded with the engine). */
export async function resumeFrameFigures(lib, { ktBin, env, fakeServer, quick, events = 10_000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bench-resume-ui-'));
  const server = await fakeServer('openai', 'text');
  try {
    const { path } = await recordSession(lib, dir, events);
    const store = lib.SessionStore.open(path, { readonly: true });
    const eventCount = store.lastEventId();
    store.close();
    const serverEnv = { ...env, OPENAI_BASE_URL: server.baseURL };
    const frames = [], lastTurns = [], ready = [], runFrames = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      // A copy each time: a resume appends to its session, and every run should start from the same file.
      const copy = join(dir, `resume-${i}.kohakutr`);
      copyFileSync(path, copy);
      const term = inTerminal(ktBin, ['resume', copy, '--llm', 'openai/m', '--mode', 'cli', '--pwd', dir], serverEnv, dir);
      frames.push(await term.waitFor(/Ask anything/, 0, 60_000));
      // The recorded script's last answer, then the line that closes the repaint.
      lastTurns.push(await term.waitFor(/Resumed: \d+ earlier turns above/, 0, 60_000));
      ready.push(await term.waitFor(READY, 0, 60_000));
      await term.close();
      // `kt run` in the same conditions, interleaved so machine noise hits both.
      const run = inTerminal(ktBin, ['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--mode', 'cli', '--no-session'], serverEnv, dir);
      runFrames.push(await run.waitFor(/Ask anything/, 0, 60_000));
      await run.waitFor(READY, 0, 60_000);
      await run.close();
    }
    return { events: eventCount, firstFrameMs: median(frames), runFirstFrameMs: median(runFrames), lastTurnMs: median(lastTurns), readyMs: median(ready) };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Resize redraw in cli mode, idle with a short transcript: ms from the size
 * change to the footer of the frame drawn after the screen was wiped (the
 * app redraws the live region whole at the new width, see ui/cli/run.tsx).
 */
export async function resizeFigures({ ktBin, env, fakeServer, quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bench-resize-'));
  const server = await fakeServer('openai', 'text');
  try {
    const term = inTerminal(ktBin, ['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--mode', 'cli', '--no-session'], { ...env, OPENAI_BASE_URL: server.baseURL }, dir);
    await term.waitFor(READY, 0, 60_000);
    for (const prompt of ['first question', 'second question']) {
      const from = term.output.length;
      term.type(`${prompt}\r`);
      await term.waitFor(/Hello from the fake model\.[\s\S]*· ready/, from);
    }
    const samples = [];
    const widths = [100, 80, 70, 110, 120];
    for (let i = 0; i < (quick ? 10 : 30); i++) {
      const from = term.output.length;
      const cols = widths[i % widths.length];
      const at = term.resize(cols, 40);
      const done = await term.waitUntil((all) => {
        const after = all.slice(from);
        const wiped = after.lastIndexOf('\u001b[3J');
        return wiped >= 0 && READY.test(stripVTControlCharacters(after.slice(wiped)));
      }, `the frame redrawn at ${cols} columns`);
      samples.push(done - at);
      // Let the redraw settle (Ink's throttled frame) before the next size change.
      await new Promise((r) => setTimeout(r, 100));
    }
    await term.close();
    return { redrawMs: median(samples), redrawMaxMs: Math.max(...samples), resizes: samples.length };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
