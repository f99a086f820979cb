/**
 * One writer per session file: a second owner fails at once naming the
 * first; a lock left by a dead process is taken over; closing releases it;
 * readers and index writers never need it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SessionBusyError, SessionError } from '../../../source/engine/errors.js';
import { lockPathOf } from '../../../source/engine/session/lock.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const folder = () => mkdtempSync(join(tmpdir(), 'kt-lock-'));
const build = (session: string, extra: { newSession?: boolean } = {}) =>
  Agent.build({ name: 'keeper', system_prompt: 'Keep.' }, { llm: new ScriptedLLM([{ text: 'a' }, { text: 'b' }]), tools: [], catalog: new ToolCatalog(), pwd: tmpdir(), session, ...extra });

describe('session lock', () => {
  it('a second writer fails at once with SessionBusyError naming the owner; after close it may write', async () => {
    const path = join(folder(), 'keeper_x.kohakutr');
    const first = await build(path);
    await first.run('one');
    const second = build(path);
    await expect(second).rejects.toThrow(SessionBusyError);
    await expect(build(path)).rejects.toThrow(`session keeper_x is in use by process ${process.pid}`);
    // Readers and index writers do not need the lock.
    using reader = new SessionReader(path);
    expect(reader.turns()).toHaveLength(1);
    const indexer = SessionStore.open(path);
    indexer.close();
    await first.stop();
    expect(existsSync(lockPathOf(path))).toBe(false);
    const again = await build(path);
    await again.run('two');
    await again.stop();
    using after = new SessionReader(path);
    expect(after.turns().map((t) => t.userText)).toEqual(['one', 'two']);
  });

  it('a stale lock of a dead process is taken over', async () => {
    const path = join(folder(), 'stale.kohakutr');
    await (await build(path)).stop();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lockPathOf(path), JSON.stringify({ pid: dead, hostname: hostname(), since: 1, token: 'dead' }));
    const agent = await build(path);
    expect(JSON.parse(readFileSync(lockPathOf(path), 'utf8'))).toMatchObject({ pid: process.pid });
    await agent.stop();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('a live lock from another process refuses, and the session is left as it was', async () => {
    const path = join(folder(), 'held.kohakutr');
    await (await build(path)).stop();
    const before = readFileSync(path);
    // The parent of this process is alive and is not us.
    writeFileSync(lockPathOf(path), JSON.stringify({ pid: process.ppid, hostname: hostname(), since: 1, token: 'live' }));
    const error = await build(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionBusyError);
    expect(error).toMatchObject({ pid: process.ppid, code: 'SESSION_BUSY', message: `session held is in use by process ${process.ppid}` });
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(lockPathOf(path), 'utf8'))).toMatchObject({ token: 'live' });
  });

  it('a new session never reuses a taken name', async () => {
    const path = join(folder(), 'taken.kohakutr');
    await (await build(path)).stop();
    await expect(build(path, { newSession: true })).rejects.toThrow(SessionError);
    await expect(build(path, { newSession: true })).rejects.toThrow(/a session file already exists/);
  });
});
