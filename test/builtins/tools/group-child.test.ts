/**
 * The child process runner under `bash` and `python`: output bounded and
 * decoded once, a process group that a tree kill ends down to grandchildren,
 * and the child environment computed once per environment object.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashTool } from '../../../source/builtins/tools/bash.js';
import { startGroupChild, withoutFinalNewline } from '../../../source/builtins/tools/group-child.js';
import { definedEnv, killGroup } from '../../../source/builtins/tools/process-tree.js';
import { expectKilled, waitForFile } from '../../helpers/processes.js';
import { call, makeContext, result, tempDir } from './context.js';

const env = definedEnv({ PATH: process.env['PATH'] });
const sh = (script: string) => ({ file: '/bin/sh', args: ['-c', script], env });

describe('startGroupChild', () => {
  it('keeps at most maxBytes of output and says once that there was more', async () => {
    let overflows = 0;
    const child = startGroupChild(sh('head -c 300000 /dev/zero | tr "\\0" x'), { cwd: await tempDir(), maxBytes: 100_000, onOverflow: () => overflows++ });
    const done = await child.done;
    expect(done.overflowed).toBe(true);
    expect(done.output).toBe('x'.repeat(100_000));
    expect(overflows).toBe(1);
  });

  it('decodes characters split across pipe reads', async () => {
    // 2-byte characters over several 64 KiB pipe reads: some reads end in the middle of one.
    const child = startGroupChild(sh(`i=0; while [ $i -lt 40 ]; do printf '${'é'.repeat(5000)}'; i=$((i+1)); done`), { cwd: await tempDir(), maxBytes: 1 << 20, onOverflow: () => undefined });
    const done = await child.done;
    expect(done.output).toBe('é'.repeat(200_000));
    expect(done).toMatchObject({ exitCode: 0, overflowed: false });
  });

  it('merges stderr into the output and reports exit code and signal', async () => {
    const cwd = await tempDir();
    const failed = await startGroupChild(sh('echo out; echo err >&2; exit 4'), { cwd, maxBytes: 1024, onOverflow: () => undefined }).done;
    expect(failed.output.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(failed.exitCode).toBe(4);
    const killed = await startGroupChild(sh('kill -TERM $$'), { cwd, maxBytes: 1024, onOverflow: () => undefined }).done;
    expect(killed).toMatchObject({ exitCode: undefined, signal: 'SIGTERM' });
  });

  it('feeds input on stdin, then closes it', async () => {
    const done = await startGroupChild(sh('cat; echo end'), { cwd: await tempDir(), input: 'from stdin\n', maxBytes: 1024, onOverflow: () => undefined }).done;
    expect(done.output).toBe('from stdin\nend\n');
  });

  it('reports a program that cannot start instead of throwing', async () => {
    const child = startGroupChild({ file: '/no/such/program', args: [], env }, { cwd: await tempDir(), maxBytes: 1024, onOverflow: () => undefined });
    expect(child.pid).toBeUndefined();
    const done = await child.done;
    expect(done.startError?.message).toMatch(/ENOENT/);
  });

  it('runs in its own process group, which killGroup ends down to the grandchildren', async () => {
    const cwd = await tempDir();
    // The shell starts a shell that starts a sleep: three generations, each writing its pid.
    const script = `echo $$ > shell.pid; sh -c 'sleep 60 & echo $! > grandchild.pid; wait' & echo $! > child.pid; wait`;
    const child = startGroupChild(sh(script), { cwd, maxBytes: 1024, onOverflow: () => undefined });
    const pids = await Promise.all(['shell', 'child', 'grandchild'].map(async (name) => Number(await waitForFile(path.join(cwd, `${name}.pid`)))));
    expect(pids[0]).toBe(child.pid);
    await killGroup(child.pid!);
    const done = await child.done;
    expect(done.signal).toBe('SIGTERM');
    for (const pid of pids) await expectKilled(pid);
  });
});

describe('bash tree kill', () => {
  it('an interrupt ends the grandchildren of the command too', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const ctx = makeContext({ cwd: dir, signal: controller.signal });
    const command = `sh -c 'sleep 60 & echo $! > grandchild.pid; wait' & echo $! > child.pid; echo started; wait`;
    const running = call(bashTool, { command }, ctx);
    const pids = await Promise.all(['child', 'grandchild'].map(async (name) => Number(await waitForFile(path.join(dir, `${name}.pid`)))));
    controller.abort(new Error('interrupted'));
    expect(result(await running).text).toBe('started');
    for (const pid of pids) await expectKilled(pid);
  });
});

describe('definedEnv', () => {
  it('leaves out unset keys and is computed once per environment object', () => {
    const source = { PATH: '/bin', UNSET: undefined };
    const first = definedEnv(source);
    expect(first).toEqual({ PATH: '/bin' });
    expect(definedEnv(source)).toBe(first);
    expect(definedEnv({ ...source })).not.toBe(first);
  });
});

describe('withoutFinalNewline', () => {
  it('drops one line end, as the model reads the output', () => {
    expect(withoutFinalNewline('a\n\n')).toBe('a\n');
    expect(withoutFinalNewline('a\r\n')).toBe('a');
    expect(withoutFinalNewline('a')).toBe('a');
  });
});
