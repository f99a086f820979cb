/**
 * examples/deployment/nginx/kt.conf in front of a real `kt serve run`:
 * Debian's nginx on loopback with a certificate made here, the recipe's
 * ports and paths swapped for free ports and a temp prefix. An HTTPS request,
 * the HTTP→HTTPS redirect, a cookie sign-in and a browser-style WebSocket to
 * a live session (Origin checked against Host) all pass through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { runProcess } from '../helpers/run-process.js';
import { until } from '../helpers/until.js';
import { assertBuilt, baseEnv, ktBin, repoRoot } from '../cli/helpers.js';

const NGINX = '/usr/sbin/nginx';
const RECIPE = join(repoRoot, 'examples', 'deployment', 'nginx', 'kt.conf');
const TOKEN = 'proxy-token-0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** The recipe as a test can run it: loopback ports, a temp certificate, kt's real port. */
export function localRecipe(text: string, ports: { http: number; https: number; kt: number }, tls: { cert: string; key: string }): string {
  return text
    .replace(/^\s*listen \[::\].*\n/gm, '')
    .replace(/listen 80;/, `listen 127.0.0.1:${ports.http};`)
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${ports.https} ssl http2;`)
    .replace(/server 127\.0\.0\.1:8001;/, `server 127.0.0.1:${ports.kt};`)
    .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${tls.cert};`)
    .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${tls.key};`);
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let dir: string;
let ca: Buffer;
let base: string;
let httpBase: string;
let fake: FakeOpenAIServer;
let kt: ChildProcess;
let nginx: ChildProcess;
let nginxErr = '';

function https(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, ca }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  if (!existsSync(NGINX)) return; // .ci/run installs it; elsewhere the tests below are skipped
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'kt-nginx-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = await runProcess('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { timeoutMs: 20_000 });
  if (made.code !== 0) throw new Error(`openssl: ${made.stderr}`);
  ca = readFileSync(cert);

  fake = await startFakeOpenAI({ script: [] });
  const env = baseEnv({ KT_HOST_TOKEN: TOKEN, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
  kt = spawn(process.execPath, [ktBin, 'serve', 'run', '--host', '127.0.0.1', '--port', '0', '--token', '--pwd', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  kt.stdout!.on('data', (d) => (out += d));
  const ktUrl = await until(() => /kt studio on (\S+)/.exec(out)?.[1], 'kt serve run to listen');

  const ports = { http: await freePort(), https: await freePort(), kt: Number(new URL(ktUrl).port) };
  const prefix = join(dir, 'nginx');
  for (const sub of ['logs', 'temp']) mkdirSync(join(prefix, sub), { recursive: true });
  writeFileSync(join(prefix, 'kt.conf'), localRecipe(readFileSync(RECIPE, 'utf8'), ports, { cert, key }));
  const temp = (name: string) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${join(prefix, 'nginx.pid')};`,
      'error_log stderr warn;',
      'events { worker_connections 64; }',
      `http { access_log off; ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join(' ')} include ${join(prefix, 'kt.conf')}; }`,
    ].join('\n'),
  );
  const tested = await runProcess(NGINX, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { timeoutMs: 20_000 });
  if (tested.code !== 0) throw new Error(`nginx -t: ${tested.stderr}`);
  nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr!.on('data', (d) => (nginxErr += d));
  base = `https://127.0.0.1:${ports.https}`;
  httpBase = `http://127.0.0.1:${ports.http}`;
  await until(async () => (await https('GET', '/healthz').catch(() => undefined))?.status === 200, `nginx to answer (stderr: ${nginxErr})`);
}, 60_000);

afterAll(async () => {
  for (const child of [nginx, kt]) {
    if (!child || child.exitCode !== null) continue;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
  await fake?.close();
});

describe.skipIf(!existsSync(NGINX))('nginx recipe in front of kt serve', () => {
  it('serves /healthz over HTTPS and redirects plain HTTP there', async () => {
    const health = await https('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    expect(health.headers['strict-transport-security']).toMatch(/max-age=/);
    const plain = await fetch(`${httpBase}/healthz`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/healthz$/);
  });

  it('passes a signed-in browser\'s WebSocket to a live session through', async () => {
    const login = await https('POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ token: TOKEN }));
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const started = await https('POST', '/api/sessions', { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, JSON.stringify({ creature: '@kt-biome/creatures/general', llm: 'openai/fake-model' }));
    expect(started.status, started.body).toBe(201);
    const { id } = JSON.parse(started.body) as { id: string };

    // As the dashboard's browser would: cookie, Origin of the page (https, nginx's port).
    const socket = new WebSocket(`${base.replace('https', 'wss')}/api/sessions/${id}/socket`, { ca, headers: { cookie, origin: base } });
    let upgraded = 0;
    socket.once('upgrade', (res) => (upgraded = res.statusCode ?? 0));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
    expect(upgraded).toBe(101);
    // Both ways: a frame the server cannot read closes the socket with its reason.
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('not json');
    expect(await closed).toBe(1003);
  });
});
