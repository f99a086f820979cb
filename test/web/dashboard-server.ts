/**
 * The real HTTP + WebSocket server for the dashboard's browser test, built
 * from the server's committed parts (app, socket routes, studio). Two things
 * the test adds until source/server does them itself (see the wip/web report):
 *  - the dashboard's files from dist/web, served for every non-API path;
 *  - approvals on: a started creature asks before commands (mode `default`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import { createLogger } from '../../source/server/logger.js';
import { createApp } from '../../source/server/routes/app.js';
import type { LabSource } from '../../source/server/routes/lab.js';
import { socketRoutes } from '../../source/server/routes/socket.js';
import { Studio, type StudioOptions } from '../../source/server/studio/studio.js';
import { OpenAICompatibleProvider } from '../../source/providers.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { launchChromium, type Launched } from './browser.js';

export const WEB_DIST = resolve(import.meta.dirname, '../../dist/web');

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

class ApprovingStudio extends Studio {
  override async start(...args: Parameters<Studio['start']>) {
    const live = await super.start(...args);
    await live.agent.setApprovalMode('default');
    return live;
  }
}

export async function startDashboardServer(options: StudioOptions, lab?: LabSource): Promise<{ url: string; studio: Studio; close: () => Promise<void> }> {
  const studio = new ApprovingStudio(options);
  const log = createLogger({ level: 'silent' });
  // The socket routes need the upgrader while the app is built, and the upgrader needs the app: it only calls app.request later.
  let app: ReturnType<typeof createApp> | undefined;
  const ws = createNodeWebSocket({ app: { request: (...args: Parameters<ReturnType<typeof createApp>['request']>) => app!.request(...args) } as never });
  const upgrade = ws.upgradeWebSocket;
  app = createApp({
    studio,
    log,
    ...(lab ? { lab } : {}),
    extra: [
      (a) => socketRoutes(upgrade)(a),
      (a) => {
        a.get('*', (c, next) => {
          if (c.req.path.startsWith('/api/')) return next();
          const path = normalize(join(WEB_DIST, c.req.path === '/' ? 'index.html' : c.req.path));
          if (!path.startsWith(WEB_DIST) || !existsSync(path)) return next();
          return c.body(readFileSync(path), 200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
        });
      },
    ],
  });
  const server = await new Promise<ReturnType<typeof serve>>((done) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => done(s));
  });
  ws.injectWebSocket(server);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    studio,
    close: async () => {
      await studio.shutdown(1000);
      for (const client of ws.wss.clients) client.terminate();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** What a browser test of the dashboard runs against: a fake model, the real server on a private home, and chromium. */
export interface DashboardRig {
  home: string;
  fake: FakeOpenAIServer;
  server: Awaited<ReturnType<typeof startDashboardServer>>;
  chromium: Launched;
  close(): Promise<void>;
}

/** Start the rig; config and sessions live in a temp home (KT_CONFIG_DIR), never the real one. */
/** `lab` makes the server a lab host's studio (GET /api/lab answers from it). */
export async function startDashboardRig(prefix: string, model: Parameters<typeof startFakeOpenAI>[0], lab?: LabSource): Promise<DashboardRig> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const fake = await startFakeOpenAI(model);
  const llm = new OpenAICompatibleProvider({ model: 'fake-model', apiKey: 'k', baseURL: fake.baseURL });
  const server = await startDashboardServer({ llm, sessionDir: join(home, 'sessions'), workspace: home, env: { ...process.env, KT_CONFIG_DIR: join(home, 'kt') } }, lab);
  const chromium = await launchChromium();
  return {
    home,
    fake,
    server,
    chromium,
    close: async () => {
      await chromium.close();
      await server.close();
      await fake.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
