/**
 * A real `nats-server` for one test file: JetStream on, a token required,
 * a random loopback port read from its own log line (ready = that line, no
 * sleeping), its store in a temporary folder. `kill()` in afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServer {
  url: string;
  port: number;
  token: string;
  process: ChildProcess;
  kill(): Promise<void>;
}

export const NATS_BIN = process.env.KT_NATS_SERVER ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

export async function startNats(options: { token?: string; port?: number; storeDir?: string } = {}): Promise<NatsServer> {
  const dir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'kt-nats-'));
  const token = options.token ?? 'lab-secret';
  const child = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', String(options.port ?? -1), '-js', '-sd', dir, '--auth', token, '-m', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const found = /Listening for client connections on [\d.]+:(\d+)/.exec(log);
      if (found && /Server is ready/.test(log)) {
        child.stderr?.off('data', onData);
        resolve(Number(found[1]));
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${log}`)));
    child.once('error', reject);
  });
  child.stderr?.resume();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    token,
    process: child,
    kill: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
      if (!options.storeDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
