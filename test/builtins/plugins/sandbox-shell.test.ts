import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPlugin } from '../../../source/builtins/plugins/sandbox.js';
import { networkIsolation, type NetworkIsolation } from '../../../source/builtins/plugins/sandbox-net.js';
import { bashTool } from '../../../source/builtins/tools/bash.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { expectKilled, waitForFile } from '../../helpers/processes.js';
import { call, makeContext, result, tempDir } from '../tools/context.js';
import { loaded } from './harness.js';

/** A node one-liner that connects to 127.0.0.1:<port> and says `connected` or the error code. */
const connectTo = (port: number) =>
  `'${process.execPath}' -e 'require("net").connect(${port}, "127.0.0.1").on("connect", () => { console.log("connected"); process.exit(0) }).on("error", (e) => { console.log(e.code); process.exit(1) })'`;

// Known before the tests are collected: what this machine allows decides which of them run.
const isolation: NetworkIsolation = await networkIsolation();
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
});

const saved = process.env['KT_SANDBOX_UNSHARE'];
afterEach(() => {
  if (saved === undefined) delete process.env['KT_SANDBOX_UNSHARE'];
  else process.env['KT_SANDBOX_UNSHARE'] = saved;
});

/** A bash context whose runtime offers what the loaded plugins offer. */
async function sandboxed(options: Record<string, unknown>, env: Record<string, string | undefined> = { ...process.env }) {
  const cwd = await tempDir();
  const { chain, emitted } = await loaded([{ definition: sandboxPlugin, options }], cwd);
  const ctx = (signal?: AbortSignal) => makeContext({ cwd, env, runtime: { services: () => chain.services() }, ...(signal ? { signal } : {}) });
  return { chain, emitted, cwd, ctx };
}

describe('sandbox plugin: shell commands', () => {
  it('reaches a loopback server without the sandbox', async () => {
    const plain = await sandboxed({ network: 'default' });
    expect(plain.chain.services()).toEqual({});
    expect(await call(bashTool, { command: connectTo(port) }, plain.ctx())).toBe('connected');
  });

  it.runIf(process.platform === 'linux')('reports whether this machine can deny network (probed once)', async () => {
    expect(await networkIsolation()).toBe(isolation);
    if (isolation.enforced) expect(path.basename(isolation.prefix[0] ?? '')).toBe('unshare');
    else expect(isolation.reason).not.toBe('');
  });

  describe.runIf(isolation.enforced)('where network namespaces work', () => {
    it('denies the network, loopback included, to commands', async () => {
      const { ctx, emitted } = await sandboxed({ network: 'deny' });
      const out = result(await call(bashTool, { command: connectTo(port) }, ctx()));
      expect(out.isError).toBe(true);
      expect(out.text).not.toContain('connected');
      expect(out.text).toMatch(/^(ENETUNREACH|ECONNREFUSED|EACCES)\n\[exit code 1\]$/);
      expect(emitted.filter((e) => e.type === 'warning')).toEqual([]);
    });

    it('still kills the whole process tree of a wrapped command when interrupted', async () => {
      const { ctx, cwd } = await sandboxed({ network: 'deny' });
      const controller = new AbortController();
      const running = call(bashTool, { command: 'sleep 30 & echo $! > sleep.pid; echo started; wait' }, ctx(controller.signal));
      const pid = Number(await waitForFile(path.join(cwd, 'sleep.pid')));
      controller.abort(new Error('interrupted'));
      expect(result(await running).text).toBe('started');
      await expectKilled(pid);
    });
  });

  it('says once that network deny is not enforced where unshare does not work, and commands still run', async () => {
    // Not unshare at all: the probe fails the way it does on a machine without namespaces.
    process.env['KT_SANDBOX_UNSHARE'] = '/bin/false';
    const { chain, ctx, emitted } = await sandboxed({ network: 'deny' });
    expect(await call(bashTool, { command: 'echo still runs' }, ctx())).toBe('still runs');
    expect(await call(bashTool, { command: connectTo(port) }, ctx())).toBe('connected');
    await chain.notify('onAgentStart');
    const warnings = emitted.filter((e) => e.type === 'warning');
    expect(warnings).toEqual([
      {
        type: 'warning',
        code: 'SANDBOX_NOT_ENFORCED',
        message: expect.stringMatching(/^sandbox: network deny is not enforced on this machine \(.*false -n: .*\); shell commands keep their network access$/),
      },
    ]);
    // Nor does it claim, in the prompt, what it cannot do.
    expect(chain.promptSections().join('')).not.toContain('network');
  });

  it('gives commands only the basic variables with env filtered, plus env_allow', async () => {
    const env = { PATH: process.env['PATH'], HOME: '/home/someone', LC_ALL: 'C', KT_CUSTOM_SECRET: 'hunter2', KEEP_ME: 'kept' };
    const filtered = await sandboxed({ env: 'filtered', env_allow: ['KEEP_ME'] }, env);
    const shown = String(await call(bashTool, { command: 'env' }, filtered.ctx()));
    expect(shown).not.toContain('KT_CUSTOM_SECRET');
    expect(shown).toContain('HOME=/home/someone');
    expect(shown).toContain('LC_ALL=C');
    expect(shown).toContain('KEEP_ME=kept');
    const open = await sandboxed({ env: 'inherit' }, env);
    expect(String(await call(bashTool, { command: 'env' }, open.ctx()))).toContain('KT_CUSTOM_SECRET=hunter2');
  });

  it('filters the environment of bash in a creature', async () => {
    process.env['KT_SANDBOX_TEST_VARIABLE'] = 'visible';
    try {
      const pwd = await tempDir();
      const llm = new ScriptedLLM([{ toolCalls: [{ name: 'bash', args: { command: 'env; echo "[${KT_SANDBOX_TEST_VARIABLE-unset}]"' } }] }, { text: 'done' }]);
      const build = (options: Record<string, unknown>) =>
        Agent.build({ name: 'boxed', system_prompt: 'You run commands.' }, { llm, pwd, tools: [bashTool.create({})], catalog: new ToolCatalog(), plugins: [{ plugin: sandboxPlugin, options }] });
      const agent = await build({ env: 'filtered' });
      const events: AgentEvent[] = [];
      agent.on((e) => events.push(e));
      expect((await agent.run('show env')).status).toBe('completed');
      await agent.stop();
      const output = events.find((e): e is Extract<AgentEvent, { type: 'tool.result' }> => e.type === 'tool.result')?.output ?? '';
      expect(output).toMatch(/\[unset\]$/);
      expect(output).toContain('PATH=');
    } finally {
      delete process.env['KT_SANDBOX_TEST_VARIABLE'];
    }
  });
});
