/**
 * Starting and stopping the HTTP + WebSocket server around a studio. Refuses
 * to listen beyond loopback without auth unless asked to (`insecure`).
 * Stopping is graceful: no new connections, running turns get `graceMs` to
 * finish, then every creature stops (its session records how the turn ended).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import type { Logger } from 'pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { UsageError } from '../index.js';
import { createAuth, type Auth, type AuthOptions } from './auth/gate.js';
import { authRoutes } from './auth/routes.js';
import { createLogger } from './logger.js';
import { createApp } from './routes/app.js';
import type { LabSource } from './routes/lab.js';
import { socketRoutes, type SocketOptions } from './routes/socket.js';
import { Studio, type StudioOptions } from './studio/studio.js';

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  studio?: Studio | StudioOptions;
  auth?: AuthOptions;
  /** Allow a non-loopback address with auth off. */
  insecure?: boolean;
  log?: Logger;
  maxBody?: number;
  socket?: SocketOptions;
  /** The built dashboard (index.html and assets), served at `/` when the folder exists. */
  webDir?: string | undefined;
  /** The lab this server hosts (`kt serve --mode lab-host`): GET /api/lab shows its workers and creatures. */
  lab?: LabSource;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  studio: Studio;
  app: ReturnType<typeof createApp>;
  auth: Auth;
  close(graceMs?: number): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const auth = createAuth(options.auth ?? {});
  if (!isLoopback(host) && !auth.enabled && !options.insecure) {
    throw new UsageError(`refusing to listen on ${host} with auth off: anyone who can reach it could run agents as you. Turn auth on (a host token, a password or accounts), or pass --insecure`);
  }
  const log = options.log ?? createLogger();
  const studio = options.studio instanceof Studio ? options.studio : new Studio({ ...options.studio, onTurnError: (error, id) => log.error({ err: error, sessionId: id }, 'turn failed'), onWarning: (text, about) => log.warn({ about }, text) });
  const app = createApp({ studio, log, ...(options.maxBody ? { maxBody: options.maxBody } : {}), auth: auth.middleware, extra: [authRoutes(auth)], ...(options.lab ? { lab: options.lab } : {}) });
  const ws = createNodeWebSocket({ app });
  // A client frame is held to the HTTP body limit too (ws would take 100 MiB); over it, that socket closes with 1009.
  (ws.wss.options as { maxPayload: number }).maxPayload = options.maxBody ?? 2 * 1024 * 1024;
  socketRoutes(ws.upgradeWebSocket, options.socket)(app);
  if (options.webDir && existsSync(join(options.webDir, 'index.html'))) serveDashboard(app, options.webDir);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8001 }, () => resolve(s));
    s.once('error', reject);
  });
  ws.injectWebSocket(server);
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}`;
  log.info({ url, auth: auth.mode }, 'listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host,
    studio,
    app,
    auth,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await studio.shutdown(graceMs);
        for (const client of ws.wss.clients) client.close(1001, 'server shutting down');
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closed;
        log.info('stopped');
      })();
      return closing;
    },
  };
}

/** Static files of the dashboard; any other non-API path gets index.html (client-side routes). */
function serveDashboard(app: ReturnType<typeof createApp>, root: string): void {
  const skip = (method: string, path: string) => method !== 'GET' || path.startsWith('/api/') || path === '/openapi.json';
  app.use('*', (c, next) => (skip(c.req.method, c.req.path) ? next() : serveStatic({ root })(c, next)));
  // Not a file of the build: a missing asset is a 404; any other path is the single-page app (views are in the hash).
  app.use('*', (c, next) => {
    if (skip(c.req.method, c.req.path)) return next();
    if (/\.[A-Za-z0-9]+$/.test(c.req.path)) return Promise.resolve(c.notFound());
    return serveStatic({ root, path: 'index.html' })(c, next);
  });
}
