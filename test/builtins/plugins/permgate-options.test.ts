/**
 * permgate's quick options check (what kt passes on every run, judged
 * without building the zod schema) must answer exactly as the schema does,
 * and leave everything else to it.
 */
import { describe, expect, it } from 'vitest';
import { permgatePlugin, quickOptions } from '../../../source/builtins/plugins/permgate.js';
import { pluginOptions } from '../../../source/engine/plugins/load.js';

const schema = permgatePlugin.options!;

describe('permgate quickOptions', () => {
  const accepted: unknown[] = [
    { mode: 'default', allow: [] },
    { mode: 'yolo', allow: ['bash', 'read*'] },
    { mode: 'plan' },
    { mode: 'auto-edit', allow: ['edit'] },
  ];
  it.each(accepted)('answers %j as the schema does, key order included', (input) => {
    const quick = quickOptions(input);
    expect(quick).toBeDefined();
    expect(JSON.stringify(quick!.data)).toBe(JSON.stringify(schema.parse(input)));
  });

  const leftToSchema: unknown[] = [
    {},
    { allow: [] },
    { mode: 'sometimes', allow: [] },
    { mode: 'default', allow: [''] },
    { mode: 'default', allow: 'bash' },
    { mode: 'default', allow: [], tools: 'all' },
    { mode: 'default', whitelist: ['x'] },
    { mode: 'default', auto_approve_pattern: '(' },
    null,
    [],
    'default',
  ];
  it.each(leftToSchema)('leaves %j to the schema', (input) => {
    expect(quickOptions(input)).toBeUndefined();
  });

  it('goes through pluginOptions: quick inputs parse, others get the schema (and its errors)', () => {
    expect(pluginOptions({ definition: permgatePlugin, options: { mode: 'yolo', allow: ['bash'] } })).toEqual({ mode: 'yolo', tools: 'effects', allow: ['bash'], whitelist: [] });
    expect(pluginOptions({ definition: permgatePlugin, options: {} })).toEqual(schema.parse({}));
    expect(() => pluginOptions({ definition: permgatePlugin, options: { mode: 'sometimes' } })).toThrow(/plugin 'permgate'/);
    expect(() => pluginOptions({ definition: permgatePlugin, options: { mode: 'default', auto_approve_pattern: '(' } })).toThrow(/not a valid regular expression/);
  });

  it('does not share the caller’s allow list', () => {
    const allow = ['bash'];
    const data = quickOptions({ mode: 'default', allow })!.data as { allow: string[] };
    expect(data.allow).toEqual(allow);
    expect(data.allow).not.toBe(allow);
  });
});
