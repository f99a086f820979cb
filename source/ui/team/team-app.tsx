/**
 * The terminal app for a team. cli mode: the focused creature's transcript
 * (the single-creature view, one per member), its live region and prompt,
 * then the roster line and the footer. tui mode: the single-creature screen
 * with the roster and the channels as a row of tabs and the team graph on
 * the side; a channel tab shows the channel's log, and a line typed there is
 * posted on it. Tab (with an empty prompt) or `@name` / `@#channel` alone
 * moves the focus; `@name message` starts a turn of that member and
 * `@#channel message` posts on the channel (both modes), without moving it.
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
import { isChannelFocus, parseAddress } from './team-state.js';
import type { TeamStore } from './team-store.js';
import { useTeam } from './use-team.js';

export type TeamAppProps = Omit<AppProps, 'slot' | 'store'> & { team: TeamStore; mode: 'cli' | 'tui' };

/** The keys and lines a team screen handles before the prompt does. Channel tabs are tui's only. */
export function useTeamInput(team: TeamStore, mode: 'cli' | 'tui', onExit: () => void) {
  const tabs = mode === 'tui';
  const onLayoutKey = useCallback(
    (event: KeyEvent, prompt: { empty: boolean }) => {
      if (event.kind !== 'key' || event.name !== 'tab' || event.shift || event.ctrl || event.meta || !prompt.empty) return false;
      team.cycleFocus(tabs);
      return true;
    },
    [team, tabs],
  );
  const onSubmitLine = useCallback(
    (raw: string) => {
      const note = (text: string, tone: 'error' | 'warning' = 'error') => team.focused().store.update((s) => addItem(s, { kind: 'info', tone, text }));
      const post = (channel: string, text: string) => {
        try {
          team.post(channel, text);
        } catch (error) {
          note(`#${channel}: ${(error as Error).message}`);
        }
      };
      const address = parseAddress(raw, [...team.names(), ...team.channelNames()]);
      if (address && isChannelFocus(address.name)) {
        if (address.message !== undefined) post(address.name.slice(1), address.message);
        else if (tabs) team.setFocus(address.name);
        else note(`Channels have tabs in tui mode; here, ${address.name} <message> posts on it.`, 'warning');
        return true;
      }
      if (address) {
        if (address.message === undefined) return team.setFocus(address.name);
        void team.send(address.name, address.message)?.catch((error: unknown) => note(`${address.name}: ${(error as Error).message}`));
        return true;
      }
      const focus = team.getState().focus;
      if (!isChannelFocus(focus)) return false;
      // A channel tab's prompt talks to no creature: a line is a post, and commands need a creature.
      const line = raw.trim();
      if (!line) return true;
      if (line === '/exit' || line === '/quit') onExit();
      else if (line.startsWith('/')) note(`On ${focus} a line is posted on the channel; commands act on a creature: Tab or @name focuses one.`, 'warning');
      else post(focus.slice(1), line);
      return true;
    },
    [team, tabs, onExit],
  );
  return { onLayoutKey, onSubmitLine };
}

export function TeamApp({ team, mode, renderer, ...rest }: TeamAppProps) {
  const focus = useTeam(team, (v) => v.focus);
  const { store, slot } = team.viewOf(focus)!;
  const input = useTeamInput(team, mode, rest.onExit);
  if (mode === 'tui') {
    const title = isChannelFocus(focus) ? `${focus} channel` : undefined;
    return (
      <TuiApp
        key={focus}
        {...rest}
        renderer={renderer}
        slot={slot}
        store={store}
        team={{ header: <Roster team={team} hint={false} channels />, side: <TeamGraphPane team={team} />, ...(title ? { title } : {}), ...input }}
      />
    );
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
