/**
 * Tools' child processes do not see kt's credentials: `env` in bash shows
 * neither a provider key nor anything named like a token or secret, unless
 * the creature lets one through with `controller.env_passthrough`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashTool } from '../../../source/builtins/tools/bash.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { toolEnvironment } from '../../../source/engine/creature/tool-env.js';
import { Executor } from '../../../source/engine/creature/executor.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import type { ToolContext } from '../../../source/engine/tools/tool.js';
import { z } from 'zod';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  OPENAI_API_KEY: 'sk-openai-value-1234',
  GITHUB_TOKEN: 'ghp-token-value-5678',
  MY_CLIENT_SECRET_X: 'secret-value-9012',
  AWS_ACCESS_KEY_ID: 'aws-value-3456',
  KT_HARMLESS: 'visible-value',
};

async function envSeenByBash(controller: Record<string, unknown> = {}): Promise<string> {
  const catalog = new ToolCatalog();
  catalog.register(bashTool);
  const llm = new ScriptedLLM([{ toolCalls: [{ id: 'b1', name: 'bash', args: { command: 'env' } }] }, { text: 'done' }]);
  const pwd = mkdtempSync(join(tmpdir(), 'kt-env-'));
  const agent = await Agent.build({ name: 'c', tools: ['bash'], controller }, { llm, pwd, catalog, env: ENV });
  try {
    const result = await agent.run('show env');
    expect(result.toolCalls[0]?.status).toBe('ok');
    return String(result.toolCalls[0]?.output);
  } finally {
    await agent.stop();
  }
}

describe("tools' environment", () => {
  it('bash does not see provider keys, tokens, secrets or AWS_* variables', async () => {
    const output = await envSeenByBash();
    expect(output).toContain('KT_HARMLESS=visible-value');
    for (const hidden of ['sk-openai-value-1234', 'ghp-token-value-5678', 'secret-value-9012', 'aws-value-3456']) expect(output).not.toContain(hidden);
  });

  it('controller.env_passthrough admits a denied variable again; env_deny adds one', async () => {
    const output = await envSeenByBash({ env_passthrough: ['GITHUB_TOKEN'], env_deny: ['KT_HARM*'] });
    expect(output).toContain('GITHUB_TOKEN=ghp-token-value-5678');
    expect(output).not.toContain('visible-value');
    expect(output).not.toContain('sk-openai-value-1234');
  });

  it('patterns ignore case and match the whole name', () => {
    const env = toolEnvironment({ gemini_api_key: 'x', TOKENIZER_PATH: '/t', NOT_AWS_THING: 'y', aws_region: 'z' });
    expect(Object.keys(env).sort()).toEqual(['NOT_AWS_THING', 'TOKENIZER_PATH']);
  });

  it("a tool's own env is merged with the creature's once, not per call", async () => {
    const seen: ToolContext['env'][] = [];
    const probe = tool({ name: 'probe', description: 'records its env', input: z.object({}), execute: (_args, ctx) => (seen.push(ctx.env), 'ok') });
    const executor = new Executor([{ tool: probe, env: { EXTRA: 'x' } }], { cwd: tmpdir(), creature: 'c', session: { id: 's', state: new Map() }, env: { BASE: 'b' } });
    for (const id of ['c1', 'c2']) await executor.execute({ id, name: 'probe', arguments: '{}' }, 0, new AbortController().signal, () => undefined);
    expect(seen[0]).toEqual({ BASE: 'b', EXTRA: 'x' });
    expect(seen[1]).toBe(seen[0]);
  });
});
