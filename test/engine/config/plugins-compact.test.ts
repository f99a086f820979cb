import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCreature } from '../../../source/engine/config/loader.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { configHome, tempTree } from '../../helpers/temp-tree.js';
import { thrown } from '../../helpers/thrown.js';

const env = configHome();

describe('plugins, default_plugins and compact in a creature config', () => {
  it('normalises bare names and mappings, keeps where each was written, and does not warn', () => {
    const root = tempTree({
      'c/config.yaml': [
        'plugins:',
        '  - budget',
        '  - name: guard',
        '    module: ./plugins/guard.js',
        '    class_name: guard',
        '    priority: 3',
        '    enabled: false',
        '    options: { limit: 2 }',
        'default_plugins: [auto-compact]',
        'compact: { threshold: 0.5, keep_recent_turns: 3, enabled: false, compact_model: openai/gpt-4o-mini }',
      ].join('\n'),
    });
    const def = loadCreature(join(root, 'c'), { env });
    expect(def.warnings).toEqual([]);
    expect(def.plugins[0]).toMatchObject({ name: 'budget', type: 'builtin', enabled: true, options: {} });
    expect(def.plugins[1]).toMatchObject({
      name: 'guard',
      type: 'custom',
      module: './plugins/guard.js',
      exportName: 'guard',
      priority: 3,
      enabled: false,
      options: { limit: 2 },
      folder: join(root, 'c'),
    });
    expect(def.plugins[1]?.origin).toMatchObject({ line: 3, keyPath: ['plugins', 1] });
    expect(def.defaultPlugins).toEqual(['auto-compact']);
    expect(def.compact).toEqual({ threshold: 0.5, keep_recent_turns: 3, enabled: false, compact_model: 'openai/gpt-4o-mini' });
  });

  it('merges plugins by name across base_config, the child replacing in place', () => {
    const root = tempTree({
      'base/config.yaml': 'plugins:\n  - name: budget\n    options: { turn_budget: [1, 2] }\n  - event_logger\n',
      'child/config.yaml': 'base_config: ../base\nplugins:\n  - name: budget\n    options: { turn_budget: [5, 9] }\n  - name: extra\n    module: ./x.js\n',
    });
    const def = loadCreature(join(root, 'child'), { env });
    expect(def.plugins.map((p) => [p.name, p.options])).toEqual([
      ['budget', { turn_budget: [5, 9] }],
      ['event_logger', {}],
      ['extra', {}],
    ]);
    expect(def.plugins[2]?.folder).toBe(join(root, 'child'));
  });

  it('rejects a bad compact value and a misspelled plugin key with file, line and key', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\ncompact:\n  threshold: 1.5\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error.message).toMatch(/config\.yaml:3 key 'compact\.threshold'/);
    const typo = tempTree({ 'c/config.yaml': 'plugins:\n  - name: budget\n    optoins: {}\n' });
    const def = loadCreature(join(typo, 'c'), { env });
    expect(def.warnings.map((w) => [w.line, w.message])).toEqual([[3, expect.stringContaining("unknown key 'plugins[0].optoins'")]]);
    expect(def.warnings[0]?.message).toContain('options');
  });
});
