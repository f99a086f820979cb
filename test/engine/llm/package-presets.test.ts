/**
 * Presets from an installed package's `llm_presets:` are models like any
 * other: `controller.llm` and `--llm` (Agent.build's `llm`) pick them by
 * name and requests reach the provider with the preset's model and knobs;
 * the catalog and `kt model list` show them. User presets beat package
 * presets, which beat built-in ones. A bad entry is a warning naming the
 * package, file, key and line, never an error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deletePreset, modelRows } from '../../../source/cli/config/models.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ModelCatalog } from '../../../source/engine/llm/profiles/catalog.js';
import { installPackage } from '../../../source/engine/packages/install.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../fakes/openai-server.js';
import { configHome } from '../../helpers/temp-tree.js';
import { makePackage, tempDir } from '../packages/helpers.js';

const LAB = `name: lab
version: "1.0.0"
llm_presets:
  - name: lab-fast
    model: lab-model-1
    temperature: 0.25
    max_context: 32000
    aliases: [labby]
  - name: lab-shadowed
    model: from-package
  - name: gpt-4.1
    provider: openai
    model: lab-gpt
  - name: lab-typo
    model: m
    temprature: 0.5
  - name: lab-nowhere
    provider: nowhere
    model: m
`;

/** A config home with the lab package installed, a second package repeating one preset, and a user preset shadowing another. */
async function labHome(): Promise<{ KT_CONFIG_DIR: string; HOME: string }> {
  const home = configHome({ 'llm_profiles.yaml': 'version: 3\npresets:\n  openai:\n    lab-shadowed:\n      model: from-user\n' });
  await installPackage(makePackage(join(tempDir(), 'lab'), 'lab', '1.0.0', { 'kohaku.yaml': LAB }), { env: home });
  await installPackage(makePackage(join(tempDir(), 'lab2'), 'lab2', '1.0.0', { 'kohaku.yaml': 'name: lab2\nllm_presets:\n  - name: lab-fast\n    model: other\n' }), { env: home });
  // A package whose manifest broke after install: its presets are skipped, the catalog still loads.
  const broken = tempDir();
  writeFileSync(join(broken, 'kohaku.yaml'), 'name: [unclosed\n');
  writeFileSync(join(home.KT_CONFIG_DIR, 'packages', 'broken.link'), broken);
  return home;
}

describe('package LLM presets', () => {
  let server: FakeOpenAIServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('the catalog and kt model list show them; user > package > built-in; bad entries warn with package, key and line', async () => {
    const env = await labHome();
    const catalog = ModelCatalog.load(env);
    expect(catalog.preset('openai', 'lab-fast')).toMatchObject({ model: 'lab-model-1', temperature: 0.25, maxContext: 32000, package: 'lab', builtin: false });
    expect(catalog.preset('openai', 'labby')?.name).toBe('lab-fast');
    expect(catalog.names()).toContain('lab-fast');
    expect(catalog.preset('openai', 'lab-shadowed')).toMatchObject({ model: 'from-user' });
    expect(catalog.preset('openai', 'lab-shadowed')?.package).toBeUndefined();
    expect(catalog.preset('openai', 'gpt-4.1')).toMatchObject({ model: 'lab-gpt', package: 'lab' });
    expect(catalog.preset('openai', 'lab-typo')).toBeUndefined();
    expect(catalog.preset('nowhere', 'lab-nowhere')).toBeUndefined();

    const file = join(env.KT_CONFIG_DIR, 'packages', 'lab', 'kohaku.yaml');
    expect(catalog.warnings).toEqual([
      expect.objectContaining({ file, line: 14, keyPath: ['llm_presets', 3], message: expect.stringMatching(/^package 'lab': LLM preset 'lab-typo' is left out: unknown key 'temprature'/) }),
      expect.objectContaining({ file, line: 18, keyPath: ['llm_presets', 4, 'provider'], message: expect.stringMatching(/^package 'lab': LLM preset 'lab-nowhere' is left out: provider 'nowhere' is not defined/) }),
      expect.objectContaining({ keyPath: ['llm_presets', 0, 'name'], message: "package 'lab2': LLM preset 'openai/lab-fast' is left out: package 'lab' already defines it" }),
    ]);

    const rows = modelRows(env, { all: false }).map((r) => r.id);
    expect(rows).toEqual(expect.arrayContaining(['openai/lab-fast', 'openai/gpt-4.1', 'openai/lab-shadowed']));
    // kt model list says where a preset came from; deleting one a package brought names the package.
    expect(modelRows(env, { all: false }).find((r) => r.id === 'openai/lab-fast')?.package).toBe('lab');
    expect(() => deletePreset('openai/lab-fast', env)).toThrow(/comes from the package lab; kt uninstall lab removes it/);
  });

  it('controller.llm and --llm name a package preset and the requests reach its provider with its model', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'from config' }, { text: 'from flag' }] });
    const env = { ...(await labHome()), OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL };
    const pwd = mkdtempSync(join(tmpdir(), 'kt-pkg-preset-'));

    const byConfig = await Agent.build({ name: 'c', controller: { llm: 'lab-fast' } }, { env, pwd, catalog: new ToolCatalog() });
    // The presets the packages got wrong are left out, and the creature says so.
    expect(byConfig.warnings.map((w) => w.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^package 'lab': LLM preset 'lab-typo' is left out/)]));
    expect((await byConfig.run('hi')).text).toBe('from config');
    await byConfig.stop();

    const byFlag = await Agent.build({ name: 'c', controller: { llm: 'gpt-4o-mini' } }, { env, pwd, llm: 'labby', catalog: new ToolCatalog() });
    expect((await byFlag.run('hi')).text).toBe('from flag');
    await byFlag.stop();

    expect(server.requests.map((r) => [r.body?.model, r.body?.temperature])).toEqual([
      ['lab-model-1', 0.25],
      ['lab-model-1', 0.25],
    ]);
  });
});
