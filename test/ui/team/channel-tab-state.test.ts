/**
 * The team view's channel tabs, pure: which channels get one, unread counts
 * (none while the tab has the focus), the Tab order, `@#channel` parsing,
 * and the focus leaving a channel that was removed.
 */
import { describe, expect, it } from 'vitest';
import type { TeamEvent, TeamGraph } from '../../../source/ui/team/team-source.js';
import { focusOn, focusOrder, initialTeamView, nextFocus, parseAddress, reduceTeam, withGraph, type TeamView } from '../../../source/ui/team/team-state.js';

const graph = (channels: string[]): TeamGraph => ({
  creatures: [
    { name: 'root', privileged: true },
    { name: 'worker', privileged: false },
  ],
  channels: ['root', 'worker', ...channels].map((name) => ({ name, type: 'broadcast', description: '' })),
  listen: [],
  send: [],
  wires: [],
});

const view = (channels = ['chat', 'review']): TeamView => withGraph(initialTeamView('root', [], graph(channels)), graph(channels), () => 'idle');
const message = (channel: string): TeamEvent => ({ kind: 'channel_message', creature: 'worker', channel, payload: { content: 'x', deliveredTo: ['root'] } });
const unread = (v: TeamView, name: string) => v.channels.find((t) => t.name === name)?.unread;

describe('channel tabs in the team view', () => {
  it('a tab per channel that is not a member direct channel', () => {
    expect(view().channels.map((t) => t.name)).toEqual(['chat', 'review']);
  });

  it('counts messages on a channel until its tab is focused; none while it has the focus', () => {
    let v = reduceTeam(reduceTeam(view(), message('chat')), message('chat'));
    expect(unread(v, 'chat')).toBe(2);
    expect(unread(v, 'review')).toBe(0);
    v = focusOn(v, '#chat');
    expect(v.focus).toBe('#chat');
    expect(unread(v, 'chat')).toBe(0);
    v = reduceTeam(v, message('chat'));
    expect(unread(v, 'chat')).toBe(0);
    // The member that heard it counts it now that it has lost the focus.
    expect(v.roster.find((r) => r.name === 'root')!.unread).toBe(1);
  });

  it('Tab goes through the members, then (tui) the channels; without channels only the members', () => {
    expect(focusOrder(view(), true)).toEqual(['root', 'worker', '#chat', '#review']);
    expect(nextFocus(focusOn(view(), 'worker'), true)).toBe('#chat');
    expect(nextFocus(focusOn(view(), '#review'), true)).toBe('root');
    expect(nextFocus(focusOn(view(), 'worker'))).toBe('root');
  });

  it('focusing an unknown channel changes nothing; a removed focused channel gives the focus back to the first member', () => {
    expect(focusOn(view(), '#nope').focus).toBe('root');
    const onChat = focusOn(view(), '#chat');
    const gone = withGraph(onChat, graph(['review']), () => 'idle');
    expect(gone.focus).toBe('root');
    expect(gone.channels.map((t) => t.name)).toEqual(['review']);
  });

  it('@#channel parses like @name, only for names it is given', () => {
    const names = ['root', '#chat'];
    expect(parseAddress('@#chat', names)).toEqual({ name: '#chat' });
    expect(parseAddress('@#chat  hello there ', names)).toEqual({ name: '#chat', message: 'hello there' });
    expect(parseAddress('@#nope hi', names)).toBeUndefined();
    expect(parseAddress('@root hi', names)).toEqual({ name: 'root', message: 'hi' });
  });
});
