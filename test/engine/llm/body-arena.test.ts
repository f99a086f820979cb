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
