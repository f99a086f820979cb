/**
 * `python`: run a Python snippet with the `python3` on the tool's PATH (or
 * `KT_PYTHON_PATH`). The original framework ships this tool, so creature
 * folders written for it list `python`; here it is a thin runner, not an
 * embedded interpreter. Like `bash` it runs in its own process group, so a
 * timeout or an interrupt stops everything the snippet started.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext, ToolOutput } from '../../engine/tools/tool.js';
import { subprocessRunner } from '../plugins/sandbox-runner.js';
import { startGroupChild, withoutFinalNewline, type GroupChild } from './group-child.js';
import { definedEnv, isExecutable, killGroup, onPath } from './process-tree.js';

const DEFAULT_TIMEOUT_S = 60;
const MAX_TIMEOUT_S = 600;
const MAX_BUFFER = 16 * 1024 * 1024;

const input = builtinInput('python', () => z.object({
  code: z.string().min(1).describe('The Python 3 source to run. Print what you want to see.'),
  timeout: z
    .number()
    .positive()
    .max(MAX_TIMEOUT_S)
    .default(DEFAULT_TIMEOUT_S)
    .describe(`Seconds before the snippet and every process it started are killed. Default ${DEFAULT_TIMEOUT_S}, max ${MAX_TIMEOUT_S}.`),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Run a Python 3 snippet in the working directory; returns what it printed (stdout and stderr merged).';

const DOC = `Runs \`code\` with \`python3 -\` (the source arrives on stdin) in the working directory. stdout and stderr come back merged.

- Each call is a fresh interpreter: variables and imports do not carry over. Write files to keep results.
- \`input()\` gets end-of-file: the snippet cannot ask questions.
- Exit status 0 returns the output; anything else (an uncaught exception included) is an error result with the output and \`[exit code N]\`.
- \`timeout\` (seconds, default ${DEFAULT_TIMEOUT_S}, max ${MAX_TIMEOUT_S}): when it passes, the interpreter and everything it started are killed.
- The interpreter is \`KT_PYTHON_PATH\` when set, else \`python3\` on PATH; when neither exists the call fails and says so.
- Like \`bash\`, the snippet can reach anything this process can; it needs the same approval as a command.`;

export const pythonTool: ToolFactory = {
  name: 'python',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'python',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      effect: 'execute',
      input,
      execute: (args, ctx) => runSnippet(args, ctx),
    }),
};

async function runSnippet(args: Args, ctx: ToolContext): Promise<ToolOutput> {
  ctx.signal.throwIfAborted();
  const python = await findPython(ctx.env);
  const plain = { file: python, args: ['-'], env: definedEnv(ctx.env) };
  // The sandbox plugin may wrap the interpreter (no network) or narrow its environment, as it does for bash.
  const launch = subprocessRunner(ctx.runtime)?.prepare(plain) ?? plain;

  let stopped: 'timeout' | 'abort' | 'overflow' | undefined;
  let killing: Promise<void> | undefined;
  let child: GroupChild;
  try {
    child = startGroupChild(
      { ...launch, env: { ...launch.env, PYTHONUNBUFFERED: '1' } },
      { cwd: ctx.cwd, input: args.code, maxBytes: MAX_BUFFER, onOverflow: () => stop('overflow'), onChunk: (chunk) => ctx.emit(chunk.toString()) },
    );
  } catch (error) {
    throw new ToolError(`python: could not start ${python}: ${(error as Error).message}`, { tool: 'python' });
  }
  function stop(reason: 'timeout' | 'abort' | 'overflow') {
    if (stopped || child.pid === undefined) return;
    stopped = reason;
    killing = killGroup(child.pid);
  }
  const timer = setTimeout(() => stop('timeout'), args.timeout * 1000);
  const onAbort = () => stop('abort');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  try {
    const result = await child.done;
    await killing;
    const output = withoutFinalNewline(result.output);
    if (result.startError) throw new ToolError(`python: could not start ${python}: ${result.startError.message}`, { tool: 'python' });
    if (stopped === 'abort') return output; // the executor reports the interrupt
    if (stopped === 'timeout') {
      return { output: withNote(output, `[timed out after ${args.timeout}s; the interpreter and every process it started were killed]`), isError: true, metadata: { timedOut: true } };
    }
    if (result.overflowed) return { output: withNote(output, `[output exceeded ${MAX_BUFFER / 1024 / 1024} MB; the snippet was stopped]`), isError: true };
    if (result.exitCode === 0) return output === '' ? '(no output)' : output;
    const note = result.exitCode !== undefined ? `[exit code ${result.exitCode}]` : `[killed by ${result.signal ?? 'a signal'}]`;
    return { output: withNote(output, note), isError: true, metadata: { exitCode: result.exitCode ?? null } };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** KT_PYTHON_PATH, else python3 on the tool's PATH; a machine without it gets an error that says what to do. */
async function findPython(env: ToolContext['env']): Promise<string> {
  const configured = env['KT_PYTHON_PATH'];
  if (configured) {
    if (await isExecutable(configured)) return configured;
    throw new ToolError(`python: KT_PYTHON_PATH is ${configured}, which is not an executable file. Fix or unset KT_PYTHON_PATH.`, { tool: 'python' });
  }
  const found = await onPath('python3', env);
  if (found) return found;
  throw new ToolError('python: python3 is not installed here (not found on PATH). Install Python 3, set KT_PYTHON_PATH to an interpreter, or use another tool.', {
    tool: 'python',
  });
}

function withNote(output: string, note: string): string {
  return output === '' ? note : `${output.replace(/\n$/, '')}\n${note}`;
}
