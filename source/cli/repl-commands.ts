/**
 * Slash commands of the plain-mode prompt. Anything else is a prompt.
 *   /regen           run the last turn again (a new branch; the old one stays in the log)
 *   /edit <n> <text> replace turn n's input and run it again as a new branch
 *   /fork [event]    copy the session so far (or up to an event) into a new file
 *   /triggers [delete <id>]  list the creature's triggers, or stop one (the terminal app's command)
 *   /help            this list
 */
import { dirname } from 'node:path';
import type { Agent } from '../engine/creature/agent.js';
import type { TurnResult } from '../engine/creature/turn-result.js';
import { KTError } from '../engine/errors.js';
import type { UserContent } from '../engine/llm/messages.js';

const HELP = `/regen            run the last turn again as a new branch
/edit <n> <text>  replace the input of turn n and run it again
/fork [event]     copy this session (up to an event) into a new file
/triggers [delete <id>]  list the triggers that start turns on their own, or delete one
/exit             leave (or Ctrl+D)`;

export async function replCommands(
  agent: Agent,
  line: string,
  turn: (input: UserContent) => Promise<void>,
  settle: (result: TurnResult) => void,
): Promise<void> {
  if (!line.startsWith('/')) return turn(line);
  const [command = '', ...rest] = line.slice(1).split(/\s+/);
  try {
    switch (command) {
      case 'help':
        process.stdout.write(`${HELP}\n`);
        return;
      case 'regen':
      case 'regenerate':
        settle(await agent.regenerate({ source: 'user' }));
        return;
      case 'edit': {
        const index = Number(rest[0]);
        const text = line.slice(line.indexOf(rest[0] ?? '') + (rest[0]?.length ?? 0)).trim();
        if (!Number.isInteger(index) || !text) {
          process.stderr.write('kt: usage: /edit <turn number> <new text>\n');
          return;
        }
        settle(await agent.editTurn(index, text, { source: 'user' }));
        return;
      }
      case 'fork': {
        if (!agent.sessionPath) {
          process.stderr.write('kt: this run has no session to fork (--no-session)\n');
          return;
        }
        const { forkSession } = await import('../engine/session/fork.js');
        const { newSessionPath } = await import('../engine/session/listing.js');
        const target = newSessionPath(dirname(agent.sessionPath), `${agent.name}-fork`);
        const upTo = rest[0] ? Number(rest[0]) : undefined;
        const fork = forkSession(agent.sessionPath, target, upTo !== undefined ? { upTo } : {});
        process.stdout.write(`Forked ${fork.events} events into ${fork.path}\n`);
        return;
      }
      case 'triggers': {
        // The terminal app's command, so both say the same thing.
        const { triggersCommand } = await import('../ui/commands/triggers.js');
        const outcome = await triggersCommand.run(agent, rest.join(' '));
        if (outcome.kind === 'note') (outcome.tone && outcome.tone !== 'info' ? process.stderr : process.stdout).write(`${outcome.text}\n`);
        return;
      }
      default:
        process.stderr.write(`kt: unknown command /${command}; /help lists them\n`);
    }
  } catch (error) {
    process.stderr.write(`kt: ${error instanceof KTError || error instanceof Error ? error.message : String(error)}\n`);
  }
}
