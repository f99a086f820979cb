/**
 * Shared fixtures for the built-in tool tests: a hand-built ToolContext, real
 * temporary directories (removed after each test), and a helper that calls a
 * tool the way the executor does — parse, then execute.
 */
import { mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { recordFileStamp } from '../../../source/builtins/tools/fs-util.js';
import type { ToolFactory } from '../../../source/engine/tools/catalog.js';
import type { ToolContext, ToolOutput, ToolProgress, ToolSession } from '../../../source/engine/tools/tool.js';

export interface TestContext extends ToolContext {
  readonly progress: ToolProgress[];
}

export function makeContext(overrides: Partial<Omit<ToolContext, 'emit'>> = {}): TestContext {
  const progress: ToolProgress[] = [];
  const session: ToolSession = overrides.session ?? { id: 'test-session', state: new Map() };
  return {
    signal: overrides.signal ?? new AbortController().signal,
    cwd: overrides.cwd ?? process.cwd(),
    callId: overrides.callId ?? 'call-1',
    creature: overrides.creature ?? 'tester',
    session,
    env: overrides.env ?? { ...process.env },
    allowedPaths: overrides.allowedPaths ?? [],
    runtime: overrides.runtime ?? {},
    progress,
    emit(update) {
      progress.push(typeof update === 'string' ? { text: update } : update);
    },
  };
}

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh directory under the OS temp dir (symlinks resolved), removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'kt-tools-')));
  made.push(dir);
  return dir;
}

/** Validate `args` with the tool's schema, then run it; a schema failure throws. */
export async function call(factory: ToolFactory, args: unknown, ctx: ToolContext, options: Record<string, unknown> = {}): Promise<ToolOutput> {
  const tool = factory.create(options);
  const parsed = tool.parse(args);
  if (!parsed.ok) throw new Error(parsed.error);
  return tool.execute(parsed.value, ctx);
}

/** The text of a result, and whether it is an error. */
export function result(output: ToolOutput): { text: string; isError: boolean } {
  if (typeof output === 'string') return { text: output, isError: false };
  const text = typeof output.output === 'string' ? output.output : output.output.map((p) => (p.type === 'text' ? p.text : '')).join('');
  return { text, isError: output.isError === true };
}

/** `call`, with a plain successful result object reduced to its text (for tools that add UI metadata such as a diff). */
export async function callText(factory: ToolFactory, args: unknown, ctx: ToolContext, options: Record<string, unknown> = {}): Promise<ToolOutput> {
  const output = await call(factory, args, ctx, options);
  return typeof output === 'string' || output.isError || typeof output.output !== 'string' ? output : output.output;
}

/** A file `code.ts` with `content` in a fresh directory, and a context that has read it (as edit tools require). */
export async function editableFixture(content: string | Buffer): Promise<{ dir: string; file: string; ctx: TestContext }> {
  const dir = await tempDir();
  const file = path.join(dir, 'code.ts');
  await writeFile(file, content);
  const ctx = makeContext({ cwd: dir });
  recordFileStamp(ctx.session, file, await stat(file));
  return { dir, file, ctx };
}
