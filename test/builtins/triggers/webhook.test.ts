/** The webhook trigger over real HTTP on 127.0.0.1: 202 with the turn id, HMAC signatures, body limit, port in use. */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../source/engine/errors.js';
import { build, until } from './harness.js';

function endpoint(description: string): string {
  const url = /POST (\S+)/.exec(description)?.[1];
  if (!url) throw new Error(`no URL in '${description}'`);
  return url;
}

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('webhook trigger', () => {
  it('a POST becomes a turn at once (202 with its turn id); JSON bodies are pretty-printed into the prompt', async () => {
    const b = await build();
    await b.agent.addTrigger({ type: 'webhook', path: '/hook', prompt: '{method} {path}:\n{body}' });
    const url = endpoint(b.agent.triggers[0]!.description);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook$/);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"push","n":1}' });
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { accepted: boolean; turnId: string };
    expect(answer.accepted).toBe(true);
    await until(() => b.ends().length === 1);
    expect(b.fired()).toEqual(['POST /hook:\n{\n  "event": "push",\n  "n": 1\n}']);
    expect(b.events.find((e) => e.type === 'trigger.fired')?.turnId).toBe(answer.turnId);
    expect((await fetch(url.replace('/hook', '/other'), { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    await b.agent.stop();
    await expect(fetch(url, { method: 'POST', body: 'x' })).rejects.toThrow();
  });

  it('with a secret, only correctly signed bodies get through (either header name)', async () => {
    const b = await build();
    await b.agent.addTrigger({ type: 'webhook', secret: 's3cret' });
    const url = endpoint(b.agent.triggers[0]!.description);
    const body = 'deploy done';
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body, headers: { 'x-signature-256': sign('wrong', body) } })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body, headers: { 'x-signature-256': 'sha256=abc' } })).status).toBe(401);
    expect(b.events.filter((e) => e.type === 'warning' && /bad signature/.test(e.message))).toHaveLength(3);
    expect((await fetch(url, { method: 'POST', body, headers: { 'x-signature-256': sign('s3cret', body) } })).status).toBe(202);
    expect((await fetch(url, { method: 'POST', body, headers: { 'x-hub-signature-256': sign('s3cret', body) } })).status).toBe(202);
    await until(() => b.ends().length === 2);
    expect(b.fired()).toEqual(['[Webhook POST /]\ndeploy done', '[Webhook POST /]\ndeploy done']);
    await b.agent.stop();
  });

  it('refuses a body over the limit with 413', async () => {
    const b = await build();
    await b.agent.addTrigger({ type: 'webhook', max_body_bytes: 1000 });
    const url = endpoint(b.agent.triggers[0]!.description);
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(b.fired()).toEqual([]);
    await b.agent.stop();
  });

  it('a port in use is a ConfigError naming the entry and host:port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const failed = await build({ config: { triggers: [{ type: 'webhook', name: 'hooks', port }] } }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).toBeInstanceOf(ConfigError);
      expect((failed as ConfigError).message).toMatch(new RegExp(`trigger 'hooks' \\(webhook\\) could not start: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
      expect((failed as ConfigError).keyPath).toEqual(['triggers', 0]);
    } finally {
      blocker.close();
    }
  });
});
