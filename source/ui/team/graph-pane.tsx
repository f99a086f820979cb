/**
 * The team as a graph, for tui's side: each creature with its state and
 * privilege, each channel with who hears it and who may send, and the
 * output wires. A creature or channel that just carried a message is marked
 * (✦) until a later render tick clears it.
 */
import { Box, Text } from 'ink';
import { STATE_GLYPH } from './team-state.js';
import type { TeamStore } from './team-store.js';
import { useTeam } from './use-team.js';

export function TeamGraphPane({ team }: { team: TeamStore }) {
  const graph = useTeam(team, (v) => v.graph);
  const roster = useTeam(team, (v) => v.roster);
  const lit = useTeam(team, (v) => v.lit);
  const focus = useTeam(team, (v) => v.focus);
  const stateOf = (name: string) => roster.find((r) => r.name === name)?.state ?? 'stopped';
  // A member's own direct channel is shown on its node, not as a channel row.
  const names = new Set(graph.creatures.map((c) => c.name));
  const channels = graph.channels.filter((c) => !names.has(c.name) || graph.send.some(([, ch]) => ch === c.name));
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1} flexShrink={0}>
      <Text bold color="cyan">Team</Text>
      {graph.creatures.map((c) => (
        <Text key={c.name} wrap="truncate-end">
          <Text color={stateOf(c.name) === 'running' ? 'green' : 'gray'}>{STATE_GLYPH[stateOf(c.name)]}</Text> <Text bold={c.name === focus}>{c.name}</Text>
          <Text dimColor>{c.privileged ? ' ★' : ''} {stateOf(c.name)}</Text>
          {lit[c.name] !== undefined ? <Text color="yellow"> ✦</Text> : null}
        </Text>
      ))}
      {channels.map((ch) => {
        const listeners = graph.listen.filter(([, c]) => c === ch.name).map(([who]) => who);
        const senders = graph.send.filter(([, c]) => c === ch.name).map(([who]) => who);
        return (
          <Text key={ch.name} wrap="truncate-end">
            <Text color={lit[`#${ch.name}`] !== undefined ? 'yellow' : 'magenta'}>#{ch.name}</Text>
            <Text dimColor> {ch.type === 'queue' ? 'queue' : 'bcast'} {senders.join(',') || '—'} → {listeners.join(',') || '—'}</Text>
            {lit[`#${ch.name}`] !== undefined ? <Text color="yellow"> ✦</Text> : null}
          </Text>
        );
      })}
      {graph.wires.map((w) => (
        <Text key={w.id} wrap="truncate-end" dimColor>
          {w.from} ⇒ {w.to}
        </Text>
      ))}
    </Box>
  );
}
