/**
 * A live session in the page: its socket, the chat folded from its events,
 * and a way to talk back. The socket resumes after a drop with `?since=` the
 * last event seen, so nothing is shown twice or lost (the reducer also drops
 * repeats, in case the server's replay overlaps).
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { AgentEvent } from '../../engine/events.js';
import { api, socketUrl, type ClientFrame, type ControlFrame } from '../api.js';
import { emptyChat, reduceChat, type ChatState } from './chat.js';

export type SocketStatus = 'connecting' | 'open' | 'closed';

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
  // Events in one burst of socket messages are folded together: one render per burst, not per token.
  const [state, dispatch] = useReducer((current: S, events: AgentEvent[] | ((s: S) => S)) => (typeof events === 'function' ? events(current) : events.reduce(reduce, current)), initial);
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const socket = useRef<WebSocket | null>(null);
  const since = useRef(0);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: AgentEvent[] = [];
    let flushQueued = false;
    const flush = () => {
      flushQueued = false;
      const batch = pending;
      pending = [];
      if (batch.length) dispatch(batch);
    };
    const open = () => {
      setStatus('connecting');
      const ws = new WebSocket(socketUrl(id, since.current));
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        setStatus('open');
      };
      ws.onmessage = (message) => {
        const frame = JSON.parse(String(message.data)) as AgentEvent | ControlFrame;
        if (frame.type === 'socket.lagged') return ws.close(); // reconnect with since: the server replays what we missed
        if (frame.type === 'socket.ready') return;
        since.current = Math.max(since.current, frame.seq);
        pending.push(frame);
        if (!flushQueued) {
          flushQueued = true;
          queueMicrotask(flush);
        }
      };
      ws.onclose = () => {
        if (stopped) return;
        setStatus('closed');
        timer = setTimeout(open, Math.min(5000, 200 * 2 ** attempt++));
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket.current?.close();
      socket.current = null;
    };
  }, [id]);

  const send = useCallback(
    async (frame: ClientFrame) => {
      const ws = socket.current;
      if (ws && ws.readyState === WebSocket.OPEN) return ws.send(JSON.stringify(frame));
      // No socket right now: the same request over HTTP.
      if (frame.type === 'input') await api.sendInput(id, frame.text);
      else if (frame.type === 'interrupt') await api.interrupt(id);
      else await api.answer(id, frame.id, frame.reply);
    },
    [id],
  );
  return { state, status, send, update: dispatch };
}
