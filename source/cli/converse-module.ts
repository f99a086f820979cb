/**
 * `kt run` of a creature whose config names its own input (`input: webhook`,
 * `stdin_lines`, `none` or a custom module): the module submits the turns,
 * kt shows them and stays until the creature stops (the input ended, an idle
 * timeout) or the user stops it (Ctrl+C, which is a normal way to end such a
 * run and exits 0).
 */
import type { Agent } from '../engine/creature/agent.js';
import type { TurnResult } from '../engine/creature/turn-result.js';
import type { EventOf } from '../engine/events.js';

/** Input types that are kt itself: with them (or none configured) the prompt comes from -p, stdin or the terminal. */
const SURFACE_INPUTS = new Set(['cli', 'tui']);

/** Whether the configured input drives the creature by itself. */
export function drivesItself(kind: string | undefined): kind is string {
  return kind !== undefined && kind !== '' && !SURFACE_INPUTS.has(kind);
}

/** What kt says on stderr when the run starts. */
export function moduleNotice(agent: Agent, kind: string): string {
  if (kind === 'none') return `kt: ${agent.name} takes no input; its triggers drive it (Ctrl+C to stop)`;
  const where = agent.inputModule?.describe?.();
  return `kt: ${agent.name} takes input from ${where ?? kind} (Ctrl+C to stop)`;
}

/**
 * Show each module-driven turn's end as kt shows a typed one (the final
 * newline, or the result object for --output-format json), and resolve when
 * the creature stops.
 */
export function followModuleRun(agent: Agent, endTurn: (result: TurnResult) => void): Promise<void> {
  agent.on('turn.end', (event) => {
    if (event.agentPath.length === 1) endTurn(resultOf(agent, event));
  });
  return new Promise<void>((resolve) => {
    if (agent.state === 'stopped') return resolve();
    // A creature only triggers drive (or an input that waits without a handle of its own) must not let Node exit.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    agent.on('creature.stop', () => {
      clearInterval(keepAlive);
      resolve();
    });
  });
}

function resultOf(agent: Agent, event: EventOf<'turn.end'>): TurnResult {
  return {
    status: event.status,
    text: event.text,
    usage: event.usage,
    toolCalls: [],
    turnId: event.turnId ?? '',
    sessionId: agent.sessionId,
    steps: event.steps,
    durationMs: event.durationMs,
    ...(event.limit ? { limit: event.limit } : {}),
    ...(event.error ? { error: event.error } : {}),
    ...(event.warnings ? { warnings: event.warnings } : {}),
  };
}
