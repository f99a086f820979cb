import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installBuiltins } from '../../../source/builtins/index.js';
import { builtinPlugins } from '../../../source/builtins/plugins/index.js';
import { sandboxPlugin } from '../../../source/builtins/plugins/sandbox.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError, PluginBlockError } from '../../../source/engine/errors.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import type { ToolCallInfo } from '../../../source/engine/plugins/hooks.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { rejection } from '../../helpers/thrown.js';
import { loaded, toolInfo } from './harness.js';

const editInfo = (toolName = 'write'): ToolCallInfo => ({ ...toolInfo(toolName), effect: 'edit' });

/** A workspace, and beside it a folder the creature must not change. */
function dirs() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'kt-sandbox-')));
  const workspace = join(base, 'work');
  const elsewhere = join(base, 'elsewhere');
  mkdirSync(workspace);
  mkdirSync(elsewhere);
  return { workspace, elsewhere };
}

describe('sandbox plugin: tools and files', () => {
  it('is a builtin, first in the pre-hook order', () => {
    expect(builtinPlugins).toContain(sandboxPlugin);
    expect(sandboxPlugin.priority).toBe(1);
  });

  it('blocks the listed tools with its own reason', async () => {
    const { chain } = await loaded([{ definition: sandboxPlugin, options: { blocked_tools: ['bash'] } }]);
    const error = await rejection(PluginBlockError, chain.transform('preToolExecute', { command: 'ls' }, toolInfo('bash')));
    expect(error.plugin).toBe('sandbox');
    expect(error.message).toMatch(/^the sandbox does not allow the tool 'bash' here \(blocked_tools\)\. Do not retry it/);
    const args = { path: 'a.txt' };
    expect(await chain.transform('preToolExecute', args, toolInfo('read'))).toBe(args);
  });

  it('lets edit tools change files inside the workspace and refuses outside it', async () => {
    const { workspace, elsewhere } = dirs();
    const { chain } = await loaded([{ definition: sandboxPlugin }], workspace);
    for (const path of ['notes.txt', 'sub/new/file.ts', join(workspace, 'abs.txt'), '.']) {
      await expect(chain.transform('preToolExecute', { path, content: 'x' }, editInfo())).resolves.toBeDefined();
    }
    const outside = await rejection(PluginBlockError, chain.transform('preToolExecute', { path: '../elsewhere/x.txt', content: 'x' }, editInfo()));
    expect(outside.message).toContain(`only allows changing files inside the working directory (${workspace}); ../elsewhere/x.txt is outside it (fs_write: workspace)`);
    await rejection(PluginBlockError, chain.transform('preToolExecute', { path: join(elsewhere, 'x.txt') }, editInfo('edit')));
    await rejection(PluginBlockError, chain.transform('preToolExecute', { notebook_path: '/etc/x.ipynb' }, editInfo('notebook_edit')));
    await rejection(PluginBlockError, chain.transform('preToolExecute', { paths: ['ok.txt', '/tmp/../etc/passwd'] }, editInfo('custom')));
    // Reading is not the sandbox's business here; only tools that edit are checked.
    const read = { path: '/etc/passwd' };
    expect(await chain.transform('preToolExecute', read, toolInfo('read'))).toBe(read);
  });

  it('follows symbolic links: a link in the workspace pointing out of it is outside', async () => {
    const { workspace, elsewhere } = dirs();
    symlinkSync(elsewhere, join(workspace, 'door'));
    symlinkSync(join(elsewhere, 'target.txt'), join(workspace, 'dangling.txt'));
    const { chain } = await loaded([{ definition: sandboxPlugin }], workspace);
    const error = await rejection(PluginBlockError, chain.transform('preToolExecute', { path: 'door/x.txt', content: '' }, editInfo()));
    expect(error.message).toContain(`door/x.txt (it leads to ${join(elsewhere, 'x.txt')}) is outside it`);
    await rejection(PluginBlockError, chain.transform('preToolExecute', { path: 'dangling.txt', content: '' }, editInfo()));
    // A workspace reached through a link is still the workspace.
    const link = join(elsewhere, 'to-work');
    symlinkSync(workspace, link);
    const viaLink = await loaded([{ definition: sandboxPlugin }], link);
    await expect(viaLink.chain.transform('preToolExecute', { path: 'ok.txt' }, editInfo())).resolves.toEqual({ path: 'ok.txt' });
  });

  it('refuses an edit tool whose file it cannot see, every edit with fs_write deny, none with broad', async () => {
    const { workspace } = dirs();
    const strict = await loaded([{ definition: sandboxPlugin }], workspace);
    const unseen = await rejection(PluginBlockError, strict.chain.transform('preToolExecute', { where: 'x' }, editInfo('mystery')));
    expect(unseen.message).toContain('cannot tell which file mystery changes');
    const deny = await loaded([{ definition: sandboxPlugin, options: { fs_write: 'deny' } }], workspace);
    const denied = await rejection(PluginBlockError, deny.chain.transform('preToolExecute', { path: 'in.txt' }, editInfo()));
    expect(denied.message).toContain('does not allow changing files here (fs_write: deny), so write did not run');
    const broad = await loaded([{ definition: sandboxPlugin, options: { fs_write: 'broad' } }], workspace);
    await expect(broad.chain.transform('preToolExecute', { path: '/etc/x' }, editInfo())).resolves.toEqual({ path: '/etc/x' });
  });

  it('only reports in audit mode, and does nothing when off or disabled', async () => {
    const { workspace } = dirs();
    const audit = await loaded([{ definition: sandboxPlugin, options: { backend: 'audit', blocked_tools: ['bash'] } }], workspace);
    await audit.chain.transform('preToolExecute', { command: 'ls' }, toolInfo('bash'));
    await audit.chain.transform('preToolExecute', { path: '/etc/x' }, editInfo());
    expect(audit.emitted).toEqual([
      { type: 'warning', code: 'SANDBOX_AUDIT', message: "sandbox (audit) would block bash: the sandbox does not allow the tool 'bash' here (blocked_tools)" },
      { type: 'warning', code: 'SANDBOX_AUDIT', message: expect.stringContaining('sandbox (audit) would block write: ') },
    ]);
    for (const options of [{ backend: 'off' }, { enabled: false }]) {
      const { chain } = await loaded([{ definition: sandboxPlugin, options: { ...options, blocked_tools: ['bash'] } }], workspace);
      expect(chain.has('preToolExecute')).toBe(false);
    }
  });

  it('offers a prompt section stating the rules it enforces', async () => {
    const { workspace } = dirs();
    const { chain } = await loaded([{ definition: sandboxPlugin, options: { blocked_tools: ['web_fetch'] } }], workspace);
    expect(chain.promptSections()).toEqual([`## Sandbox\nThis creature runs in a sandbox: file tools may change files only inside ${workspace}; these tools are blocked: web_fetch.`]);
    const audit = await loaded([{ definition: sandboxPlugin, options: { backend: 'audit' } }], workspace);
    expect(audit.chain.promptSections()).toEqual([]);
  });

  it('refuses unknown options and values, naming them', async () => {
    const unknown = await rejection(ConfigError, loaded([{ definition: sandboxPlugin, options: { fs_read: 'deny' } }]));
    expect(unknown.message).toContain("plugin 'sandbox'");
    expect(unknown.message).toContain('fs_read');
    const bad = await rejection(ConfigError, loaded([{ definition: sandboxPlugin, options: { network: 'none' } }]));
    expect(bad.message).toContain("key 'options.network'");
  });

  it('tells the model, through a creature, why its edit outside the workspace did not run', async () => {
    const { workspace, elsewhere } = dirs();
    const target = join(elsewhere, 'escaped.txt');
    const touch = tool({
      name: 'touch',
      description: 'Create a file.',
      effect: 'edit',
      input: z.object({ path: z.string() }),
      execute: async ({ path }) => {
        await writeFile(join(workspace, path), '');
        return 'created';
      },
    });
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'touch', args: { path: '../elsewhere/escaped.txt' } }] }, { toolCalls: [{ name: 'touch', args: { path: 'inside.txt' } }] }, { text: 'done' }]);
    // Listed by name in the config, as a creature folder would: the builtin catalog knows it.
    installBuiltins();
    const agent = await Agent.build({ name: 'boxed', system_prompt: 'You make files.', plugins: [{ name: 'sandbox', options: { fs_write: 'workspace' } }] }, { llm, pwd: workspace, tools: [touch], catalog: new ToolCatalog() });
    const events: AgentEvent[] = [];
    agent.on((e) => events.push(e));
    expect((await agent.run('make files')).status).toBe('completed');
    await agent.stop();
    const results = events.filter((e): e is Extract<AgentEvent, { type: 'tool.result' }> => e.type === 'tool.result');
    expect(results[0]).toMatchObject({ isError: true, metadata: { blocked: 'sandbox' } });
    expect(results[0]?.output).toMatch(/^Error: the sandbox only allows changing files inside the working directory/);
    expect(results[1]).toMatchObject({ isError: false, output: 'created' });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(workspace, 'inside.txt'))).toBe(true);
    // The model saw the refusal, and its system prompt states the sandbox's rules.
    expect(JSON.stringify(llm.calls[1]?.messages)).toContain('the sandbox only allows changing files inside the working directory');
    expect(String(llm.calls[0]?.messages[0]?.content)).toMatch(/\n\n## Sandbox\nThis creature runs in a sandbox: file tools may change files only inside /);
  });
});
