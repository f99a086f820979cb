/**
 * RequestHeaders against Node's own Headers: the same random operations on
 * both must give the same entries, answers and errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestHeaders } from '../../../source/engine/llm/request-headers.js';

const names = fc.constantFrom('Content-Type', 'content-type', 'X-Stainless-Lang', 'authorization', 'Authorization', 'set-cookie', 'Set-Cookie', 'accept', 'x-a', 'X-B', 'bad name', 'bad:name', '');
const values = fc.constantFrom('application/json', '  padded\t', 'a, b', 'Bearer sk-1', '', 'x\ny', 'nul\0', ' \r\n', 'c=1; Path=/', 'ünï', 'euro €');
const operation = fc.oneof(
  fc.tuple(fc.constant('append' as const), fc.oneof(names, fc.string({ maxLength: 4 })), fc.oneof(values, fc.string({ maxLength: 6, unit: 'binary' }))),
  fc.tuple(fc.constant('set' as const), names, values),
  fc.tuple(fc.constant('delete' as const), names, fc.constant('')),
);

type Like = { append(n: string, v: string): void; set(n: string, v: string): void; delete(n: string): void; get(n: string): string | null; has(n: string): boolean; getSetCookie(): string[] } & Iterable<[string, string]>;

function apply(headers: Like, [op, name, value]: ['append' | 'set' | 'delete', string, string]): string {
  try {
    if (op === 'delete') headers.delete(name);
    else headers[op](name, value);
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

function answers(headers: Like): unknown {
  const probe = (fn: () => unknown) => {
    try {
      return fn();
    } catch (error) {
      return (error as Error).name;
    }
  };
  return {
    entries: [...headers],
    get: ['content-type', 'Set-Cookie', 'x-a', 'bad name'].map((name) => probe(() => headers.get(name))),
    has: ['AUTHORIZATION', 'x-b', ''].map((name) => probe(() => headers.has(name))),
    cookies: headers.getSetCookie(),
  };
}

describe('RequestHeaders', () => {
  it('behaves as Node’s Headers for any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 25 }), (operations) => {
        const ours = new RequestHeaders() as unknown as Like;
        const native = new Headers() as unknown as Like;
        for (const op of operations) expect(apply(ours, op)).toBe(apply(native, op));
        expect(answers(ours)).toEqual(answers(native));
      }),
      { seed: 20261207, numRuns: 400 },
    );
  });

  it('takes the same initial values as Headers (pairs, records, another instance)', () => {
    const pairs: Array<[string, string]> = [['B', '2'], ['a', ' 1 '], ['b', '3']];
    const record = { Accept: 'text/plain', 'X-Z': 'z' };
    expect([...new RequestHeaders(pairs)]).toEqual([...new Headers(pairs)]);
    expect([...new RequestHeaders(record)]).toEqual([...new Headers(record)]);
    expect([...new RequestHeaders(new RequestHeaders(pairs))]).toEqual([...new Headers(new Headers(pairs))]);
    expect(() => new RequestHeaders([['only-name']] as unknown as Array<[string, string]>)).toThrow(TypeError);
  });

  it('is taken by the global fetch machinery as a Headers init', () => {
    const ours = new RequestHeaders({ Authorization: 'Bearer x', 'content-type': 'application/json' });
    expect([...new Headers(ours as unknown as HeadersInit)]).toEqual([...ours]);
    expect(Object.prototype.toString.call(ours)).toBe('[object Headers]');
    const seen: string[] = [];
    ours.forEach((value, name) => seen.push(`${name}=${value}`));
    expect(seen).toEqual(['authorization=Bearer x', 'content-type=application/json']);
  });
});
