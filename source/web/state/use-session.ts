/**
 * A live session in the page: its socket, the chat folded from its events,
 * and a way to talk back. The socket resumes after a drop with `?since=` the
 * last event seen, so nothing is shown twice or lost (the reducer also drops
 * repeats, in case the server's replay overlaps).
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { AgentEvent } from '../../engine/events.js';
import { api, type ClientFrame } from '../api.js';
import { emptyChat, reduceChat, type ChatState } from './chat.js';
import { openSessionSocket, type SessionSocket, type SocketStatus } from './session-socket.js';

export type { SocketStatus } from './session-socket.js';

export function useSession(id: string): { chat: ChatState; status: SocketStatus; send: (frame: ClientFrame) => Promise<void> } {
  const { state, status, send } = useSessionEvents(id, reduceChat, emptyChat);
  return { chat: state, status, send };
}

export interface SessionEvents<S> {
  state: S;
  status: SocketStatus;
  send: (frame: ClientFrame) => Promise<void>;
  /** Change the state outside the event stream (the graph's topology fetched over HTTP). */
  update: (change: (state: S) => S) => void;
}

/** A session's events folded by `reduce` (the chat, the graph, ...). */
export function useSessionEvents<S>(id: string, reduce: (state: S, event: AgentEvent) => S, initial: S): SessionEvents<S> {
  const [state, dispatch] = useReducer((current: S, events: AgentEvent[] | ((s: S) => S)) => (typeof events === 'function' ? events(current) : events.reduce(reduce, current)), initial);
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const socket = useRef<SessionSocket | null>(null);
  // Kept across the effect's re-runs, so a reopened socket starts after what was already folded.
  const since = useRef({ id, seq: 0 });

  useEffect(() => {
    const opened = openSessionSocket(id, since.current.id === id ? since.current.seq : 0, { events: dispatch, status: setStatus });
    socket.current = opened;
    return () => {
      since.current = { id, seq: opened.since() };
      opened.close();
      socket.current = null;
    };
  }, [id]);

  const send = useCallback(
    async (frame: ClientFrame) => {
      if (socket.current?.send(frame)) return;
      // No socket right now: the same request over HTTP.
      if (frame.type === 'input') await api.sendInput(id, frame.text);
      else if (frame.type === 'interrupt') await api.interrupt(id);
      else await api.answer(id, frame.id, frame.reply);
    },
    [id],
  );
  return { state, status, send, update: dispatch };
}
