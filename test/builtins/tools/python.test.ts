/**
 * `python` runs a snippet with a real python3 (skipped where there is none),
 * kills the process tree on timeout and interrupt, and where PATH has no
 * python3 fails with an error that says so.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonTool } from '../../../source/builtins/tools/python.js';
import { call, makeContext, result, tempDir } from './context.js';

const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(hasPython)('python with python3 present', () => {
  it('runs in the working directory and returns stdout and stderr', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'data.txt'), 'a\nb\nc\n');
    const out = result(await call(pythonTool, { code: 'import sys\nprint(len(open("data.txt").read().split()))\nprint("warn", file=sys.stderr)' }, makeContext({ cwd })));
    expect(out).toEqual({ isError: false, text: '3\nwarn' });
  });

  it('an uncaught exception is an error result with the traceback and the exit code', async () => {
    const out = result(await call(pythonTool, { code: 'raise ValueError("bad value")' }, makeContext({ cwd: await tempDir() })));
    expect(out.isError).toBe(true);
    expect(out.text).toContain('ValueError: bad value');
    expect(out.text).toMatch(/\[exit code 1\]$/);
  });

  it('a timeout kills the interpreter and the processes it started', async () => {
    const cwd = await tempDir();
    // The snippet starts a grandchild that writes its pid, then blocks; the tool must stop both.
    const code = 'import subprocess, time\np = subprocess.Popen(["sleep", "300"])\nopen("pid", "w").write(str(p.pid))\nprint("started", flush=True)\ntime.sleep(300)';
    const out = result(await call(pythonTool, { code, timeout: 1 }, makeContext({ cwd })));
    expect(out.isError).toBe(true);
    expect(out.text).toContain('started');
    expect(out.text).toContain('[timed out after 1s');
    const pid = Number(execFileSync('cat', [path.join(cwd, 'pid')]).toString());
    expect(alive(pid)).toBe(false);
  });

  it('an interrupt stops the snippet', async () => {
    const controller = new AbortController();
    const ctx = makeContext({ cwd: await tempDir(), signal: controller.signal });
    const running = call(pythonTool, { code: 'print("go", flush=True)\nimport time\ntime.sleep(300)' }, {
      ...ctx,
      emit(progress) {
        // Interrupt as soon as the snippet has shown it runs.
        if ((typeof progress === 'string' ? progress : progress.text)?.includes('go')) controller.abort();
      },
    });
    expect(result(await running).text).toContain('go');
  });
});

describe('python without python3', () => {
  it('fails with an error naming what is missing and how to fix it', async () => {
    const empty = await tempDir();
    const ctx = makeContext({ env: { PATH: empty } });
    await expect(call(pythonTool, { code: 'print(1)' }, ctx)).rejects.toThrow(
      'python: python3 is not installed here (not found on PATH). Install Python 3, set KT_PYTHON_PATH to an interpreter, or use another tool.',
    );
  });

  it('a KT_PYTHON_PATH that is not a program is named', async () => {
    const ctx = makeContext({ env: { PATH: '', KT_PYTHON_PATH: '/nowhere/python3' } });
    await expect(call(pythonTool, { code: 'print(1)' }, ctx)).rejects.toThrow('python: KT_PYTHON_PATH is /nowhere/python3, which is not an executable file');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie waiting to be reaped counts as gone.
  const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  return state !== '' && !state.startsWith('Z');
}
