import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UsageError } from '../../../source/engine/errors.js';
import { jsonSchemaOf, tool } from '../../../source/engine/tools/define.js';

describe('tool()', () => {
  const add = tool({
    name: 'add',
    description: 'Add two numbers.',
    input: z.object({ a: z.number().describe('first'), b: z.number().int().default(1) }),
    execute: ({ a, b }) => String(a + b),
  });

  it('derives the JSON schema once, input side, without $schema or safe-integer bounds', () => {
    expect(add.parameters).toEqual({
      type: 'object',
      properties: { a: { type: 'number', description: 'first' }, b: { type: 'integer', default: 1 } },
      required: ['a'],
    });
    expect(add.concurrency).toBe('parallel');
  });

  it('validates arguments and reports every problem with its path', () => {
    expect(add.parse({ a: 2 })).toEqual({ ok: true, value: { a: 2, b: 1 } });
    const bad = add.parse({ a: 'x', b: 1.5 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^invalid arguments: a: .*; b: /);
  });

  it('refuses bad names and non-schema inputs', () => {
    expect(() => tool({ name: 'has space', description: '', input: z.object({}), execute: () => '' })).toThrow(UsageError);
    expect(() => tool({ name: 'ok', description: '', input: {} as z.ZodType, execute: () => '' })).toThrow(/zod schema/);
  });

  it('keeps real integer bounds', () => {
    expect(jsonSchemaOf(z.object({ n: z.number().int().min(0).max(50) }))).toMatchObject({ properties: { n: { minimum: 0, maximum: 50 } } });
  });
});
