/**
 * Several live sessions' events folded into one state: the team graph
 * follows every member's socket, since a message between two members
 * (swe → reviewer) never shows on the root's. Sockets follow the list of
 * session ids as it changes (a member added at run time gets one, a member
 * gone loses its), at most MAX_TEAM_SOCKETS at once, and all close when the
 * view goes. Each socket resumes with `since` after a drop; the fold gets the
 * session id with every burst so it can drop what a session sent twice.
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import type { AgentEvent } from '../../engine/events.js';
import { openSessionSocket, type SessionSocket, type SocketStatus } from './session-socket.js';

/** A browser allows a few hundred sockets, but each member's stream costs the server a subscriber: a team larger than this shows the rest through the topology's polled states only. */
export const MAX_TEAM_SOCKETS = 16;

export interface TeamEvents<S> {
  state: S;
  /** Each followed session's socket status. */
  sockets: Record<string, SocketStatus>;
  update: (change: (state: S) => S) => void;
}

type Action<S> = { session: string; events: AgentEvent[] } | ((state: S) => S);

export function useTeamEvents<S>(ids: readonly string[], fold: (state: S, session: string, events: AgentEvent[]) => S, initial: S): TeamEvents<S> {
  const [state, dispatch] = useReducer((current: S, action: Action<S>) => (typeof action === 'function' ? action(current) : fold(current, action.session, action.events)), initial);
  const [sockets, setSockets] = useState<Record<string, SocketStatus>>({});
  const open = useRef(new Map<string, SessionSocket>());
  // Where each session's stream got to, so a socket opened again (React re-running the effect) starts after it.
  const since = useRef(new Map<string, number>());
  const wanted = [...new Set(ids)].slice(0, MAX_TEAM_SOCKETS);
  const key = wanted.join('\n');

  useEffect(() => {
    const keep = new Set(key ? key.split('\n') : []);
    for (const [id, socket] of open.current) {
      if (keep.has(id)) continue;
      since.current.set(id, socket.since());
      socket.close();
      open.current.delete(id);
      setSockets(({ [id]: _gone, ...rest }) => rest);
    }
    for (const id of keep) {
      if (open.current.has(id)) continue;
      const socket = openSessionSocket(id, since.current.get(id) ?? 0, {
        events: (events) => dispatch({ session: id, events }),
        status: (status) => setSockets((all) => ({ ...all, [id]: status })),
      });
      open.current.set(id, socket);
    }
  }, [key]);

  useEffect(
    () => () => {
      for (const [id, socket] of open.current) {
        since.current.set(id, socket.since());
        socket.close();
      }
      open.current.clear();
    },
    [],
  );

  return { state, sockets, update: dispatch };
}
