import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledBiomeRoot } from '../../../source/builtins/package-root.js';
import { defineCreature, loadCreature } from '../../../source/engine/config/loader.js';
import { ConfigError, PackageNotFoundError } from '../../../source/engine/errors.js';
import { registerBundledPackage } from '../../../source/engine/packages/registry.js';
import { configHome, tempTree } from '../../helpers/temp-tree.js';
import { thrown } from '../../helpers/thrown.js';

const env = configHome();

beforeAll(() => registerBundledPackage('kt-biome', bundledBiomeRoot()));

const GENERAL_TOOLS = ['read', 'write', 'edit', 'multi_edit', 'json_read', 'json_write', 'notebook_read', 'notebook_edit', 'glob', 'grep', 'tree', 'bash', 'web_fetch', 'web_search', 'scratchpad', 'todo', 'search_memory', 'jobs', 'read_job', 'wait', 'stop_task', 'info', 'skill', 'ask_user'];

describe('loadCreature', () => {
  it('loads the bundled swe creature through @kt-biome with its inherited prompt chain and tools', () => {
    const swe = loadCreature('@kt-biome/creatures/swe', { env });
    expect(swe.name).toBe('swe');
    expect(swe.layers).toHaveLength(2);
    expect(swe.tools.map((t) => t.name)).toEqual(GENERAL_TOOLS);
    expect(swe.controller.tool_format).toBe('native');
    // Base prompt first, then the child's.
    const general = swe.systemPrompt.indexOf('working inside the user');
    const workflow = swe.systemPrompt.indexOf('Software engineering workflow');
    expect(general).toBeGreaterThanOrEqual(0);
    expect(workflow).toBeGreaterThan(general);
    expect(swe.termination.max_turns).toBe(200);
    expect(swe.warnings).toEqual([]);
  });

  it('accepts bare-string and dict tool entries; lifts executor keys and collects the rest as options', () => {
    const root = tempTree({
      'c/config.yaml': 'tools:\n  - read\n  - name: bash\n    timeout: 5\n    max_output: 1000\n    shell: /bin/sh\n    env: { A: 1 }\n',
    });
    const def = loadCreature(join(root, 'c'), { env });
    expect(def.name).toBe('c');
    expect(def.tools[0]).toMatchObject({ name: 'read', type: 'builtin', options: {} });
    expect(def.tools[1]).toMatchObject({ name: 'bash', timeoutMs: 5000, maxOutputBytes: 1000, options: { shell: '/bin/sh' }, env: { A: '1' } });
    expect(def.tools[1]!.origin).toMatchObject({ line: 3, keyPath: ['tools', 1] });
  });

  it('merges inheritance: identity lists by name in place, mappings shallowly, no_inherit, name never inherited', () => {
    const root = tempTree({
      'base/config.yaml': [
        'name: base',
        'system_prompt_file: prompts/base.md',
        'controller: { llm: gpt-4o, temperature: 0.2 }',
        'termination: { max_turns: 7 }',
        'tools: [read, { name: bash, timeout: 9 }, grep]',
      ].join('\n'),
      'base/prompts/base.md': 'BASE PROMPT',
      'child/config.yaml': [
        'base_config: ../base',
        'system_prompt_file: prompts/child.md',
        'system_prompt: INLINE',
        'controller: { temperature: 0.5 }',
        'no_inherit: [termination]',
        'tools: [{ name: bash, timeout: 1 }, write]',
      ].join('\n'),
      'child/prompts/child.md': 'CHILD PROMPT',
    });
    const def = loadCreature(join(root, 'child'), { env });
    expect(def.name).toBe('child');
    expect(def.tools.map((t) => [t.name, t.timeoutMs])).toEqual([
      ['read', undefined],
      ['bash', 1000],
      ['grep', undefined],
      ['write', undefined],
    ]);
    expect(def.controller).toMatchObject({ llm: 'gpt-4o', temperature: 0.5 });
    expect(def.termination).toEqual({});
    expect(def.systemPrompt).toBe('BASE PROMPT\n\nCHILD PROMPT\n\nINLINE');
  });

  it('prompt_mode: replace drops the inherited prompt chain', () => {
    const root = tempTree({
      'base/config.yaml': 'system_prompt_file: p.md\nsystem_prompt: base inline',
      'base/p.md': 'BASE',
      'child/config.yaml': 'base_config: ../base\nprompt_mode: replace\nsystem_prompt_file: c.md',
      'child/c.md': 'ONLY CHILD',
    });
    expect(loadCreature(join(root, 'child'), { env }).systemPrompt).toBe('ONLY CHILD');
  });

  it('finds creatures/<name> by walking up, and resolves a prompt file from the base folder', () => {
    const root = tempTree({
      'creatures/base/config.yaml': 'system_prompt_file: prompts/shared.md',
      'creatures/base/prompts/shared.md': 'SHARED',
      'team/deep/kid/config.yaml': 'base_config: creatures/base\nsystem_prompt_file: prompts/shared.md',
    });
    const def = loadCreature(join(root, 'team/deep/kid'), { env });
    expect(def.systemPrompt).toBe('SHARED');
    expect(def.promptFiles).toHaveLength(1);
  });

  it('interpolates ${VAR} and ${VAR:default}, typing whole placeholders', () => {
    const root = tempTree({ 'c/config.yaml': 'system_prompt: "hi ${WHO:there}"\ncontroller:\n  temperature: ${TEMP:0.3}\n  llm: ${MODEL}\n' });
    const def = loadCreature(join(root, 'c'), { env: { ...env, MODEL: 'openai/x' } });
    expect(def.systemPrompt).toBe('hi there');
    expect(def.controller.temperature).toBe(0.3);
    expect(def.controller.llm).toBe('openai/x');
  });

  it('warns about unknown keys with file, key path and line, and about features not supported yet', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\ncontroller:\n  llm: gpt-4o\n  temprature: 1\nwhatever: 2\nmemory: {}\n' });
    const def = loadCreature(join(root, 'c'), { env });
    expect(def.warnings).toEqual([
      expect.objectContaining({ message: "unknown key 'controller.temprature' is ignored (did you mean: temperature?)", line: 4 }),
      expect.objectContaining({ message: "unknown key 'whatever' is ignored", line: 5 }),
      expect.objectContaining({ message: expect.stringContaining("'memory' is not supported"), line: 6 }),
    ]);
    expect(def.warnings[0]!.file).toBe(join(root, 'c', 'config.yaml'));
  });
});

