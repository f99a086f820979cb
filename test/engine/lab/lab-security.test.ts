/**
 * Keys stay on the host: a worker without any key runs a creature whose
 * model calls the host makes for it (streamed back over NATS), only when the
 * host granted that worker the provider; a spy on every subject of the
 * server sees no key pass.
 */
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { connectLab } from '../../../source/engine/lab/connect.js';
import { parseGrants } from '../../../source/engine/lab/model-proxy.js';
import { LabWorker } from '../../../source/engine/lab/worker.js';
import { labRig, spec } from './rig.js';

installBuiltins();

const KEY = 'sk-host-only-0123456789abcdef';
// Workers keep their default heartbeat; hosts set their own options below.
const rig = labRig({ responder: () => ({ text: 'noted by the host model' }) });
const { tmp, closers, next } = rig;

/** Not `rig.worker`: this one has no key and no model of its own. */
async function keylessWorker(node: string): Promise<LabWorker> {
  const home = tmp('home');
  const w = await LabWorker.start({ url: rig.nats.url, token: rig.nats.token, lab: 'keys', node, modelViaHost: true, team: { env: { KT_CONFIG_DIR: home, KT_HOME: home }, pwd: tmp('pwd') } });
  closers.push(() => w.close());
  return w;
}

describe('lab security', () => {
  it('grants parse as worker=providers', () => {
    expect(parseGrants(['worker-a=openai', 'worker-a=anthropic,gemini', '*=openai'])).toEqual({ 'worker-a': ['openai', 'anthropic', 'gemini'], '*': ['openai'] });
    expect(() => parseGrants(['worker-a'])).toThrow(/worker=provider/);
  });

  it('a worker with no key runs a creature through the host, if granted; no key ever crosses NATS', async () => {
    const spy = await connectLab({ url: rig.nats.url, token: rig.nats.token, lab: 'keys' });
    closers.push(() => spy.close());
    const seen: string[] = [];
    spy.subscribe('>', { callback: (_e, msg) => void seen.push(`${msg.subject} ${new TextDecoder().decode(msg.data)}`) });
    await spy.flush();
    const home = tmp('hosthome');
    const h = await rig.host('keys', {
      checkEveryMs: 0, llm: 'openai/test-model',
      env: { KT_CONFIG_DIR: home, KT_HOME: home, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: rig.openai.baseURL },
      grants: { granted: ['openai'] },
    });
    const joined = Promise.all([next(h, 'joined', 'granted'), next(h, 'joined', 'ungranted')]);
    await keylessWorker('granted');
    await keylessWorker('ungranted');
    await joined;
    await h.spawn(spec('proxied', 'graph_keys'), { node: 'granted' });
    const reply = await h.chat('proxied', 'hello');
    expect(reply).toEqual({ status: 'completed', text: 'noted by the host model' });
    // The host's key went to the model server, from the host.
    expect(JSON.stringify(rig.openai.requests.at(-1)!.headers)).toContain(KEY);
    expect(h.models.served).toBe(1);
    await h.spawn(spec('refused', 'graph_keys'), { node: 'ungranted' });
    const denied = await h.chat('refused', 'hello');
    expect(denied.status).toBe('error');
    expect(h.models.refused).toBe(1);
    await spy.flush();
    expect(seen.some((m) => m.includes('noted by the host model'))).toBe(true);
    expect(seen.filter((m) => m.includes(KEY) || m.includes(KEY.slice(-12)))).toEqual([]);
  });
});
