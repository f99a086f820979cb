/**
 * One live session's socket, outside React: it delivers the session's
 * events in bursts (one callback per burst of socket messages, so a view
 * renders once per burst, not per token) and reconnects after a drop with
 * `?since=` the newest seq it saw, so the server replays exactly what was
 * missed. The chat follows one of these; the team graph one per member.
 */
import type { AgentEvent } from '../../engine/events.js';
import { socketUrl, type ClientFrame, type ControlFrame } from '../api.js';

export type SocketStatus = 'connecting' | 'open' | 'closed';

export interface SocketHandlers {
  events: (events: AgentEvent[]) => void;
  status: (status: SocketStatus) => void;
}

export interface SessionSocket {
  /** Send a frame if the socket is open right now; false when it is not (the caller falls back to HTTP). */
  send: (frame: ClientFrame) => boolean;
  /** The newest seq seen, for a later socket on the same session to start from. */
  since: () => number;
  close: () => void;
}

export function openSessionSocket(id: string, since: number, on: SocketHandlers): SessionSocket {
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ws: WebSocket | null = null;
  let pending: AgentEvent[] = [];
  let flushQueued = false;
  const flush = () => {
    flushQueued = false;
    const batch = pending;
    pending = [];
    if (batch.length && !stopped) on.events(batch);
  };
  const open = () => {
    on.status('connecting');
    const socket = new WebSocket(socketUrl(id, since));
    ws = socket;
    socket.onopen = () => {
      attempt = 0;
      on.status('open');
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as AgentEvent | ControlFrame;
      if (frame.type === 'socket.lagged') return socket.close(); // reconnect with since: the server replays what we missed
      if (frame.type === 'socket.ready') return;
      since = Math.max(since, frame.seq);
      pending.push(frame);
      if (!flushQueued) {
        flushQueued = true;
        queueMicrotask(flush);
      }
    };
    socket.onclose = () => {
      if (stopped) return;
      on.status('closed');
      timer = setTimeout(open, Math.min(5000, 200 * 2 ** attempt++));
    };
  };
  open();
  return {
    send: (frame) => {
      if (!ws || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
    since: () => since,
    close: () => {
      stopped = true;
      clearTimeout(timer);
      ws?.close();
      ws = null;
    },
  };
}
