import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tool } from '../../../source/engine/tools/define.js';
import { lazySchema } from '../../../source/engine/tools/lazy-schema.js';

describe('lazySchema()', () => {
  it('builds nothing until a call is validated when the JSON Schema is known', () => {
    let builds = 0;
    const input = lazySchema(
      () => {
        builds++;
        return z.object({ n: z.number().int().min(1) });
      },
      () => ({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] }),
    );
    const double = tool({ name: 'double', description: 'Double a number.', input, execute: ({ n }) => String(n * 2) });
    expect(builds).toBe(0);
    expect(double.parameters).toEqual({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] });
    expect(Object.isFrozen(double.parameters)).toBe(true);
    expect(double.parse({ n: 0 }).ok).toBe(false);
    expect(double.parse({ n: 2 })).toEqual({ ok: true, value: { n: 2 } });
    expect(builds).toBe(1);
  });

  it('converts the built schema when no JSON Schema is given, as for an ordinary one', () => {
    const plain = z.object({ text: z.string().describe('what to say') });
    const eager = tool({ name: 'say', description: 'Say.', input: plain, execute: ({ text }) => text });
    const deferred = tool({ name: 'say', description: 'Say.', input: lazySchema(() => z.object({ text: z.string().describe('what to say') })), execute: ({ text }) => text });
    expect(deferred.parameters).toEqual(eager.parameters);
  });

  it('reads like the schema it stands for', () => {
    const input = lazySchema(() => z.object({ a: z.string() }));
    expect(input instanceof z.ZodObject).toBe(true);
    expect(Object.keys(input.shape)).toEqual(['a']);
    expect(input.safeParse({ a: 'x' }).success).toBe(true);
  });
});
