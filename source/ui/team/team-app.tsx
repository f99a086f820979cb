/**
 * The terminal app for a team. cli mode: the focused creature's transcript
 * (the single-creature view, one per member), its live region and prompt,
 * then the roster line and the footer. tui mode: the single-creature screen
 * with the roster as a row of tabs and the team graph on the side. Tab (with
 * an empty prompt) or `@name` alone moves the focus; `@name message` starts
 * a turn of that member without moving it.
 */
import { Box } from 'ink';
import { useCallback } from 'react';
import type { AppProps } from '../components/app-props.js';
import { LivePane, FooterPane } from '../components/live-pane.js';
import { PromptArea } from '../components/prompt-area.js';
import { RenderContext } from '../components/render-context.js';
import { Transcript } from '../components/transcript.js';
import type { KeyEvent } from '../input/index.js';
import { addItem } from '../state/reduce.js';
import { TuiApp } from '../tui/app.js';
import { TeamGraphPane } from './graph-pane.js';
import { Roster } from './roster.js';
import { parseAddress } from './team-state.js';
import type { TeamStore } from './team-store.js';
import { useTeam } from './use-team.js';

export type TeamAppProps = Omit<AppProps, 'slot' | 'store'> & { team: TeamStore; mode: 'cli' | 'tui' };

/** The keys and lines a team screen handles before the prompt does. */
export function useTeamInput(team: TeamStore) {
  const onLayoutKey = useCallback(
    (event: KeyEvent, prompt: { empty: boolean }) => {
      if (event.kind !== 'key' || event.name !== 'tab' || event.shift || event.ctrl || event.meta || !prompt.empty) return false;
      team.cycleFocus();
      return true;
    },
    [team],
  );
  const onSubmitLine = useCallback(
    (raw: string) => {
      const address = parseAddress(raw, team.names());
      if (!address) return false;
      if (address.message === undefined) return team.setFocus(address.name);
      const note = (text: string) => team.focused().store.update((s) => addItem(s, { kind: 'info', tone: 'error', text }));
      void team.send(address.name, address.message)?.catch((error: unknown) => note(`${address.name}: ${(error as Error).message}`));
      return true;
    },
    [team],
  );
  return { onLayoutKey, onSubmitLine };
}

export function TeamApp({ team, mode, renderer, ...rest }: TeamAppProps) {
  const focus = useTeam(team, (v) => v.focus);
  const { store, slot } = team.member(focus)!;
  const input = useTeamInput(team);
  if (mode === 'tui') {
    return <TuiApp key={focus} {...rest} renderer={renderer} slot={slot} store={store} team={{ header: <Roster team={team} hint={false} />, side: <TeamGraphPane team={team} />, ...input }} />;
  }
  return (
    <RenderContext.Provider value={renderer}>
      <Transcript key={focus} store={store} />
      <Box flexDirection="column">
        <LivePane store={store} />
        <PromptArea key={focus} {...rest} slot={slot} store={store} {...input} />
        <Roster team={team} />
        <FooterPane store={store} />
      </Box>
    </RenderContext.Provider>
  );
}
