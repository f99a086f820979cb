/**
 * framework_hint_overrides (alias framework_hints): named hint blocks that
 * a package and then the creature may replace or drop, and a warning with
 * file, key and line for a block name that does not exist.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCreature } from '../../../source/engine/config/loader.js';
import { formatHints } from '../../../source/engine/creature/knowledge.js';
import { BRACKET_FORMAT } from '../../../source/engine/parsing/format.js';
import { frameworkHints, nativeHints } from '../../../source/engine/parsing/hints.js';
import { configHome, tempTree } from '../../helpers/temp-tree.js';

const env = configHome();
const executor = { specs: () => [{ name: 'bash', description: 'Run a command.', parameters: { type: 'object', properties: { command: { type: 'string' } } } }] };
const bracket = () => frameworkHints(BRACKET_FORMAT, { toolNames: ['bash'], bodyArgs: { bash: 'command' } });

describe('framework hint blocks', () => {
  it('without overrides the hints are what they were', () => {
    expect(formatHints(undefined, executor)).toBe(nativeHints());
    expect(formatHints(BRACKET_FORMAT, executor)).toBe(bracket());
  });

  it('replaces the native execution block, drops it with an empty override, and adds an output block', () => {
    expect(formatHints(undefined, executor, { overrides: { 'framework.execution_model.native': 'Use the function tools.' } })).toBe('Use the function tools.');
    expect(formatHints(undefined, executor, { overrides: { 'framework.execution_model.native': '' } })).toBe('');
    expect(formatHints(undefined, executor, { overrides: { 'framework.output_model': 'Wait for results.' } })).toBe(`${nativeHints()}\n\nWait for results.`);
  });

  it('picks the text format block by skill_mode and replaces the output block', () => {
    const hints = bracket();
    const [execution] = hints.split('\n- Results arrive');
    expect(formatHints(BRACKET_FORMAT, executor, { overrides: { 'framework.output_model': 'Results come next turn.' } })).toBe(`${execution}\n\nResults come next turn.`);
    expect(formatHints(BRACKET_FORMAT, executor, { overrides: { 'framework.output_model': '' } })).toBe(execution);
    // The dynamic block is not the one in use under skill_mode: static.
    expect(formatHints(BRACKET_FORMAT, executor, { skillMode: 'static', overrides: { 'framework.execution_model.dynamic': 'X' } })).toBe(hints);
    expect(formatHints(BRACKET_FORMAT, executor, { skillMode: 'static', overrides: { 'framework.execution_model.static': 'Static rules.' } })).toMatch(/^Static rules\.\n\n- Results arrive/);
  });
});

describe('framework_hint_overrides in configs', () => {
  it('merges package hints, then base, then child; the alias works; null drops a block', () => {
    const home = configHome({
      'packages/tone/kohaku.yaml': "name: tone\nframework_hints:\n  framework.output_model: from the package\n  framework.execution_model.static: package static\n",
    });
    const root = tempTree({
      'base/config.yaml': 'name: base\nframework_hints:\n  framework.execution_model.native: from the base\n',
      'child/config.yaml': 'name: child\nbase_config: ../base\nframework_hint_overrides:\n  framework.output_model:\n',
    });
    const definition = loadCreature(join(root, 'child'), { env: home });
    expect(definition.warnings).toEqual([]);
    expect(definition.frameworkHintOverrides).toEqual({
      'framework.output_model': '',
      'framework.execution_model.static': 'package static',
      'framework.execution_model.native': 'from the base',
    });
    expect(formatHints(undefined, executor, { overrides: definition.frameworkHintOverrides })).toBe('from the base');
  });

  it('an unknown block key warns with the file, the key and the line', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\nframework_hint_overrides:\n  framework.output_modle: text\n' });
    const definition = loadCreature(join(root, 'c'), { env });
    expect(definition.warnings).toEqual([
      {
        message: expect.stringMatching(/^unknown framework hint block 'framework\.output_modle'.*did you mean: framework\.output_model/),
        file: join(root, 'c', 'config.yaml'),
        keyPath: ['framework_hint_overrides', 'framework.output_modle'],
        line: 3,
      },
    ]);
    expect(definition.frameworkHintOverrides).toEqual({});
  });

  it("an unknown key in a package's framework_hints warns with the manifest's file and line", () => {
    const home = configHome({ 'packages/odd/kohaku.yaml': 'name: odd\nframework_hints:\n  framework.nope: x\n' });
    const root = tempTree({ 'c/config.yaml': 'name: c\n' });
    const definition = loadCreature(join(root, 'c'), { env: home });
    expect(definition.warnings).toEqual([expect.objectContaining({ file: join(home.KT_CONFIG_DIR, 'packages', 'odd', 'kohaku.yaml'), line: 3 })]);
  });

  it('no longer reports the prompt keys as unsupported', () => {
    const root = tempTree({
      'c/config.yaml': 'name: c\nframework_hints: {}\nframework_hint_overrides: {}\nprompt_context_files: {}\n',
    });
    expect(loadCreature(join(root, 'c'), { env }).warnings).toEqual([]);
  });
});
