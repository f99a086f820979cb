/** `triggers: [{type: custom, module: ./x.mjs}]`: the export forms a custom trigger may take, and a clear error for one that is not a trigger. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { TriggerCatalog } from '../../../source/engine/triggers/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

function creature(module: string, entry = 'type: custom\n    module: ./trigger.mjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-custom-trig-'));
  mkdirSync(join(dir, 'c'));
  writeFileSync(join(dir, 'c', 'trigger.mjs'), module);
  writeFileSync(join(dir, 'c', 'config.yaml'), `name: custom\ntriggers:\n  - ${entry}\n    every: 3\n`);
  return join(dir, 'c');
}

async function firstFire(folder: string): Promise<string> {
  const agent = await Agent.build(folder, { llm: new ScriptedLLM([{ text: 'ok' }]), pwd: folder, catalog: new ToolCatalog(), triggerCatalog: new TriggerCatalog() });
  const input = new Promise<string>((resolve) => agent.on('turn.start', (e) => resolve(String(e.input))));
  await agent.start();
  const text = await input;
  await agent.stop();
  return text;
}

describe('custom trigger modules', () => {
  it.each([
    ['an async generator object', `export default { kind: 'gen', async *start(ctx) { yield { content: 'from a generator' }; } };`, 'from a generator'],
    ['a factory given the options', `export default (options) => ({ kind: 'f', start(ctx) { ctx.fire({ content: 'every ' + options.every }); } });`, 'every 3'],
    ['a class given the options', `export default class Bell { kind = 'bell'; constructor(o) { this.o = o; } start(ctx) { ctx.fire({ content: 'ring ' + this.o.every }); } }`, 'ring 3'],
    [
      'a definition whose options are checked',
      `export const bell = { kind: 'bell', options: { safeParse: (v) => ({ success: true, data: v }) }, create: (o) => ({ kind: 'bell', start: (ctx) => ctx.fire({ content: 'defined ' + o.every }) }) };`,
      'defined 3',
    ],
  ])('loads %s', async (_what, source, expected) => {
    const folder = creature(source, source.includes('export const bell') ? 'type: custom\n    module: ./trigger.mjs\n    class: bell' : undefined);
    expect(await firstFire(folder)).toBe(expected);
  });

  it('an export that is not a trigger is a ConfigError naming the file and the entry line', async () => {
    const folder = creature(`export default { kind: 'nope' };`);
    const error = await Agent.build(folder, { llm: new ScriptedLLM([]), pwd: folder, catalog: new ToolCatalog(), triggerCatalog: new TriggerCatalog() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/config\.yaml:3.*trigger\.mjs export 'default' is not a trigger \(it has no start\(ctx\) method\)/);
  });

  it('a missing export is named', async () => {
    const folder = creature(`export const other = 1;`, 'type: custom\n    module: ./trigger.mjs\n    class: Bell');
    await expect(Agent.build(folder, { llm: new ScriptedLLM([]), pwd: folder, catalog: new ToolCatalog(), triggerCatalog: new TriggerCatalog() })).rejects.toThrow(/trigger\.mjs has no export 'Bell'/);
  });
});
