/**
 * Hostile and sloppy config files: alias bombs and empty files are errors
 * naming the file; misspelled keys anywhere (including inside tool and
 * sub-agent entries and llm_profiles.yaml) warn with a suggestion; every
 * problem of a file is listed at once.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCreature } from '../../../source/engine/config/loader.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { readUserProfiles } from '../../../source/engine/llm/profiles/store.js';
import { configHome, tempTree } from '../../helpers/temp-tree.js';
import { thrown } from '../../helpers/thrown.js';

const env = configHome();

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded. */
function aliasBomb(): string {
  const lines = ['name: bomb', 'a0: &a0 "lol"'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('hostile and empty files', () => {
  it('a YAML alias bomb is refused with the file and the line of the first alias', () => {
    const root = tempTree({ 'c/config.yaml': aliasBomb() });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error.file).toBe(join(root, 'c', 'config.yaml'));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/config\.yaml:3: invalid YAML: too many alias expansions \(more than 100\); the file looks like an alias bomb/);
  });

  it('a few honest aliases still load', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\nx-keys: &k [a]\ntermination: { keywords: *k }\n' });
    expect(loadCreature(join(root, 'c'), { env }).termination.keywords).toEqual(['a']);
  });

  it('an empty config.yaml (or one with only comments) is an error naming the file', () => {
    for (const text of ['', '# nothing yet\n']) {
      const root = tempTree({ 'c/config.yaml': text });
      const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
      expect(error.message).toBe(`${join(root, 'c', 'config.yaml')}:1: the config file is empty; a creature config needs at least one key (such as name:)`);
    }
  });

  it('an alias bomb in llm_profiles.yaml is refused too', () => {
    const home = configHome({ 'llm_profiles.yaml': aliasBomb().replace('name: bomb\n', '') });
    expect(thrown(ConfigError, () => readUserProfiles(home)).message).toMatch(/llm_profiles\.yaml:2: invalid YAML: too many alias expansions/);
  });
});

describe('misspelled keys warn with a suggestion, file and line', () => {
  it('at the top level and in the controller block', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\ncontroller:\n  temprature: 1\nmax_iteration: 3\n' });
    const def = loadCreature(join(root, 'c'), { env });
    expect(def.warnings).toEqual([
      expect.objectContaining({ message: "unknown key 'controller.temprature' is ignored (did you mean: temperature?)", line: 3 }),
      expect.objectContaining({ message: "unknown key 'max_iteration' is ignored (did you mean: max_iterations?)", line: 4 }),
    ]);
  });

  it('inside a sub-agent entry', () => {
    const root = tempTree({
      'c/config.yaml': 'subagents:\n  - name: helper\n    system_prompt: Help.\n    max_turn: 3\n    desciption: x\n',
    });
    const def = loadCreature(join(root, 'c'), { env });
    expect(def.warnings).toEqual([
      expect.objectContaining({ message: "unknown key 'subagents[0].max_turn' is ignored (did you mean: max_turns?)", line: 4, file: join(root, 'c', 'config.yaml') }),
      expect.objectContaining({ message: "unknown key 'subagents[0].desciption' is ignored (did you mean: description?)", line: 5 }),
    ]);
    expect(def.subagents[0]).not.toHaveProperty('maxTurns');
  });

  it('inside a tool entry: a near miss of a tool setting warns; real options do not', () => {
    const root = tempTree({ 'c/config.yaml': 'tools:\n  - name: bash\n    timout: 5\n    shell: /bin/sh\n    max_ouput: 10\n' });
    const def = loadCreature(join(root, 'c'), { env });
    expect(def.warnings).toEqual([
      expect.objectContaining({ message: "key 'tools[0].timout' is not a tool setting and is passed to the tool as an option (did you mean: timeout?)", line: 3 }),
      expect.objectContaining({ message: "key 'tools[0].max_ouput' is not a tool setting and is passed to the tool as an option (did you mean: max_output?)", line: 5 }),
    ]);
    expect(def.tools[0]!.timeoutMs).toBeUndefined();
  });

  it('in llm_profiles.yaml, for grouped and flat presets and for backends', () => {
    const home = configHome({
      'llm_profiles.yaml': [
        'backends:',
        '  local: { backend_type: openai, base_url: "http://127.0.0.1:1/v1", api_key_envv: K }',
        'presets:',
        '  local:',
        '    small: { model: m, max_contex: 1000 }',
        '  flat: { model: m2, provider: local, temprature: 0.1 }',
        'default_modle: local/small',
      ].join('\n'),
    });
    const profiles = readUserProfiles(home);
    expect(profiles.warnings.map((w) => [w.message, w.line])).toEqual([
      ["unknown key 'backends.local.api_key_envv' is ignored (did you mean: api_key_env?)", 2],
      ["unknown key 'presets.local.small.max_contex' is ignored (did you mean: max_context?)", 5],
      ["unknown key 'presets.flat.temprature' is ignored (did you mean: temperature?)", 6],
      ["unknown key 'default_modle' is ignored (did you mean: default_model?)", 7],
    ]);
    expect(profiles.presets.map((p) => `${p.provider}/${p.name}`)).toEqual(['local/small', 'local/flat']);
  });
});

describe('every problem of a file is listed', () => {
  it('"(and N more problems)" names each one with its line and key', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\ncontroller:\n  temperature: hot\ntermination:\n  max_turns: many\nmax_subagent_depth: -1\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error).toMatchObject({ line: 3, keyPath: ['controller', 'temperature'] });
    expect(error.message).toBe(
      `${join(root, 'c', 'config.yaml')}:3 key 'controller.temperature': expected number, got the string "hot" (and 2 more problems: ` +
        "line 5 key 'termination.max_turns': expected number, got the string \"many\"; line 6 key 'max_subagent_depth': Too small: expected number to be >=0)",
    );
  });
});
