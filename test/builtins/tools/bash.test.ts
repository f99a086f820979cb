import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashTool } from '../../../source/builtins/tools/bash.js';
import { Executor } from '../../../source/engine/creature/executor.js';
import { expectKilled, waitForFile } from '../../helpers/processes.js';
import { until } from '../../helpers/until.js';
import { call, makeContext, result, tempDir } from './context.js';


/**
 * Starts a background sleep, records its pid, and waits on it. It outlives the test's timeout, so a call
 * that returns at all was cut short: no test here measures how long anything took.
 */
const SLEEPER = 'sleep 30 & echo $! > sleep.pid; echo started; wait';

describe('bash', () => {
  it('is exclusive and describes its parameters', () => {
    const tool = bashTool.create({});
    expect(tool.concurrency).toBe('exclusive');
    expect(Object.keys((tool.parameters as { properties: object }).properties)).toEqual(['command', 'type', 'timeout', 'description']);
    expect(tool.parse({ command: 'ls', timeout: 601 }).ok).toBe(false);
    expect(tool.parse({ command: '' }).ok).toBe(false);
    expect(tool.parse({ command: 'ls', type: 'cmd' }).ok).toBe(false);
    expect(tool.doc).toMatch(/not limited to the working directory/);
  });

  it('merges stdout and stderr in the order they were written', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    const out = result(await call(bashTool, { command: 'echo one; echo two >&2; echo three; echo four >&2; echo five' }, ctx));
    expect(out).toEqual({ text: 'one\ntwo\nthree\nfour\nfive', isError: false });
  });

  it('reports output as it arrives, for the UI, while the command still runs', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    // The command goes on only once the test has seen its first line reported.
    const running = call(bashTool, { command: 'echo first; while [ ! -e go ]; do sleep 0.02; done; echo second' }, ctx);
    await until(() => ctx.progress.length > 0, 'the first line to be reported');
    await writeFile(path.join(dir, 'go'), '');
    const out = await running;
    expect(out).toBe('first\nsecond');
    expect(ctx.progress.map((p) => p.text).join('')).toBe('first\nsecond\n');
    expect(ctx.progress[0]!.text).toBe('first\n'); // sent before the command ended
  });

  it('says so when there is no output', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    expect(await call(bashTool, { command: 'true' }, ctx)).toBe('(no output)');
  });

  it('keeps the output of a failing command and adds the exit code', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    const out = result(await call(bashTool, { command: 'echo partial; echo oops >&2; exit 3' }, ctx));
    expect(out).toEqual({ text: 'partial\noops\n[exit code 3]', isError: true });
  });

  it('runs in ctx.cwd with exactly ctx.env', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir, env: { PATH: process.env['PATH'], KT_TEST_VALUE: 'from-context' } });
    const out = result(await call(bashTool, { command: 'pwd; echo "$KT_TEST_VALUE"; echo "[${HOME-unset}]"' }, ctx));
    expect(out.text).toBe(`${dir}\nfrom-context\n[unset]`);
  });

  it('closes stdin so commands waiting for input do not hang', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    const out = result(await call(bashTool, { command: 'read line; echo "read exit $?"; cat' }, ctx));
    expect(out.text).toBe('read exit 1');
  });

  it('kills the whole process tree on timeout and returns the partial output', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    const out = result(await call(bashTool, { command: SLEEPER, timeout: 1 }, ctx));
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^started\n\[timed out after 1s; the command and every process it started were killed\]$/);
    const pid = Number(await readFile(path.join(dir, 'sleep.pid'), 'utf8'));
    await expectKilled(pid);
  });

  it('kills the whole process tree when the signal aborts', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const ctx = makeContext({ cwd: dir, signal: controller.signal });
    const running = call(bashTool, { command: SLEEPER }, ctx);
    const pid = Number(await waitForFile(path.join(dir, 'sleep.pid')));
    controller.abort(new Error('interrupted'));
    const out = result(await running);
    expect(out.text).toBe('started');
    await expectKilled(pid);
  });

  it('stops the tree when the executor times the call out, keeping the partial output', async () => {
    const dir = await tempDir();
    const executor = new Executor([{ tool: bashTool.create({}), timeoutMs: 800 }], {
      cwd: dir,
      creature: 'tester',
      session: { id: 's', state: new Map() },
      env: { ...process.env },
    });
    const call = { id: 'c1', name: 'bash', arguments: JSON.stringify({ command: SLEEPER }) };
    const outcome = await executor.execute(call, 0, new AbortController().signal, () => undefined);
    expect(outcome.status).toBe('timeout');
    expect(outcome.output).toMatch(/^started\nError: tool 'bash' timed out after 0\.8s/);
    await expectKilled(Number(await readFile(path.join(dir, 'sleep.pid'), 'utf8')));
  });

  it('escalates to SIGKILL for processes that ignore SIGTERM', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    const command = `bash -c 'trap "" TERM; echo $$ > stubborn.pid; while :; do sleep 0.1; done' & wait`;
    const out = result(await call(bashTool, { command, timeout: 1 }, ctx));
    expect(out.isError).toBe(true);
    const pid = Number(await readFile(path.join(dir, 'stubborn.pid'), 'utf8'));
    await expectKilled(pid);
  });

  it('stops background jobs that keep the output open after the command ends', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    const out = result(await call(bashTool, { command: 'sleep 30 & echo $! > sleep.pid; echo done' }, ctx));
    expect(out.text).toMatch(/^done\n\[background processes kept the output open/);
    const pid = Number(await readFile(path.join(dir, 'sleep.pid'), 'utf8'));
    await expectKilled(pid);
  });

  it('returns even when a process that left the group keeps the output open', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    const out = result(await call(bashTool, { command: 'setsid sleep 30 & echo $! > sleep.pid; echo done' }, ctx));
    expect(out.text).toMatch(/^done\n\[background processes kept the output open/);
    // Out of reach of the group kill by design; clean it up here.
    process.kill(Number(await readFile(path.join(dir, 'sleep.pid'), 'utf8')), 'SIGKILL');
  });

  it('leaves background jobs alone when their output is redirected', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    const out = result(await call(bashTool, { command: 'sleep 30 > /dev/null 2>&1 & echo $! > sleep.pid; echo done' }, ctx));
    expect(out).toEqual({ text: 'done', isError: false });
    const pid = Number(await readFile(path.join(dir, 'sleep.pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).not.toThrow();
    process.kill(pid, 'SIGKILL');
  });

  it('refuses polling sleeps but not background sleeps', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    for (const command of ['sleep 10', '  sleep 5 && cat log', 'sleep 2; ls']) {
      const out = result(await call(bashTool, { command }, ctx));
      expect(out.isError).toBe(true);
      expect(out.text).toMatch(/do not use sleep to wait.*arrive on their own.*timeout/s);
    }
    expect(result(await call(bashTool, { command: 'sleep 0.1 & wait; echo waited' }, ctx)).text).toBe('waited');
  });

  it('uses the configured shell, then KT_SHELL_PATH', async () => {
    const ctx = makeContext({ cwd: await tempDir(), env: { PATH: process.env['PATH'], KT_SHELL_PATH: '/bin/sh' } });
    expect(await call(bashTool, { command: 'echo $0' }, ctx)).toBe('/bin/sh');
    expect(await call(bashTool, { command: 'echo $0' }, ctx, { shell: '/bin/bash' })).toBe('/bin/bash');
    expect(() => bashTool.create({ shell: 42 })).toThrow(/option 'shell'/);
  });

  it('stops a command whose output runs past the buffer', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    const out = result(await call(bashTool, { command: 'yes' }, ctx));
    expect(out.isError).toBe(true);
    expect(out.text.startsWith('y\ny\n')).toBe(true);
    expect(out.text).toMatch(/\[output exceeded 16 MB; the command was stopped\]/);
  });

  it('fails clearly when the shell cannot be started', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    await expect(call(bashTool, { command: 'true' }, ctx, { shell: '/no/such/shell' })).rejects.toThrow(/could not run \/no\/such\/shell/);
  });

  it('fails clearly when the working directory is missing', async () => {
    const ctx = makeContext({ cwd: path.join(await tempDir(), 'gone') });
    await expect(call(bashTool, { command: 'pwd' }, ctx)).rejects.toThrow(/working directory does not exist/);
    // Also when the shell is missing too: the directory is what to fix first.
    await expect(call(bashTool, { command: 'pwd' }, ctx, { shell: '/no/such/shell' })).rejects.toThrow(/working directory does not exist/);
  });

  it('fails clearly when the working directory is a file', async () => {
    const file = path.join(await tempDir(), 'plain.txt');
    await writeFile(file, 'x');
    await expect(call(bashTool, { command: 'pwd' }, makeContext({ cwd: file }))).rejects.toThrow(/working directory does not exist/);
  });

  it('refuses commands that only announce waiting', async () => {
    const ctx = makeContext({ cwd: await tempDir() });
    for (const command of ['echo "waiting for the build..."', "echo 'Still running'; sleep 1", 'printf "in progress\\n"', 'echo waiting && echo more']) {
      const out = result(await call(bashTool, { command }, ctx));
      expect(out.isError).toBe(true);
      expect(out.text).toMatch(/^Refused: this command only announces that you are waiting\..*arrive on their own/s);
    }
    expect(result(await call(bashTool, { command: 'echo "waiting" > status.txt && cat status.txt' }, ctx)).text).toBe('waiting');
    expect(result(await call(bashTool, { command: 'echo hello' }, ctx)).text).toBe('hello');
  });

  describe('type', () => {
    it('finds the shell on PATH', async () => {
      const ctx = makeContext({ cwd: await tempDir(), env: { PATH: process.env['PATH'] } });
      expect(await call(bashTool, { command: 'echo $0', type: 'sh' }, ctx)).toMatch(/\/sh$/);
      expect(await call(bashTool, { command: 'echo $0', type: 'bash' }, ctx)).toMatch(/\/bash$/);
    });

    it('prefers KT_<TYPE>_PATH, then KT_SHELL_PATH and $SHELL when they are that shell', async () => {
      const dir = await tempDir();
      const bash = (await call(bashTool, { command: 'command -v bash' }, makeContext({ cwd: dir }))) as string;
      const emptyPath = await tempDir();
      const run = (env: Record<string, string>, type = 'sh') => call(bashTool, { command: 'echo "$0 ${BASH_VERSION:+is-bash}"', type }, makeContext({ cwd: dir, env: { PATH: emptyPath, ...env } }));
      expect(await run({ KT_SH_PATH: bash })).toBe(`${bash} is-bash`);
      expect(await run({ KT_SHELL_PATH: bash }, 'bash')).toBe(`${bash} is-bash`);
      expect(await run({ SHELL: bash }, 'bash')).toBe(`${bash} is-bash`);
      // A KT_SHELL_PATH or $SHELL of another kind is not used for this type.
      await expect(run({ KT_SHELL_PATH: bash, SHELL: bash })).rejects.toThrow(/the sh shell is not installed/);
    });

    it('says clearly when the shell is not installed or the variable is wrong', async () => {
      const dir = await tempDir();
      const ctx = makeContext({ cwd: dir, env: { PATH: await tempDir() } });
      await expect(call(bashTool, { command: 'echo hi', type: 'fish' }, ctx)).rejects.toThrow(
        'the fish shell is not installed: fish was not found on PATH. Install it, set KT_FISH_PATH to its path, or leave out type to use the default shell.',
      );
      await expect(call(bashTool, { command: 'echo hi', type: 'powershell' }, ctx)).rejects.toThrow(/pwsh or powershell was not found on PATH/);
      const wrong = makeContext({ cwd: dir, env: { PATH: process.env['PATH'], KT_ZSH_PATH: '/no/such/zsh' } });
      await expect(call(bashTool, { command: 'echo hi', type: 'zsh' }, wrong)).rejects.toThrow(
        'KT_ZSH_PATH is /no/such/zsh, which is not an executable file. Fix or unset KT_ZSH_PATH.',
      );
    });
  });
});
