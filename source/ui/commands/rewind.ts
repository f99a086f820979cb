/**
 * `/rewind`: step back to an earlier message. Without a number it lists the
 * turns; `/rewind <n>` puts turn n's message back in the prompt box, and
 * sending it (as is or edited) replaces turn n and everything after it as a
 * new branch (`editTurn`), so the session log keeps both and a resume sees
 * the rewound conversation. Files the turns changed are not put back.
 */
import type { Agent, UserContent } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';

function inputText(input: UserContent): string {
  if (typeof input === 'string') return input;
  return input.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

export const rewindCommand: SlashCommand = {
  name: 'rewind',
  args: '[n]',
  summary: 'Go back to turn n: its message returns to the prompt, sending it replaces the turns from there',
  run(agent: Agent, args: string): CommandOutcome {
    const turns = agent.liveTurns;
    if (turns.length === 0) return { kind: 'note', text: 'No turns yet.' };
    const arg = args.trim();
    if (!arg) {
      const lines = turns.map((t, i) => `${String(i + 1).padStart(3)}  ${inputText(t.input).split('\n')[0]!.slice(0, 100)}`);
      return { kind: 'note', text: [...lines, '', '/rewind <n> puts that message back in the prompt; sending it replaces turn n and what came after.'].join('\n') };
    }
    const n = Number(arg);
    if (!Number.isInteger(n) || n < 1 || n > turns.length) return { kind: 'note', tone: 'warning', text: `usage: /rewind <n> with n from 1 to ${turns.length}` };
    if (agent.state === 'running') return { kind: 'note', tone: 'warning', text: 'A turn is running; interrupt it (Esc) before rewinding.' };
    if (turns[n - 1]!.start < 0) return { kind: 'note', tone: 'warning', text: `turn ${n} was compacted into a summary; only later turns can be rewound to` };
    return { kind: 'rewind', turn: n, input: inputText(turns[n - 1]!.input) };
  },
};
