// Laboratory figures (not part of `npm run bench`): cross-node channel
// latency on loopback. A real nats-server (token auth, JetStream) on a free
// port; two hubs, each on its own NATS connection with the lab's channel
// transport, as two workers have. Ping on one hub, pong back from the other:
// one-way latency = round trip / 2, median and p95 over many messages.
//
// Run alone: node bench/lab.mjs [--quick]   (after `npm run build`; needs nats-server)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATS_BIN = process.env.KT_NATS_SERVER ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

async function startNats(token) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bench-nats-'));
  const child = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', '-1', '-js', '-sd', dir, '--auth', token], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const found = /Listening for client connections on [\d.]+:(\d+)/.exec(log);
      if (found && log.includes('Server is ready')) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${log}`)));
  });
  return { url: `nats://127.0.0.1:${port}`, stop: () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

export async function labFigures({ quick = false } = {}) {
  const { ChannelHub, NatsChannelTransport, connectLab, labSubjects } = await import(join(root, 'dist', 'index.js'));
  const token = 'bench-token';
  const nats = await startNats(token);
  const subjects = labSubjects('bench');
  const connections = [];
  try {
    const node = async (name) => {
      const nc = await connectLab({ url: nats.url, token, lab: 'bench' });
      connections.push(nc);
      const hub = new ChannelHub();
      await new NatsChannelTransport(nc, subjects, name).attach(hub);
      return hub;
    };
    const a = await node('node-a');
    const b = await node('node-b');
    a.define('ping');
    b.define('pong');
    let onPong;
    a.listen('pong', 'pinger', () => onPong());
    b.listen('ping', 'ponger', (m) => b.send('pong', m.content, { sender: 'ponger' }));
    // The directories cross once both nodes announced their listeners.
    while (!a.send('ping', 'warm', { sender: 'pinger' }).deliveredTo.includes('ponger')) await new Promise((r) => setTimeout(r, 5));
    const round = () => new Promise((resolve) => {
      const t0 = performance.now();
      onPong = () => resolve(performance.now() - t0);
      a.send('ping', 'x', { sender: 'pinger' });
    });
    for (let i = 0; i < 50; i++) await round();
    const samples = [];
    for (let i = 0; i < (quick ? 300 : 3000); i++) samples.push((await round()) / 2);
    samples.sort((x, y) => x - y);
    return {
      crossNodeLatencyP50Ms: median(samples),
      crossNodeLatencyP95Ms: samples[Math.floor(samples.length * 0.95)],
      messages: samples.length,
    };
  } finally {
    for (const nc of connections) await nc.close();
    nats.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await labFigures({ quick: process.argv.includes('--quick') }));
}
