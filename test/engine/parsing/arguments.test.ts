import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coerceArgs, coerceValue } from '../../../source/engine/parsing/coerce.js';
import { contentArgFor, looksLikeUnifiedDiff, toolArguments } from '../../../source/engine/parsing/content-arg.js';
import { jsonSchemaOf } from '../../../source/engine/tools/define.js';

// Schemas as the framework derives them from zod, so the rules are tested on real shapes.
const schema = jsonSchemaOf(
  z.object({
    count: z.number().int().optional(),
    ratio: z.number().optional(),
    flag: z.boolean().default(false),
    mode: z.enum(['fast', 'slow']).optional(),
    level: z.union([z.literal(1), z.literal(2)]).optional(),
    tags: z.array(z.string()).nullable().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    name: z.string().min(1),
    either: z.union([z.string(), z.number()]).optional(),
  }),
);

describe('coerceArgs', () => {
  it('converts by the property schema', () => {
    expect(
      coerceArgs(
        { count: ' 42 ', ratio: '0.5', flag: 'TRUE', mode: 'fast', level: '2', tags: '["a","b"]', options: '{"x":1}', name: '007', either: '12' },
        schema,
      ),
    ).toEqual({ count: 42, ratio: 0.5, flag: true, mode: 'fast', level: 2, tags: ['a', 'b'], options: { x: 1 }, name: '007', either: '12' });
  });

  it('leaves what does not fit as the string, for the tool to report', () => {
    expect(coerceArgs({ count: '4.5', ratio: 'lots', flag: 'yes', tags: 'a,b', options: '[1]', mode: 'medium' }, schema)).toEqual({
      count: '4.5',
      ratio: 'lots',
      flag: 'yes',
      tags: 'a,b',
      options: '[1]',
      mode: 'medium',
    });
    expect(coerceArgs({ count: '99999999999999999999' }, schema)).toEqual({ count: '99999999999999999999' });
    expect(coerceArgs({ ratio: '' }, schema)).toEqual({ ratio: '' });
  });

  it('converts null for nullable properties', () => {
    expect(coerceArgs({ tags: 'null' }, schema)).toEqual({ tags: null });
  });

  it('keeps unknown keys and schema-less arguments as strings', () => {
    expect(coerceArgs({ extra: '1', count: '1' }, schema)).toEqual({ extra: '1', count: 1 });
    expect(coerceArgs({ count: '1' }, undefined)).toEqual({ count: '1' });
    expect(coerceArgs({ count: '1' }, { type: 'object' })).toEqual({ count: '1' });
  });

  it('treats __proto__ as a plain key', () => {
    const out = coerceArgs(JSON.parse('{"__proto__":"x"}') as Record<string, string>, schema);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
  });

  it('reads type lists and oneOf', () => {
    expect(coerceValue('3', { type: ['integer', 'null'] })).toBe(3);
    expect(coerceValue('false', { oneOf: [{ type: 'boolean' }, { type: 'null' }] })).toBe(false);
    expect(coerceValue('3', {})).toBe('3');
  });
});

const tools = {
  bash: jsonSchemaOf(z.object({ command: z.string().min(1), timeout: z.number().default(120), description: z.string().optional() })),
  read: jsonSchemaOf(z.object({ path: z.string(), offset: z.number().int().optional() })),
  edit: jsonSchemaOf(z.object({ path: z.string(), old_string: z.string(), new_string: z.string() })),
  patch: jsonSchemaOf(z.object({ path: z.string(), diff: z.string() })),
  fetch: jsonSchemaOf(z.object({ url: z.string(), timeout: z.number().optional() })),
  jobs: jsonSchemaOf(z.object({})),
  write: jsonSchemaOf(z.object({ path: z.string(), content: z.string() })),
  custom_read: jsonSchemaOf(z.object({ file: z.string() })),
};

describe('contentArgFor', () => {
  it('uses the preferred name of a known tool when the schema has it', () => {
    expect(contentArgFor('bash', tools.bash)).toBe('command');
    expect(contentArgFor('read', tools.read)).toBe('path');
    expect(contentArgFor('write', tools.write)).toBe('content');
    expect(contentArgFor('read_job', undefined)).toBe('job_id');
    expect(contentArgFor('send_message', { type: 'object' })).toBe('message');
  });

  it('falls back when the schema does not declare the preferred name', () => {
    expect(contentArgFor('read', tools.custom_read)).toBe('file');
  });

  it('sends a sub-agent body to task', () => {
    expect(contentArgFor('researcher', undefined, { subAgent: true })).toBe('task');
    expect(contentArgFor('researcher', { type: 'object', properties: { task: { type: 'string' } } }, { subAgent: true })).toBe('task');
  });

  it('maps edit to diff only for a unified diff the schema accepts', () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b';
    expect(contentArgFor('edit', tools.patch, { body: diff })).toBe('diff');
    expect(contentArgFor('edit', tools.patch, { body: 'just text' })).toBe('content');
    expect(contentArgFor('edit', tools.edit, { body: diff })).toBe('content');
    // The builtin's shape: path required, diff one optional way among others.
    const builtin = jsonSchemaOf(z.object({ path: z.string(), old_string: z.string().optional(), new_string: z.string().optional(), diff: z.string().optional() }));
    expect(contentArgFor('edit', builtin, { body: '@@ -2 +2 @@\n-a\n+b' })).toBe('diff');
    expect(contentArgFor('edit', builtin, { body: 'a' })).toBe('path');
    expect(looksLikeUnifiedDiff('@@ -1,3 +1,4 @@\n x')).toBe(true);
    expect(looksLikeUnifiedDiff('@@path=x')).toBe(false);
  });

  it('otherwise takes the only required string, else content', () => {
    expect(contentArgFor('fetch', tools.fetch)).toBe('url');
    expect(contentArgFor('multi', tools.edit)).toBe('content');
    expect(contentArgFor('jobs', tools.jobs)).toBe('content');
    expect(contentArgFor('anything', undefined)).toBe('content');
  });
});

describe('toolArguments', () => {
  it('coerces named arguments and puts the body under the content argument', () => {
    expect(toolArguments({ name: 'bash', args: { timeout: '30' }, content: 'ls -la' }, tools.bash)).toEqual({ timeout: 30, command: 'ls -la' });
  });

  it('lets a named argument win over the body', () => {
    expect(toolArguments({ name: 'read', args: { path: 'a' }, content: 'b' }, tools.read)).toEqual({ path: 'a' });
  });

  it('drops an empty body the schema has no place for, keeps one it has', () => {
    expect(toolArguments({ name: 'jobs', args: {}, content: '' }, tools.jobs)).toEqual({});
    expect(toolArguments({ name: 'write', args: { path: 'a' }, content: '' }, tools.write)).toEqual({ path: 'a', content: '' });
    expect(toolArguments({ name: 'read', args: { path: 'a' } }, tools.read)).toEqual({ path: 'a' });
  });

  it('coerces the body by its property schema', () => {
    const schema = jsonSchemaOf(z.object({ job_id: z.number().int() }));
    expect(toolArguments({ name: 'read_job', args: {}, content: '5\n' }, schema)).toEqual({ job_id: 5 });
  });
});
