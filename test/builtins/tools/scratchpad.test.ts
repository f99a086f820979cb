import { describe, expect, it } from 'vitest';
import { MAX_KEY_CHARS, MAX_VALUE_BYTES, scratchpadTool } from '../../../source/builtins/tools/scratchpad.js';
import { scratchpadOf } from '../../../source/engine/creature/scratchpad.js';
import { call, makeContext, result } from './context.js';

const pad = (args: Record<string, unknown>, ctx = makeContext()) => call(scratchpadTool, args, ctx).then((out) => result(out).text);

describe('scratchpad', () => {
  it('sets, gets, replaces, lists and deletes notes in the creature scratchpad', async () => {
    const ctx = makeContext();
    expect(await pad({ action: 'list' }, ctx)).toBe('The scratchpad is empty.');
    expect(await pad({ action: 'set', key: 'plan', value: 'step 1\nstep 2' }, ctx)).toBe('Saved note "plan" (13 characters).');
    expect(await pad({ action: 'get', key: 'plan' }, ctx)).toBe('step 1\nstep 2');
    expect(await pad({ action: 'set', key: 'plan', value: 'step 3' }, ctx)).toBe('Replaced note "plan" (6 characters).');
    await pad({ action: 'set', key: 'path', value: '/tmp/out.txt' }, ctx);
    expect(await pad({ action: 'list' }, ctx)).toBe('2 notes:\n- plan: step 3 (6 chars)\n- path: /tmp/out.txt (12 chars)');
    // The same map the session store saves.
    expect(scratchpadOf(ctx.session).get('path')).toBe('/tmp/out.txt');
    expect(await pad({ action: 'delete', key: 'plan' }, ctx)).toBe('Deleted note "plan".');
    expect([...scratchpadOf(ctx.session).keys()]).toEqual(['path']);
  });

  it('sees notes other code put in the scratchpad (restored sessions)', async () => {
    const ctx = makeContext();
    scratchpadOf(ctx.session).set('restored', 'from the session file');
    expect(await pad({ action: 'get', key: 'restored' }, ctx)).toBe('from the session file');
  });

  it('keeps unicode keys and values intact and counts characters, not bytes', async () => {
    const ctx = makeContext();
    expect(await pad({ action: 'set', key: '計画 🌱', value: 'テラリウム 🪴 ñ' }, ctx)).toBe('Saved note "計画 🌱" (9 characters).');
    expect(await pad({ action: 'get', key: '計画 🌱' }, ctx)).toBe('テラリウム 🪴 ñ');
    expect(await pad({ action: 'list' }, ctx)).toBe('1 note:\n- 計画 🌱: テラリウム 🪴 ñ (9 chars)');
  });

  it('shows short previews in list', async () => {
    const ctx = makeContext();
    await pad({ action: 'set', key: 'long', value: `${'word '.repeat(40)}\n\nend` }, ctx);
    const listed = await pad({ action: 'list' }, ctx);
    expect(listed).toMatch(/^1 note:\n- long: (word ){15}word…/);
    expect(listed.length).toBeLessThan(140);
  });

  it('errors on a missing key with a suggestion, and deletes idempotently', async () => {
    const ctx = makeContext();
    await expect(pad({ action: 'get', key: 'x' }, ctx)).rejects.toThrow('no note named "x" (the scratchpad is empty)');
    await pad({ action: 'set', key: 'findings', value: 'a' }, ctx);
    await expect(pad({ action: 'get', key: 'finding' }, ctx)).rejects.toThrow('no note named "finding" (did you mean: findings?)');
    await expect(pad({ action: 'get', key: 'zzz' }, ctx)).rejects.toThrow('no note named "zzz" (keys: findings)');
    const out = await call(scratchpadTool, { action: 'delete', key: 'nope' }, ctx);
    expect(result(out).isError).toBe(false);
    expect(result(out).text).toMatch(/^There is no note named "nope"; nothing was deleted\./);
  });

  it('enforces the key and value limits', async () => {
    const ctx = makeContext();
    const longKey = '鍵'.repeat(MAX_KEY_CHARS + 1);
    await expect(pad({ action: 'set', key: longKey, value: 'v' }, ctx)).rejects.toThrow(`the key is ${MAX_KEY_CHARS + 1} characters; keys are at most ${MAX_KEY_CHARS}`);
    expect(await pad({ action: 'set', key: '鍵'.repeat(MAX_KEY_CHARS), value: 'v' }, ctx)).toMatch(/^Saved/);
    // 16 KB in UTF-8 bytes: 3-byte characters reach it sooner.
    const big = 'あ'.repeat(Math.floor(MAX_VALUE_BYTES / 3) + 1);
    await expect(pad({ action: 'set', key: 'big', value: big }, ctx)).rejects.toThrow(`the value is ${Buffer.byteLength(big)} bytes; a note holds at most ${MAX_VALUE_BYTES} bytes (16 KB)`);
    expect(await pad({ action: 'set', key: 'fits', value: 'x'.repeat(MAX_VALUE_BYTES) }, ctx)).toMatch(/^Saved/);
    expect(scratchpadOf(ctx.session).has('big')).toBe(false);
  });

  it('rejects bad arguments with clear errors', async () => {
    const ctx = makeContext();
    await expect(pad({ action: 'set', key: 'k' }, ctx)).rejects.toThrow('set needs a value');
    await expect(pad({ action: 'get' }, ctx)).rejects.toThrow("get needs a key (the note's name)");
    await expect(pad({ action: 'delete', key: '  ' }, ctx)).rejects.toThrow('delete needs a key');
    await expect(pad({ action: 'set', key: 'two\nlines', value: 'v' }, ctx)).rejects.toThrow(/keys are one line of text/);
    await expect(pad({ action: 'clear' }, ctx)).rejects.toThrow(/invalid arguments: action/);
    await expect(pad({ action: 'set', key: 'n', value: 42 }, ctx)).rejects.toThrow(/invalid arguments: value/);
  });
});
