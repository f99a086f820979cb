/**
 * Which surface a run gets, decided before anything heavy loads: `plain`
 * never imports Ink. A person at a terminal gets `cli` unless they ask for
 * `tui`; anything scripted (a prompt on the command line, piped input or
 * output) gets `plain`.
 */
export type UiMode = 'plain' | 'cli' | 'tui';

export interface ModeInputs {
  /** `--mode`, when given. */
  requested: string | undefined;
  stdinTTY: boolean;
  stdoutTTY: boolean;
  /** `-p` or `--input-format stream-json`: a scripted run. */
  scripted: boolean;
  /** TERM=dumb terminals cannot draw the UI. */
  term: string | undefined;
}

export type ModeChoice = { mode: UiMode } | { error: string };

export function selectMode(inputs: ModeInputs): ModeChoice {
  const { requested } = inputs;
  if (requested !== undefined && !['plain', 'cli', 'tui'].includes(requested)) {
    return { error: `--mode must be one of plain, cli, tui (got '${requested}')` };
  }
  const terminal = inputs.stdinTTY && inputs.stdoutTTY && inputs.term !== 'dumb';
  if (requested === 'plain') return { mode: 'plain' };
  if (requested === 'cli' || requested === 'tui') {
    // A scripted run prints its answer whatever the mode; the UI is for conversations.
    if (inputs.scripted) return { mode: 'plain' };
    if (!terminal) return { error: `--mode ${requested} needs a terminal (stdin and stdout); use --mode plain for pipes` };
    return { mode: requested };
  }
  return { mode: terminal && !inputs.scripted ? 'cli' : 'plain' };
}
