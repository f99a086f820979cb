/** The built-in output types: file (answers and events, 0600), webhook (retries, then a warning), tts (stdin, killed on stop). */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { TtsOutput } from '../../../source/builtins/io/tts-output.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { OutputContext } from '../../../source/engine/io/output.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { rememberSecret, forgetSecrets } from '../../../source/engine/util/redact.js';
import { systemClock } from '../../../source/engine/util/clock.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-out-'));
const build = (texts: string[], config: Record<string, unknown>, pwd = dir()) =>
  Agent.build({ name: 'scribe', ...config }, { llm: new ScriptedLLM(texts.map((text) => ({ text }))), pwd, catalog: new ToolCatalog() });

describe('file output', () => {
  it('mode answer appends each answer under a header line; a new file is 0600 and its folders are made', async () => {
    const pwd = dir();
    const agent = await build(['first answer', 'second answer'], { output: { type: 'file', path: 'logs/deep/answers.md' } }, pwd);
    await agent.run('a');
    await agent.run('b');
    await agent.stop();
    const path = join(pwd, 'logs/deep/answers.md');
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^## \S+ · turn 1 \(api\) · completed\n\nfirst answer\n\n## \S+ · turn 2 \(api\) · completed\n\nsecond answer\n\n$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('mode events writes every event as a JSON line with secrets masked', async () => {
    const pwd = dir();
    const secret = 'sk-test-0123456789abcdefXYZ';
    rememberSecret(secret);
    try {
      const agent = await build([`the key is ${secret}`], { output: { type: 'file', path: 'events.jsonl', mode: 'events' } }, pwd);
      await agent.run('what is the key?');
      await agent.stop();
      const text = readFileSync(join(pwd, 'events.jsonl'), 'utf8');
      const types = text.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type);
      expect(types[0]).toBe('creature.start');
      expect(types).toContain('turn.end');
      expect(types.at(-1)).toBe('creature.stop');
      expect(text).not.toContain(secret);
      expect(text).toContain('[redacted');
    } finally {
      forgetSecrets();
    }
  });

  it('a bad option is a ConfigError naming the key', async () => {
    await expect(build([], { output: { type: 'file', path: 'x', mode: 'everything' } })).rejects.toThrow(/bad options for output 'file': mode/);
  });
});

describe('webhook output', () => {
  it('retries a 500 and delivers the answer as JSON', async () => {
    const bodies: unknown[] = [];
    let hits = 0;
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits++;
        if (hits === 1) return res.writeHead(500).end('busy');
        bodies.push({ json: JSON.parse(body) as unknown, auth: req.headers['authorization'] });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const agent = await build(['posted'], { output: { type: 'webhook', url, headers: { Authorization: 'Bearer t' }, backoff_ms: 1 } });
      const warnings: string[] = [];
      agent.on('warning', (w) => void warnings.push(w.message));
      const result = await agent.run('go');
      await agent.stop();
      expect(hits).toBe(2);
      expect(bodies).toEqual([{ json: { creature: 'scribe', turnId: result.turnId, status: 'completed', text: 'posted', source: 'api' }, auth: 'Bearer t' }]);
      expect(warnings).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('an unreachable URL ends in a warning; the turn completes', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const agent = await build(['lost'], { output: { type: 'webhook', url: `http://127.0.0.1:${port}/`, retries: 2, backoff_ms: 1 } });
    const warnings: string[] = [];
    agent.on('warning', (w) => void warnings.push(w.message));
    const result = await agent.run('go');
    await agent.stop();
    expect(result.status).toBe('completed');
    expect(warnings.join('\n')).toMatch(/output 'webhook' failed in write: POST http:\/\/127\.0\.0\.1:\d+\/ failed: ECONNREFUSED/);
  });
});

describe('tts output', () => {
  const ctx = (): OutputContext => ({ creature: 't', cwd: process.cwd(), folder: process.cwd(), clock: systemClock, signal: new AbortController().signal });

  it('gets the answer as plain text on stdin', async () => {
    const folder = dir();
    const script = join(folder, 'speak.mjs');
    const heard = join(folder, 'heard.txt');
    writeFileSync(script, `import fs from 'node:fs';\nlet s = '';\nprocess.stdin.on('data', (c) => (s += c)).on('end', () => fs.writeFileSync(${JSON.stringify(heard)}, s));\n`);
    const tts = new TtsOutput({ command: [process.execPath, script], arg_mode: 'stdin' });
    tts.start(ctx());
    await tts.write('# Title\n\nSome **bold** words and a [link](http://x).\n\n```\ncode()\n```\n');
    expect(readFileSync(heard, 'utf8')).toBe('Title\nSome bold words and a link.');
  });

  it('stop kills the speaking command', async () => {
    const folder = dir();
    const script = join(folder, 'hang.mjs');
    const ready = join(folder, 'ready');
    writeFileSync(script, `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(ready)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
    const tts = new TtsOutput({ command: [process.execPath, script], arg_mode: 'argv' });
    tts.start(ctx());
    const speaking = tts.write('talk forever');
    const pid = await new Promise<number>((resolve) => {
      const poll = () => {
        // The file may be seen empty while the script writes it.
        const text = (() => {
          try {
            return readFileSync(ready, 'utf8');
          } catch {
            return '';
          }
        })();
        if (/^\d+$/.test(text)) resolve(Number(text));
        else setImmediate(poll);
      };
      poll();
    });
    expect(tts.pid).toBe(pid);
    await tts.stop();
    await speaking;
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
