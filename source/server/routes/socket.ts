/**
 * The WebSocket of a live session: `/api/sessions/{id}/socket?since=<seq>`.
 *
 * On connect the client gets every buffered event after `since`, then live
 * events, each exactly once and in seq order (replay and subscription happen
 * in one synchronous step, so nothing slips between them). The engine never
 * waits for a client: when a socket's send buffer passes the high-water mark
 * the client is sent `socket.lagged` and closed (4008); it reconnects with
 * `since` set to the last seq it saw and loses nothing. A client frame that
 * is not valid JSON or not a known command closes that socket (1003) with
 * the reason; other clients are unaffected.
 */
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import type { AgentEvent } from '../../index.js';
import type { LiveSession } from '../studio/live-session.js';
import type { router } from './env.js';

/** What the socket layer needs of a `ws` socket (the package ships no types here). */
interface WebSocket {
  bufferedAmount: number;
  send(data: string): void;
}
import { ClientFrame } from './schemas.js';

export const SOCKET_PATH = '/api/sessions/:id/socket';
export const LAGGED = 4008;
export const BAD_FRAME = 1003;

/** Bytes a socket may have unsent before it is dropped as lagging (default 4 MiB). */
export interface SocketOptions {
  highWaterMark?: number;
}

// One JSON text per event, however many sockets receive it.
const encoded = new WeakMap<AgentEvent, string>();
function encode(event: AgentEvent): string {
  let text = encoded.get(event);
  if (text === undefined) {
    text = JSON.stringify(event);
    encoded.set(event, text);
  }
  return text;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function socketRoutes(upgrade: UpgradeWebSocket<any>, options: SocketOptions = {}) {
  const limit = options.highWaterMark ?? 4 * 1024 * 1024;
  return (app: ReturnType<typeof router>) => {
    // Resolve the session before upgrading, so an unknown id (or another user's) is a plain 404.
    app.get(SOCKET_PATH, async (c, next) => {
      const session = c.get('studio').session(c.req.param('id'), c.get('owner'));
      const raw = c.req.query('since');
      const since = raw === undefined ? 0 : Number(raw);
      if (!Number.isInteger(since) || since < 0) return c.json({ error: { code: 'BAD_REQUEST', message: 'query.since: must be a whole number ≥ 0', field: 'query.since' } }, 400);
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return c.json({ error: { code: 'UPGRADE_REQUIRED', message: 'this route is a WebSocket' } }, 426);
      c.set('socketTarget' as never, { session, since } as never);
      await next();
    });
    app.get(
      SOCKET_PATH,
      upgrade((c) => {
        const { session, since } = c.get('socketTarget' as never) as { session: LiveSession; since: number };
        let off: (() => void) | undefined;
        let offStop: (() => void) | undefined;
        let lastSent = since;
        let open = true;
        const drop = (ws: WSContext<unknown>, code: number, reason: string) => {
          open = false;
          off?.();
          offStop?.();
          off = offStop = undefined;
          if (ws.readyState <= 1) ws.close(code, reason);
        };
        return {
          onOpen(_event, ws) {
            const socket = ws.raw as WebSocket;
            const deliver = (event: AgentEvent) => {
              if (!open) return;
              if (socket.bufferedAmount > limit) {
                socket.send(JSON.stringify({ type: 'socket.lagged', lastSeq: lastSent }));
                drop(ws, LAGGED, `lagged; reconnect with since=${lastSent}`);
                return;
              }
              socket.send(encode(event));
              lastSent = event.seq;
            };
            const sub = session.subscribe(since, deliver);
            off = sub.unsubscribe;
            offStop = session.onStop(() => drop(ws, 1000, 'session stopped'));
            if (sub.lagged > 0) socket.send(JSON.stringify({ type: 'socket.lagged', dropped: sub.lagged }));
            for (const event of sub.replay) deliver(event);
            socket.send(JSON.stringify({ type: 'socket.ready', lastSeq: session.log.lastSeq }));
          },
          onMessage(event, ws) {
            let frame: ClientFrame;
            try {
              const parsed = ClientFrame.safeParse(JSON.parse(String(event.data)));
              if (!parsed.success) {
                const issue = parsed.error.issues[0];
                return drop(ws, BAD_FRAME, `bad frame: ${issue ? `${issue.path.join('.') || 'type'}: ${issue.message}` : 'invalid'}`.slice(0, 120));
              }
              frame = parsed.data;
            } catch {
              return drop(ws, BAD_FRAME, 'bad frame: not JSON');
            }
            if (frame.type === 'input') session.send(frame.text);
            else if (frame.type === 'interrupt') session.agent.interrupt();
            else if (!session.agent.respond(frame.id, frame.reply)) ws.send(JSON.stringify({ type: 'socket.error', code: 'NOT_FOUND', message: `interaction '${frame.id}' is not open` }));
          },
          onClose() {
            open = false;
            off?.();
            offStop?.();
          },
        };
      }),
    );
  };
}
