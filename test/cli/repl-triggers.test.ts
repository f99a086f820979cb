/** The plain REPL's `/triggers`: the terminal app's listing on stdout, a refused delete on stderr. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replCommands } from '../../source/cli/repl-commands.js';
import { Agent } from '../../source/engine/creature/agent.js';
import { ToolCatalog } from '../../source/engine/tools/catalog.js';
import { TriggerCatalog } from '../../source/engine/triggers/catalog.js';
import { ScriptedLLM } from '../../source/testing/scripted-llm.js';

afterEach(() => vi.restoreAllMocks());

describe('plain REPL /triggers', () => {
  it('lists and deletes triggers', async () => {
    const agent = await Agent.build({ name: 'waker' }, { llm: new ScriptedLLM([]), pwd: mkdtempSync(join(tmpdir(), 'kt-repl-trig-')), catalog: new ToolCatalog(), triggerCatalog: new TriggerCatalog() });
    const id = await agent.addTrigger({ kind: 'manual', describe: () => 'by hand', start() {} }, { name: 'bell' });
    await agent.start();
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    const noTurn = () => Promise.reject(new Error('no turn expected'));
    await replCommands(agent, '/triggers', noTurn, () => {});
    await replCommands(agent, '/triggers rm nope', noTurn, () => {});
    await replCommands(agent, `/triggers rm ${id}`, noTurn, () => {});
    vi.restoreAllMocks();
    expect(out.join('')).toMatch(new RegExp(`⚡ ${id} {2}manual 'bell'\\n\\s+by hand\\n[\\s\\S]*Deleted trigger ${id}`));
    expect(err.join('')).toBe("No trigger 'nope'; /triggers lists them.\n");
    expect(agent.triggers).toEqual([]);
    await agent.stop();
  });
});
