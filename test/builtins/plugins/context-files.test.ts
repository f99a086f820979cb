import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { contextFilesPlugin } from '../../../source/builtins/plugins/context-files.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { llmInfo, loaded } from './harness.js';

const systemOf = (messages: readonly { role: string; content: unknown }[]) => String(messages[0]!.content);

describe('context_files plugin', () => {
  it('picks up an AGENTS.md changed between rounds, and never repeats text the prompt already has', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-ctxfiles-'));
    mkdirSync(join(pwd, '.git'));
    writeFileSync(join(pwd, 'AGENTS.md'), 'Use tabs.\n');
    const llm = new ScriptedLLM([
      { toolCalls: [{ name: 'read', args: { path: 'AGENTS.md' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'AGENTS.md', content: 'Use two spaces, never tabs.\n' } }] },
      { text: 'noted' },
    ]);
    await using agent = await Agent.build('@kt-biome/creatures/general', { llm, pwd, plugins: [{ plugin: 'context_files' }] });
    await agent.run('change the style rule');
    const [first, , third] = llm.calls.map((c) => systemOf(c.messages));
    // Round 1: the build-time prompt has AGENTS.md already; the plugin adds nothing.
    expect(first!.match(/Use tabs\./g)).toHaveLength(1);
    expect(first).not.toContain('Project instruction files (current version');
    // Round 3: the file changed; the current text is sent, marked as replacing the copy above.
    expect(third).toContain('## Project instruction files (current version');
    expect(third).toContain('### AGENTS.md\n\nUse two spaces, never tabs.');
  });

  it('reads .cursorrules and files up to the repository root, outermost first, and re-reads only when size or mtime change', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kt-ctxfiles-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'pkg'));
    writeFileSync(join(root, 'CLAUDE.md'), 'root rule');
    writeFileSync(join(root, 'pkg', '.cursorrules'), 'pkg rule');
    // A whole-second time, so putting it back later gives exactly the same mtime.
    const fixed = new Date('2026-01-01T00:00:00Z');
    utimesSync(join(root, 'pkg', '.cursorrules'), fixed, fixed);
    const { chain } = await loaded([{ definition: contextFilesPlugin }], join(root, 'pkg'));
    const messages: Message[] = [{ role: 'system', content: 'base prompt' }, { role: 'user', content: 'hi' }];
    const sent = await chain.transform('preLlmCall', messages, llmInfo());
    const system = systemOf(sent);
    expect(system.startsWith('base prompt\n\n## Project instruction files')).toBe(true);
    expect(system.indexOf('### ../CLAUDE.md\n\nroot rule')).toBeLessThan(system.indexOf('### .cursorrules\n\npkg rule'));
    expect(sent.slice(1)).toEqual(messages.slice(1));

    // Same size and the old mtime put back: the cached text is used (no re-read).
    const file = join(root, 'pkg', '.cursorrules');
    writeFileSync(file, 'PKG RULE');
    utimesSync(file, fixed, fixed);
    expect(systemOf(await chain.transform('preLlmCall', messages, llmInfo()))).toContain('pkg rule');
    writeFileSync(file, 'pkg rule, longer now');
    expect(systemOf(await chain.transform('preLlmCall', messages, llmInfo()))).toContain('pkg rule, longer now');
    // Sub-agent calls are left alone unless asked.
    expect(await chain.transform('preLlmCall', messages, llmInfo('subagent'))).toBe(messages);
  });
});
