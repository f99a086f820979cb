/**
 * The roster line: each creature with its state glyph (○ idle, ● running,
 * × stopped) and how many things happened there since the person looked;
 * the focused one is bold and bracketed. In tui mode the same line is the
 * row of tabs, with a tab per channel after the creatures (`#review`, its
 * unread messages counted the same way).
 */
import { Box, Text } from 'ink';
import { STATE_GLYPH } from './team-state.js';
import type { TeamStore } from './team-store.js';
import { useTeam } from './use-team.js';

export function Roster({ team, hint = true, channels = false }: { team: TeamStore; hint?: boolean; channels?: boolean }) {
  const roster = useTeam(team, (v) => v.roster);
  const tabs = useTeam(team, (v) => v.channels);
  const focus = useTeam(team, (v) => v.focus);
  return (
    <Box>
      <Text wrap="truncate-end">
        {roster.map((r) => {
          const focused = r.name === focus;
          const glyph = STATE_GLYPH[r.state];
          return (
            <Text key={r.name}>
              <Text color={r.state === 'running' ? 'green' : r.state === 'stopped' ? 'red' : 'gray'}>{glyph}</Text>
              <Text bold={focused} inverse={focused}>{focused ? `[${r.name}]` : ` ${r.name} `}</Text>
              {r.unread > 0 ? <Text color="yellow">({r.unread})</Text> : null}
              <Text> </Text>
            </Text>
          );
        })}
        {channels
          ? tabs.map((t) => {
              const focused = `#${t.name}` === focus;
              return (
                <Text key={`#${t.name}`}>
                  <Text bold={focused} inverse={focused} color={focused ? undefined : 'magenta'}>{focused ? `[#${t.name}]` : ` #${t.name} `}</Text>
                  {t.unread > 0 ? <Text color="yellow">({t.unread})</Text> : null}
                  <Text> </Text>
                </Text>
              );
            })
          : null}
        {hint ? <Text dimColor> Tab or @name to switch · @name msg to talk to it · @#channel msg to post</Text> : null}
      </Text>
    </Box>
  );
}
