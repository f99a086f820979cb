// The studio server for `npm run bench` (server issue targets): a `kt serve run`
// process on loopback against the fake OpenAI server in its own process.
//  - idle RSS of the server process (target ≤ 120 MB);
//  - /healthz throughput with autocannon (target ≥ 5,000 req/s);
//  - one session streaming to 100 WebSocket subscribers: per-event fan-out
//    latency = receive time − the event's own timestamp, p99 over every
//    event at every subscriber (target ≤ 20 ms), the model streaming 200 chunks/s.
// Request logs go at level warn here (KT_LOG_LEVEL), so the figure is the
// server's, not the pipe's.
//
// Run alone: node bench/server.mjs [--quick]   (after `npm run build`)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import { fakeServer } from './server-process.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUBSCRIBERS = 100;

function startKt(env, cwd) {
  const child = spawn(process.execPath, [join(root, 'dist', 'kt.js'), 'serve', 'run', '--port', '0', '--pwd', cwd], { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`kt serve run exited ${code}: ${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const match = /kt studio on (\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
  });
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Open the subscribers; each records (receive − ts) for every streamed event. */
async function subscribers(url, id, latencies) {
  const sockets = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/api/sessions/${id}/socket`);
      ws.turnEnds = 0;
      ws.on('message', (data) => {
        const now = Date.now();
        // Cheap field reads instead of JSON.parse: the bench's own parsing would otherwise dominate what it measures.
        const text = data.toString();
        const ts = /"ts":(\d+)/.exec(text);
        if (ts) latencies.push(now - Number(ts[1]));
        if (text.includes('"type":"socket.ready"')) resolve(ws);
        if (text.startsWith('{"type":"turn.end"')) ws.turnEnds++;
        if (text.includes('"type":"socket.lagged"')) ws.lagged = true;
      });
      ws.on('error', reject);
    })),
  );
  return sockets;
}

export async function serverFigures({ quick = false } = {}) {
  // Paced like a fast model (200 chunks/s): the figure is each event's fan-out, not the backlog of an
  // instant burst (a zero-latency answer of hundreds of chunks arrives in one read and is fanned out
  // back to back, so its last event waits for all the sends before it).
  const model = await fakeServer('openai', 'stream', quick ? 20 : 60, 200);
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-server-'));
  const project = mkdtempSync(join(tmpdir(), 'kt-bench-project-'));
  mkdirSync(join(project, 'creatures', 'b'), { recursive: true });
  writeFileSync(join(project, 'creatures', 'b', 'config.yaml'), 'name: b\nsystem_prompt: You stream text.\ntools: []\n');
  const env = { PATH: process.env.PATH, HOME: home, KT_CONFIG_DIR: join(home, '.kohakuterrarium'), OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: model.baseURL, KT_LOG_LEVEL: 'warn' };
  const { child, url } = await startKt(env, project);
  try {
    await fetch(`${url}/healthz`);
    await new Promise((r) => setTimeout(r, 1000)); // let start-up garbage be collected before measuring idle
    const idleRssMb = rssMb(child.pid);

    const cannon = await autocannon({ url: `${url}/healthz`, connections: 50, duration: quick ? 3 : 10 });
    const healthz = { reqPerSec: cannon.requests.average, p99Ms: cannon.latency.p99, errors: cannon.errors + cannon.non2xx };

    const session = await post(`${url}/api/sessions`, { creature: 'creatures/b', llm: 'openai/bench' });
    const latencies = [];
    const sockets = await subscribers(url, session.id, latencies);
    const turns = quick ? 2 : 5;
    for (let turn = 1; turn <= turns; turn++) {
      await post(`${url}/api/sessions/${session.id}/input`, { text: `turn ${turn}` });
      while (sockets.some((ws) => ws.turnEnds < turn && !ws.lagged)) await new Promise((r) => setTimeout(r, 20));
    }
    const lagged = sockets.filter((ws) => ws.lagged).length;
    for (const ws of sockets) ws.close();
    const busyRssMb = rssMb(child.pid);
    return {
      idleRssMb,
      busyRssMb,
      healthz,
      fanOut: { subscribers: SUBSCRIBERS, turns, events: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), lagged },
    };
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await model.close();
  }
}

export function serverRows(s, fmt) {
  return [
    ['server idle RSS', `${fmt(s.idleRssMb)} MB`, `${fmt(s.busyRssMb)} MB after the fan-out`, 'target ≤ 120 MB'],
    ['server /healthz (autocannon, 50 conns)', `${fmt(s.healthz.reqPerSec, 0)} req/s`, `p99 ${fmt(s.healthz.p99Ms)} ms, ${s.healthz.errors} errors`, 'target ≥ 5,000 req/s'],
    [`server event fan-out → ${s.fanOut.subscribers} WebSockets`, `p99 ${fmt(s.fanOut.p99Ms)} ms`, `p50 ${fmt(s.fanOut.p50Ms)} ms, ${s.fanOut.events} deliveries, ${s.fanOut.lagged} lagged`, 'target p99 ≤ 20 ms'],
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await serverFigures({ quick: process.argv.includes('--quick') });
  const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  for (const row of serverRows(figures, fmt)) console.log(row.join('  |  '));
}
