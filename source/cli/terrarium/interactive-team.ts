/**
 * A terrarium in the terminal app: the team view (roster, focus, graph)
 * loaded only now. Ctrl+C and SIGTERM stop every member; the exit code is 0
 * when the person leaves.
 */
import type { ConverseOptions } from '../converse-flags.js';
import { EXIT } from '../exit.js';
import type { OpenTeam } from './open-team.js';

export async function runTeamApp(opened: OpenTeam, options: ConverseOptions): Promise<number> {
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  const { runTeamInteractive } = await import('../../ui/team/run-team.js');
  const { team, root } = opened;
  const stop = () => void team.shutdown().finally(() => process.exit(143));
  process.once('SIGTERM', stop);
  try {
    await runTeamInteractive(team, {
      root: root.name,
      mode: options.mode === 'tui' ? 'tui' : 'cli',
      approvalMode: options.approvalMode,
      expanded: options.verbose,
      notes: opened.notes,
      ...(opened.history ? { history: opened.history } : {}),
    });
  } finally {
    process.off('SIGTERM', stop);
    await team.shutdown();
  }
  return EXIT.ok;
}