describe('config errors name the file, the key path and the line', () => {
  it('malformed YAML', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\ntools: [read,\n  bash\ncontroller: {\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error.file).toBe(join(root, 'c', 'config.yaml'));
    expect(error.line).toBeGreaterThan(1);
    expect(error.message).toMatch(/config\.yaml:\d+: invalid YAML/);
  });

  it('a value of the wrong type', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\ncontroller:\n  temperature: hot\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error).toMatchObject({ line: 3, keyPath: ['controller', 'temperature'] });
    expect(error.message).toBe(`${join(root, 'c', 'config.yaml')}:3 key 'controller.temperature': expected number, got the string "hot"`);
  });

  it('a tool entry without a name', () => {
    const root = tempTree({ 'c/config.yaml': 'tools:\n  - read\n  - timeout: 3\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error.keyPath).toEqual(['tools', 1, 'name']);
    expect(error.line).toBe(3);
  });

  it('a missing prompt file', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\nsystem_prompt_file: prompts/nope.md\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error).toMatchObject({ line: 2, keyPath: ['system_prompt_file'] });
    expect(error.message).toMatch(/prompt file 'prompts\/nope\.md' not found/);
  });

  it('an unknown @package names the installed ones', () => {
    const root = tempTree({ 'c/config.yaml': 'base_config: "@nope/creatures/x"\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error).toBeInstanceOf(PackageNotFoundError);
    expect(error.message).toMatch(/package '@nope' is not installed \(available: @kt-biome\)/);
    expect(error.line).toBe(1);
  });

  it('a missing creature inside a package lists what exists', () => {
    const error = thrown(ConfigError, () => loadCreature('@kt-biome/creatures/sw', { env }));
    expect(error.message).toMatch(/available in creatures\/: general, planner, ralph_worker, researcher, reviewer, swe, watcher/);
  });

  it('an inheritance cycle', () => {
    const root = tempTree({ 'a/config.yaml': 'base_config: ../b', 'b/config.yaml': 'base_config: ../a' });
    expect(thrown(ConfigError, () => loadCreature(join(root, 'a'), { env })).message).toMatch(/cycle/);
  });

  it('a text tool format is checked: a bad custom one names its field and line', () => {
    const ok = tempTree({ 'c/config.yaml': 'controller:\n  tool_format: bracket\n' });
    expect(loadCreature(join(ok, 'c'), { env }).toolFormat).toMatchObject({ start_char: '[', end_char: ']', slash_means_open: true });
    const bad = tempTree({ 'c/config.yaml': 'controller:\n  tool_format:\n    start_char: "[["\n' });
    expect(thrown(ConfigError, () => loadCreature(join(bad, 'c'), { env }))).toMatchObject({ line: 3, keyPath: ['controller', 'tool_format', 'start_char'] });
  });

  it('an installed package shadows the bundled one', () => {
    const home = configHome({ 'packages/kt-biome/creatures/swe/config.yaml': 'name: shadow\n' });
    expect(loadCreature('@kt-biome/creatures/swe', { env: home }).name).toBe('shadow');
  });
});

describe('defineCreature (inline config objects)', () => {
  it('validates like a file and inherits from a package', () => {
    const def = defineCreature({ name: 'mine', base_config: '@kt-biome/creatures/general', tools: ['read'] }, { env });
    expect(def.name).toBe('mine');
    expect(def.tools.map((t) => t.name)).toEqual(GENERAL_TOOLS);
    expect(() => defineCreature({ controller: { temperature: 'x' } }, { env })).toThrow(/<inline config> key 'controller.temperature'/);
  });
});
