/**
 * `kt login` on a real terminal: the key is typed at a prompt that does not
 * echo it, and is stored. tmux plays the user.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTmux, TmuxSession } from '../helpers/tmux.js';
import { assertBuilt, baseEnv, ktBin } from './helpers.js';

let session: TmuxSession | undefined;
beforeAll(() => {
  assertBuilt();
  requireTmux();
});
afterEach(() => session?.close());

describe('kt login on a terminal', () => {
  it('asks for the key without echoing it, then stores it', async () => {
    const env = baseEnv({ TERM: 'xterm-256color' });
    session = new TmuxSession(`${process.execPath} ${ktBin} login anthropic`, env);
    await session.waitFor(/API key for anthropic \(ANTHROPIC_API_KEY\):/);
    session.type('sk-ant-typed-secret-9876', true);
    const screen = await session.waitFor(/Saved the key for anthropic \(sk-a…9876\)/);
    expect(screen).not.toContain('typed-secret');
    expect(JSON.parse(readFileSync(join(env.KT_CONFIG_DIR!, 'api_keys.json'), 'utf8'))).toEqual({ anthropic: 'sk-ant-typed-secret-9876' });
  });
});
