/**
 * Running a server in this process until a signal: `kt web`, `kt app` and
 * the daemon's own process (`kt serve run`). SIGINT/SIGTERM stop it
 * gracefully: running turns get a grace period, then are stopped and saved.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { createLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { hostSettings, type HostFlags } from './settings.js';
import type { LabSource } from '../routes/lab.js';

export interface RunFlags extends HostFlags {
  insecure?: boolean | undefined;
  /** The working folder of started creatures and the editors' root (default: cwd). */
  pwd?: string | undefined;
  /** Seconds running turns get to finish on shutdown (default 10). */
  grace?: number | undefined;
}

/** The built dashboard: KT_WEB_DIR, else `web/` beside the bundled kt. */
export function webDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KT_WEB_DIR) return resolve(env.KT_WEB_DIR);
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'web'), join(here, '..', 'web')].find((dir) => existsSync(join(dir, 'index.html')));
}

export async function runServer(flags: RunFlags, options: { logTo?: DestinationStream; onStop?: () => void; lab?: LabSource } = {}): Promise<RunningServer> {
  const settings = hostSettings(flags);
  const log = createLogger(options.logTo ? { destination: options.logTo } : {});
  const server = await startServer({
    host: settings.host,
    port: settings.port,
    auth: settings.auth,
    insecure: Boolean(flags.insecure),
    log,
    studio: { workspace: resolve(flags.pwd ?? process.cwd()) },
    webDir: webDir(),
    ...(options.lab ? { lab: options.lab } : {}),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    void server.close((flags.grace ?? 10) * 1000).finally(() => {
      options.onStop?.();
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return server;
}
