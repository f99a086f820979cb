import { describe, expect, it } from 'vitest';
import { REPORT_HEADING, SUBAGENT_PREAMBLE, builtinSubagents, registerBuiltinSubagents } from '../../source/builtins/subagents/index.js';
import { builtinToolFactories } from '../../source/builtins/tools/index.js';
import { SubagentCatalog, type SubagentDefinition } from '../../source/engine/creature/subagent-catalog.js';

const toolNames = new Set(builtinToolFactories.map((factory) => factory.name));

/**
 * Tools whose purpose is changing files. `bash` is left out on purpose: it
 * *can* change anything, but the read-only sub-agents (explore, plan,
 * critic) carry it to inspect (git log, ls) and run checks, and their
 * prompts forbid changes. `canModify` states what a sub-agent is for, so the
 * check is against the tools that exist to write.
 */
const WRITING_TOOLS = new Set(['write', 'edit', 'multi_edit', 'json_write', 'notebook_edit']);

const byName = (name: string): SubagentDefinition => {
  const found = builtinSubagents.find((d) => d.name === name);
  if (!found) throw new Error(`no built-in sub-agent ${name}`);
  return found;
};

describe('built-in sub-agents', () => {
  it('ships the expected set', () => {
    expect(builtinSubagents.map((d) => d.name).sort()).toEqual([
      'coordinator',
      'critic',
      'explore',
      'memory_read',
      'memory_write',
      'plan',
      'research',
      'response',
      'summarize',
      'worker',
    ]);
  });

  it('registers every definition once, keeping names already taken', () => {
    const catalog = new SubagentCatalog();
    const custom: SubagentDefinition = { name: 'explore', description: 'replacement', systemPrompt: 'x', tools: [], canModify: false };
    catalog.register(custom);
    registerBuiltinSubagents(catalog);
    registerBuiltinSubagents(catalog);
    expect(catalog.names()).toEqual(builtinSubagents.map((d) => d.name).sort());
    expect(catalog.get('explore')).toBe(custom);
    for (const definition of builtinSubagents.filter((d) => d.name !== 'explore')) {
      expect(catalog.get(definition.name)).toBe(definition);
    }
  });

  it('has unique names that are valid tool names and do not shadow a built-in tool', () => {
    const names = builtinSubagents.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z][a-z_]*$/);
      expect(toolNames.has(name), name).toBe(false);
    }
  });

  it('uses only built-in tools, each at most once', () => {
    for (const definition of builtinSubagents) {
      expect(new Set(definition.tools).size, definition.name).toBe(definition.tools.length);
      for (const tool of definition.tools) expect(toolNames.has(tool), `${definition.name}: ${tool}`).toBe(true);
    }
  });

  it('never gives a sub-agent ask_user: it has nobody to ask', () => {
    for (const definition of builtinSubagents) expect(definition.tools, definition.name).not.toContain('ask_user');
  });

  it('says canModify exactly when it has a writing tool', () => {
    for (const definition of builtinSubagents) {
      const writes = definition.tools.some((tool) => WRITING_TOOLS.has(tool));
      expect(definition.canModify, definition.name).toBe(writes);
    }
  });

  it('names only built-in sub-agents as its own sub-agents, never itself', () => {
    const names = new Set(builtinSubagents.map((d) => d.name));
    for (const definition of builtinSubagents) {
      for (const sub of definition.subagents ?? []) {
        expect(names.has(sub), `${definition.name}: ${sub}`).toBe(true);
        expect(sub).not.toBe(definition.name);
      }
    }
  });

  it('has one-line descriptions under 200 characters', () => {
    for (const definition of builtinSubagents) {
      expect(definition.description.trim(), definition.name).toBe(definition.description);
      expect(definition.description, definition.name).not.toMatch(/\n/);
      expect(definition.description.length, definition.name).toBeGreaterThan(20);
      expect(definition.description.length, definition.name).toBeLessThan(200);
    }
  });

  it('has prompts built on the shared preamble that end with the report shape', () => {
    for (const { name, systemPrompt } of builtinSubagents) {
      expect(systemPrompt.trim().length, name).toBeGreaterThan(SUBAGENT_PREAMBLE.length);
      expect(systemPrompt.startsWith(SUBAGENT_PREAMBLE), name).toBe(true);
      expect(systemPrompt, name).not.toMatch(/TODO|FIXME|XXX/);
      const headings = systemPrompt.split('\n').filter((line) => line.startsWith('## '));
      expect(headings.at(-1), name).toBe(REPORT_HEADING);
      const report = systemPrompt.slice(systemPrompt.lastIndexOf(REPORT_HEADING) + REPORT_HEADING.length).trim();
      expect(report.length, name).toBeGreaterThan(40);
      const lines = systemPrompt.split('\n').length;
      expect(lines, name).toBeGreaterThanOrEqual(15);
      expect(lines, name).toBeLessThanOrEqual(40);
    }
  });

  it('mentions each of its tools in its prompt only if it has it', () => {
    // A prompt that tells the model to use a tool it lacks wastes a turn.
    for (const { name, systemPrompt, tools } of builtinSubagents) {
      for (const tool of toolNames) {
        if (systemPrompt.includes(`\`${tool}\``)) expect(tools, `${name} mentions \`${tool}\``).toContain(tool);
      }
    }
  });

  it('runs in the background by default, except the ones the parent waits on', () => {
    for (const definition of builtinSubagents) {
      const waited = definition.name === 'summarize' || definition.name === 'response';
      expect(definition.background, definition.name).toBe(!waited);
    }
  });

  it('has budgets: 40 turns and 100 tool calls, smaller for the quick writers', () => {
    expect(byName('explore')).toMatchObject({ maxTurns: 40, maxToolCalls: 100 });
    expect(byName('summarize')).toMatchObject({ maxTurns: 10, maxToolCalls: 20 });
    expect(byName('response')).toMatchObject({ maxTurns: 10, maxToolCalls: 20 });
    for (const definition of builtinSubagents) {
      expect(definition.maxTurns, definition.name).toBeGreaterThan(0);
      expect(definition.maxToolCalls, definition.name).toBeGreaterThan(0);
    }
  });
});
