import { describe, expect, it } from 'vitest';
import { BodyArena } from '../../../source/engine/llm/body-arena.js';

const parts = (...texts: string[]) => texts.map((t) => Buffer.from(t));

describe('BodyArena', () => {
  it('joins the parts and reuses its buffer once the body is released', () => {
    const arena = new BodyArena();
    const first = arena.fill(parts('{"a":', '1}'));
    expect(first.bytes.toString()).toBe('{"a":1}');
    first.release();
    const second = arena.fill(parts('{"b":2}'));
    expect(second.bytes.toString()).toBe('{"b":2}');
    // The same memory, written over: the first request is done with it.
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
  });

  it('gives a body of its own to a request made while another still holds the arena', () => {
    const arena = new BodyArena();
    const held = arena.fill(parts('one'));
    const other = arena.fill(parts('two'));
    expect(other.bytes.buffer).not.toBe(held.bytes.buffer);
    expect([held.bytes.toString(), other.bytes.toString()]).toEqual(['one', 'two']);
    other.release();
    // Releasing the stray body does not free the arena under the one still out.
    expect(arena.fill(parts('three')).bytes.buffer).not.toBe(held.bytes.buffer);
    held.release();
    held.release();
    expect(arena.fill(parts('two')).bytes.buffer).toBe(held.bytes.buffer);
  });

  it('grows for a longer body and lends exactly the bytes written', () => {
    const arena = new BodyArena();
    arena.fill(parts('x'.repeat(10))).release();
    const long = arena.fill(parts('y'.repeat(100), 'z'));
    expect(long.bytes.length).toBe(101);
    expect(long.bytes.toString()).toBe(`${'y'.repeat(100)}z`);
  });
});

describe('BodyArena: the next body of a conversation', () => {
  it('writes only from the first part that differs (parts are compared as objects)', () => {
    const arena = new BodyArena();
    const [open, first, comma, second, close] = parts('[', '"one"', ',', '"two"', ']');
    arena.fill([open!, first!, close!]).release();
    // Changing a held part breaks the contract; here it shows the bytes in place were kept, not copied again.
    first!.write('"ONE"');
    const next = arena.fill([open!, first!, comma!, second!, close!]);
    expect(next.bytes.toString()).toBe('["one","two"]');
    next.release();
    // A new object at the same place is written, whatever it holds.
    expect(arena.fill([open!, Buffer.from('"one"'), close!]).bytes.toString()).toBe('["one"]');
  });

  it('keeps the bytes right when the body shrinks, changes in the middle, or outgrows the buffer', () => {
    const arena = new BodyArena();
    const [a, b, c] = parts('aaaa', 'bbbb', 'cccc');
    arena.fill([a!, b!, c!]).release();
    const shorter = arena.fill([a!, c!]);
    expect(shorter.bytes.toString()).toBe('aaaacccc');
    shorter.release();
    const long = Buffer.from('x'.repeat(1000));
    const grown = arena.fill([a!, c!, long]);
    expect(grown.bytes.toString()).toBe(`aaaacccc${'x'.repeat(1000)}`);
    grown.release();
    expect(arena.fill([a!, b!, long]).bytes.toString()).toBe(`aaaabbbb${'x'.repeat(1000)}`);
  });

  it('leaves its memory alone while a stray body is out, and goes on from what it holds', () => {
    const arena = new BodyArena();
    const [a, b] = parts('one', 'two');
    const held = arena.fill([a!]);
    expect(arena.fill([a!, b!]).bytes.toString()).toBe('onetwo');
    expect(held.bytes.toString()).toBe('one');
    held.release();
    expect(arena.fill([a!, b!]).bytes.toString()).toBe('onetwo');
  });
});
