import { describe, expect, it } from 'vitest';
import { selectMode } from '../../source/ui/mode.js';

const tty = { stdinTTY: true, stdoutTTY: true, scripted: false, term: 'xterm-256color', requested: undefined };

describe('selectMode', () => {
  it('a terminal gets cli by default; pipes, prompts and dumb terminals get plain', () => {
    expect(selectMode(tty)).toEqual({ mode: 'cli' });
    expect(selectMode({ ...tty, stdoutTTY: false })).toEqual({ mode: 'plain' });
    expect(selectMode({ ...tty, stdinTTY: false })).toEqual({ mode: 'plain' });
    expect(selectMode({ ...tty, scripted: true })).toEqual({ mode: 'plain' });
    expect(selectMode({ ...tty, term: 'dumb' })).toEqual({ mode: 'plain' });
  });

  it('honours --mode, refuses the UI without a terminal, and prints scripted runs plainly', () => {
    expect(selectMode({ ...tty, requested: 'tui' })).toEqual({ mode: 'tui' });
    expect(selectMode({ ...tty, requested: 'plain' })).toEqual({ mode: 'plain' });
    expect(selectMode({ ...tty, requested: 'cli', scripted: true })).toEqual({ mode: 'plain' });
    expect(selectMode({ ...tty, requested: 'cli', stdoutTTY: false })).toMatchObject({ error: expect.stringMatching(/needs a terminal/) });
    expect(selectMode({ ...tty, requested: 'gui' })).toMatchObject({ error: expect.stringMatching(/plain, cli, tui/) });
  });
});
