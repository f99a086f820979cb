/**
 * A package contributing a tool, a plugin, a trigger and a creature, used
 * together through `Agent.build('@kit/creatures/x')`; a broken package next
 * to it only warns; a name clash without `override: true` is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { loadPackageExtensions } from '../../../source/engine/package-modules/extensions.js';
import { installPackage } from '../../../source/engine/packages/install.js';
import { PluginCatalog } from '../../../source/engine/plugins/catalog.js';
import { IoCatalog } from '../../../source/engine/io/catalog.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { TriggerCatalog } from '../../../source/engine/triggers/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { makePackage, tempDir } from './helpers.js';

const KIT = {
  'kohaku.yaml': `name: kit
version: "1.0.0"
creatures:
  - name: x
tools:
  - name: kit_echo
    module: tools/echo.ts
plugins:
  - name: kit_mark
    module: plugins/mark.mjs
triggers:
  - name: kit_bell
    module: triggers/bell.mjs
`,
  'tools/echo.ts': `const schema: Record<string, unknown> = { type: 'object', properties: { text: { type: 'string' } } };
export default {
  name: 'kit_echo',
  description: 'Echo text back',
  parameters: schema,
  concurrency: 'parallel',
  parse: (args: unknown) => ({ ok: true, value: args }),
  execute: async (input: { text: string }) => 'echo: ' + input.text,
};
`,
  'plugins/mark.mjs': `export default { name: 'mark', description: 'marks the prompt', setup: () => ({}) };\n`,
  'triggers/bell.mjs': `export default {
  kind: 'bell',
  description: 'rings once',
  options: { safeParse: (v) => ({ success: true, data: v }) },
  create: (o) => ({ kind: 'bell', start(ctx) { ctx.fire({ content: 'bell ' + o.note }); } }),
};
`,
  'creatures/x/config.yaml': `name: x
system_prompt: You use the kit.
tools:
  - name: kit_echo
    type: package
plugins:
  - name: kit_mark
triggers:
  - type: kit_bell
    note: rung
`,
};

describe('package extensions', () => {
  it('Agent.build of @kit/creatures/x lists and uses the package tool, plugin and trigger; a broken package only warns', async () => {
    const env = { KT_CONFIG_DIR: tempDir('kt-home-') };
    await installPackage(makePackage(join(tempDir(), 'kit'), 'kit', '1.0.0', KIT), { env });
    // A package that broke after it was installed (its module went missing): linked by hand, as an edit would leave it.
    const broken = makePackage(join(tempDir(), 'broken'), 'broken', '1.0.0', { 'kohaku.yaml': 'name: broken\ntools:\n  - name: b\n    module: missing.mjs\n' });
    writeFileSync(join(env.KT_CONFIG_DIR, 'packages', 'broken.link'), broken);

    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'kit_echo', args: { text: 'ping' } }] }, { text: 'done' }]);
    const agent = await Agent.build('@kit/creatures/x', { llm, env, pwd: tempDir() });
    expect(agent.tools).toContain('kit_echo');
    expect(agent.plugins.list().find((p) => p.name === 'kit_mark')).toMatchObject({ loaded: true });
    expect(agent.triggers.map((t) => t.kind)).toEqual(['bell']);
    expect(agent.warnings.map((w) => w.message).join('\n')).toMatch(/package 'broken' not loaded: .*kohaku\.yaml:4 key 'tools\[0\]\.module': package 'broken': cannot load tools module/);
    const input = new Promise<string>((resolve) => agent.on('turn.start', (e) => resolve(String(e.input))));
    const ended = new Promise<void>((resolve) => agent.on('turn.end', () => resolve()));
    await agent.start();
    expect(await input).toBe('bell rung');
    await ended;
    await agent.stop();
    expect(JSON.stringify(llm.calls.at(-1)?.messages)).toContain('echo: ping');
  });

  it('a broken package is reported with its name and reason and the others still load', async () => {
    const env = { KT_CONFIG_DIR: tempDir('kt-home-') };
    const catalogs = { tools: new ToolCatalog(), plugins: new PluginCatalog(), triggers: new TriggerCatalog(), io: new IoCatalog() };
    await installPackage(makePackage(join(tempDir(), 'good'), 'good', '1.0.0', { 'kohaku.yaml': 'name: good\ntools:\n  - name: good_tool\n    module: t.mjs\n', 't.mjs': KIT['tools/echo.ts'].replace(': Record<string, unknown>', '').replace(': unknown', '').replace(': { text: string }', '') }), { env });
    const bad = makePackage(join(tempDir(), 'zbad'), 'zbad', '1.0.0', { 'kohaku.yaml': 'name: zbad\ntools:\n  - name: good_tool\n    module: t.mjs\n', 't.mjs': KIT['tools/echo.ts'].replace(': Record<string, unknown>', '').replace(': unknown', '').replace(': { text: string }', '') });
    await installPackage(bad, { env, editable: true });
    const report = await loadPackageExtensions(env, catalogs);
    expect(report.loaded).toEqual(['good']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.name).toBe('zbad');
    expect(report.failed[0]!.error.message).toMatch(/kohaku\.yaml:3 key 'tools\[0\]\.name': package 'zbad': a tool named 'good_tool' already exists \(set override: true/);
    expect(catalogs.tools.names()).toEqual(['good_tool']);
  });
});
