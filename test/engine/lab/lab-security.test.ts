/**
 * Keys stay on the host: a worker without any key runs a creature whose
 * model calls the host makes for it (streamed back over NATS), only when the
 * host granted that worker the provider; a spy on every subject of the
 * server sees no key pass.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { connectLab } from '../../../source/engine/lab/connect.js';
import { LabHost } from '../../../source/engine/lab/host.js';
import { parseGrants } from '../../../source/engine/lab/model-proxy.js';
import { LabWorker } from '../../../source/engine/lab/worker.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../fakes/openai-server.js';
import { startNats, type NatsServer } from './nats-server.js';

installBuiltins();

const KEY = 'sk-host-only-0123456789abcdef';
let nats: NatsServer;
let openai: FakeOpenAIServer;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  nats = await startNats();
  openai = await startFakeOpenAI({ responder: () => ({ text: 'noted by the host model' }) });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await nats?.kill();
  await openai?.close();
});

const tmp = (what: string) => mkdtempSync(join(tmpdir(), `kt-lab-${what}-`));

function next(h: LabHost, what: string, node: string): Promise<void> {
  return new Promise((resolve) => {
    const off = h.on((kind, who) => {
      if (kind !== what || who !== node) return;
      off();
      resolve();
    });
  });
}

async function keylessWorker(node: string): Promise<LabWorker> {
  const home = tmp('home');
  const w = await LabWorker.start({ url: nats.url, token: nats.token, lab: 'keys', node, modelViaHost: true, team: { env: { KT_CONFIG_DIR: home, KT_HOME: home }, pwd: tmp('pwd') } });
  closers.push(() => w.close());
  return w;
}

const spec = (name: string) => ({ graph: 'graph_keys', name, config: { name }, folder: tmpdir(), listen: [], canSend: [], privileged: false, channels: [] });

describe('lab security', () => {
  it('grants parse as worker=providers', () => {
    expect(parseGrants(['worker-a=openai', 'worker-a=anthropic,gemini', '*=openai'])).toEqual({ 'worker-a': ['openai', 'anthropic', 'gemini'], '*': ['openai'] });
    expect(() => parseGrants(['worker-a'])).toThrow(/worker=provider/);
  });

  it('a worker with no key runs a creature through the host, if granted; no key ever crosses NATS', async () => {
    const spy = await connectLab({ url: nats.url, token: nats.token, lab: 'keys' });
    closers.push(() => spy.close());
    const seen: string[] = [];
    spy.subscribe('>', { callback: (_e, msg) => void seen.push(`${msg.subject} ${new TextDecoder().decode(msg.data)}`) });
    await spy.flush();
    const home = tmp('hosthome');
    const h = await LabHost.start({
      url: nats.url, token: nats.token, lab: 'keys', sessionDir: tmp('host'), checkEveryMs: 0, llm: 'openai/test-model',
      env: { KT_CONFIG_DIR: home, KT_HOME: home, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: openai.baseURL },
      grants: { granted: ['openai'] },
    });
    closers.push(() => h.close());
    const joined = Promise.all([next(h, 'joined', 'granted'), next(h, 'joined', 'ungranted')]);
    await keylessWorker('granted');
    await keylessWorker('ungranted');
    await joined;
    await h.spawn(spec('proxied'), { node: 'granted' });
    const reply = await h.chat('proxied', 'hello');
    expect(reply).toEqual({ status: 'completed', text: 'noted by the host model' });
    // The host's key went to the model server, from the host.
    expect(JSON.stringify(openai.requests.at(-1)!.headers)).toContain(KEY);
    expect(h.models.served).toBe(1);
    await h.spawn(spec('refused'), { node: 'ungranted' });
    const denied = await h.chat('refused', 'hello');
    expect(denied.status).toBe('error');
    expect(h.models.refused).toBe(1);
    await spy.flush();
    expect(seen.some((m) => m.includes('noted by the host model'))).toBe(true);
    expect(seen.filter((m) => m.includes(KEY) || m.includes(KEY.slice(-12)))).toEqual([]);
  });
});
