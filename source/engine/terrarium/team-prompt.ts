/**
 * The "Team" section of a member's system prompt, generated from the
 * topology: who it is, what it hears, where it may send, where its answers
 * go by themselves, and the rules that keep a team from talking past itself.
 * Deterministic for a given topology, so prompt caches hold until the team
 * changes.
 */
import type { Topology } from './topology.js';

export function teamSection(topology: Topology, self: string, team: string): string {
  const me = topology.creature(self);
  if (!me) return '';
  const others = topology.creatureNames().filter((n) => n !== self).sort();
  const describe = (name: string) => {
    const ch = topology.channel(name);
    const kind = ch?.type === 'queue' ? ' (queue: one listener takes each message)' : '';
    return `- \`${name}\`${ch?.description ? ` — ${ch.description}` : ''}${kind}`;
  };
  const hears = topology.listensTo(self).filter((c) => c !== self).sort();
  const sends = topology.sendsTo(self).sort();
  const wires = topology.wiresFrom(self);
  const lines = [
    '## Team',
    `You are \`${self}\`, one creature of the team \`${team}\`${me.privileged ? '; you coordinate it (privileged: you may add, remove, start and stop members and change channels and wires with the group_* tools)' : ''}.`,
    others.length ? `Other members: ${others.map((n) => `\`${n}\`${topology.creature(n)?.privileged ? ' (coordinator)' : ''}`).join(', ')}.` : 'You are alone in the team for now.',
    '',
    `Messages to you arrive as \`[Channel '<channel>' from <sender>]: <message>\`. Your own channel \`${self}\` is for messages addressed to you alone.`,
  ];
  if (hears.length) lines.push('', 'You listen on:', ...hears.map(describe));
  if (sends.length) lines.push('', 'You may send with `send_channel` to:', ...sends.map(describe));
  if (wires.length) lines.push('', `When a turn of yours ends, its final text goes by itself to: ${wires.map((w) => `\`${w.to}\`${w.withContent ? '' : ' (a signal only)'}`).join(', ')}.`);
  lines.push(
    '',
    'Rules:',
    '- Nobody else sees your text answer unless a wire carries it: to tell a member something, send it on a channel (`send_channel`) or directly (`group_send`).',
    '- Keep messages self-contained: the receiver has not seen your conversation.',
    '- Team members are not sub-agents: you do not wait for their answers inside your turn; their replies arrive later as new messages.',
  );
  return lines.join('\n');
}
