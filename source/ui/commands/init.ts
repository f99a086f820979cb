/**
 * `/init`: the creature studies the project and writes AGENTS.md, the file
 * coding agents read first (how to build, test, the layout, the rules), or
 * improves the one that is there.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';

export function initPrompt(cwd: string): string {
  const present = existsSync(join(cwd, 'AGENTS.md'));
  return [
    present
      ? 'Read the AGENTS.md in this project and improve it where it is wrong, stale or missing something important.'
      : 'Write an AGENTS.md file at the root of this project for coding agents that will work here.',
    'Look at the project first (its README, package or build files, folder layout, test setup, CI config, existing style or contribution notes).',
    'Cover, briefly and concretely: what the project is; how to install, build, run, lint and test (exact commands, and how to run a single test);',
    'the layout of the code and where things go; conventions and rules that are not obvious from the code; and anything an agent must never do.',
    'Keep it short (well under 200 lines), factual, and specific to this project; do not invent commands you did not find.',
  ].join(' ');
}

export const initCommand: SlashCommand = {
  name: 'init',
  summary: 'Have the creature write (or improve) AGENTS.md for this project',
  run(agent: Agent): CommandOutcome {
    return { kind: 'turn', run: () => agent.run(initPrompt(agent.cwd), { source: 'user' }) };
  },
};
