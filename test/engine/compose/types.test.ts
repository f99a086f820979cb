/**
 * Types flow through every combinator: checked by the compiler (tsc runs
 * over test/), and the file runs as an ordinary test.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { fallback, par, retry, route, runnable, seq, timeout } from '../../../source/engine/compose/combinators.js';
import { AgentRunnable } from '../../../source/engine/compose/agents.js';
import type { Composable } from '../../../source/engine/compose/composable.js';
import type { ComposeResult, Settled } from '../../../source/engine/compose/types.js';
import type { Agent } from '../../../source/engine/creature/agent.js';
import type { UserContent } from '../../../source/engine/llm/messages.js';
import { TerrariumCreature } from '../../../source/engine/terrarium/member.js';

// Stand-ins, built but never run: only their types matter here.
const swe = { name: 'swe', run: () => Promise.reject(new Error('not run')) } as unknown as Agent;
const member = new TerrariumCreature(swe, 'member', false, undefined);
const writer = new AgentRunnable(swe);
const count = (text: string) => text.length;
const parse = async (text: string) => ({ ok: text === 'yes' });

describe('types', () => {
  it('a creature takes user content and gives text; functions keep their own types', () => {
    expectTypeOf(runnable(swe)).toEqualTypeOf<Composable<UserContent, string>>();
    expectTypeOf(runnable(member)).toEqualTypeOf<Composable<UserContent, string>>();
    expectTypeOf(runnable(parse)).toEqualTypeOf<Composable<string, { ok: boolean }>>();
    expectTypeOf(writer).toMatchTypeOf<Composable<UserContent, string>>();
  });

  it('pipe and seq follow the chain; a lambda parameter is typed from the step before', () => {
    expectTypeOf(writer.pipe(count)).toEqualTypeOf<Composable<UserContent, number>>();
    expectTypeOf(writer.pipe(swe).pipe(parse)).toEqualTypeOf<Composable<UserContent, { ok: boolean }>>();
    expectTypeOf(writer.pipe((t) => t.toUpperCase())).toEqualTypeOf<Composable<UserContent, string>>();
    expectTypeOf(seq(swe, count)).toEqualTypeOf<Composable<UserContent, number>>();
    expectTypeOf(seq(swe, (t) => t.split(' '), (words) => words.length)).toEqualTypeOf<Composable<UserContent, number>>();
    // @ts-expect-error a number is not something a creature can read
    seq(count, swe);
    // @ts-expect-error count wants a string
    runnable((n: number) => n + 1).pipe(count);
  });

  it('map gives the mapped type; contramap changes the input type', () => {
    expectTypeOf(writer.map((t) => t.length > 3)).toEqualTypeOf<Composable<UserContent, boolean>>();
    expectTypeOf(writer.map(async (t) => [t])).toEqualTypeOf<Composable<UserContent, string[]>>();
    expectTypeOf(writer.contramap((n: number) => `task ${n}`)).toEqualTypeOf<Composable<number, string>>();
    expectTypeOf(writer.failsWhen((t) => t === '')).toEqualTypeOf<Composable<UserContent, string>>();
  });

  it('par gives a tuple; settle gives a tuple of outcomes; and() a pair', () => {
    expectTypeOf(par(swe, count, parse)).toEqualTypeOf<Composable<UserContent, [string, number, { ok: boolean }]>>();
    expectTypeOf(par([swe, count], { settle: true })).toEqualTypeOf<Composable<UserContent, [Settled<string>, Settled<number>]>>();
    const size = (input: UserContent) => input.length;
    expectTypeOf(writer.and(size)).toEqualTypeOf<Composable<UserContent, [string, number]>>();
    // Both get the same input, so it must suit both: user content and a string make a string.
    expectTypeOf(writer.and(count)).toMatchTypeOf<Composable<string, [string, number]>>();
    // A composition that takes user content is usable where one taking a string is wanted (inputs are contravariant).
    expectTypeOf(writer).toMatchTypeOf<Composable<string, string>>();
    expectTypeOf(runnable((t: string) => t.trim()).pipe(writer)).toEqualTypeOf<Composable<string, string>>();
    // @ts-expect-error a number is not something a creature can read
    runnable(count).pipe(writer);
    expectTypeOf(seq(count, (n) => `${n} words`, writer)).toEqualTypeOf<Composable<string, string>>();
    expectTypeOf(writer.and(swe)).toEqualTypeOf<Composable<UserContent, [string, string]>>();
  });

  it('fallback, or, retry, timeout and route give the union of what may come out', () => {
    expectTypeOf(fallback(parse, count)).toEqualTypeOf<Composable<string, { ok: boolean } | number>>();
    expectTypeOf(retry(swe, 2).or(member)).toEqualTypeOf<Composable<UserContent, string>>();
    expectTypeOf(runnable(parse).or(count)).toEqualTypeOf<Composable<string, { ok: boolean } | number>>();
    expectTypeOf(timeout(parse, 10)).toEqualTypeOf<Composable<string, { ok: boolean }>>();
    expectTypeOf(route((t: string) => t, { a: count, b: parse })).toEqualTypeOf<Composable<string, number | { ok: boolean }>>();
  });

  it('run, iterate and runStream carry the output type', () => {
    expectTypeOf(writer.pipe(count).run).returns.toEqualTypeOf<Promise<ComposeResult<number>>>();
    expectTypeOf(writer.pipe(swe).iterate('task')).toMatchTypeOf<AsyncIterable<string>>();
    expectTypeOf(writer.pipe(count).runStream('x').result).toEqualTypeOf<Promise<ComposeResult<number>>>();
  });
});
