/**
 * `bash`: run a shell command. The command runs in its own process group so
 * that a timeout or an interrupt can stop everything it started (pipelines,
 * `&` jobs, dev servers), not just the shell, and the call only returns once
 * that group is gone.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { ToolError, UsageError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext, ToolOutput } from '../../engine/tools/tool.js';
import { subprocessRunner } from '../plugins/sandbox-runner.js';
import { startGroupChild, withoutFinalNewline, type GroupChild } from './group-child.js';
import { definedEnv, isExecutable, killGroup, onPath } from './process-tree.js';

const DEFAULT_TIMEOUT_S = 120;
const MAX_TIMEOUT_S = 600;
/** After the shell exits, how long its output may stay open before whatever holds it is stopped. */
const LINGER_MS = 500;
/** Output kept per stream; the executor cuts results far smaller anyway. */
const MAX_BUFFER = 16 * 1024 * 1024;
/** Progress events: at most one per PROGRESS_MS, carrying at most the last PROGRESS_MAX_CHARS of new output. */
const PROGRESS_MS = 100;
const PROGRESS_MAX_CHARS = 8192;
/** After the group is killed, how long to wait for the output to close before giving up on it. */
const RELEASE_MS = 1000;
/** Shells that understand `exec 2>&1`. */
const POSIX_SHELLS = new Set(['bash', 'zsh', 'sh', 'dash', 'ksh', 'mksh', 'ash']);
const SHELL_TYPES = ['bash', 'zsh', 'sh', 'fish', 'pwsh', 'powershell'] as const;
type ShellType = (typeof SHELL_TYPES)[number];

const input = builtinInput('bash', () => z.object({
  command: z.string().min(1).describe('The command to run, as you would type it at a shell prompt.'),
  type: z
    .enum(SHELL_TYPES)
    .optional()
    .describe('Which shell runs the command: bash, zsh, sh, fish, pwsh or powershell. Default: the configured shell, else bash.'),
  timeout: z
    .number()
    .positive()
    .max(MAX_TIMEOUT_S)
    .default(DEFAULT_TIMEOUT_S)
    .describe(`Seconds before the command and everything it started are killed. Default ${DEFAULT_TIMEOUT_S}, max ${MAX_TIMEOUT_S}.`),
  description: z.string().optional().describe('A few words saying what the command does, shown to the user.'),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Run a shell command in the working directory; returns its stdout and stderr merged, and the exit code when it fails.';

const DOC = `Run \`command\` with \`<shell> -c\` in the working directory. stdout and stderr come back merged, in the order they were written.

- \`type\` picks the shell: \`bash\`, \`zsh\`, \`sh\`, \`fish\`, \`pwsh\` or \`powershell\` (PowerShell runs with \`-NoProfile -NonInteractive -Command\`). It is found through \`KT_<TYPE>_PATH\` (e.g. \`KT_ZSH_PATH\`), then \`KT_SHELL_PATH\` or \`$SHELL\` when they name that shell, then PATH; a shell that is not installed is an error. Without \`type\`: the creature's configured shell, else \`KT_SHELL_PATH\`, else a POSIX \`$SHELL\`, else bash, else sh.
- Each call starts a fresh shell: \`cd\`, variables and functions do not carry over. Chain steps with \`&&\`, or use absolute paths.
- stdin is closed, so a command that asks for input fails instead of hanging: pass flags such as \`--yes\` or \`-y\`.
- Exit code 0 returns the output. Any other exit is an error result with the output and \`[exit code N]\`.
- \`timeout\` (seconds, default ${DEFAULT_TIMEOUT_S}, max ${MAX_TIMEOUT_S}): when it passes, the command and every process it started are killed, and the output so far is returned.
- Background jobs (\`cmd &\`) must redirect their output (\`cmd > log 2>&1 &\`); otherwise they are stopped when the command ends.
- Do not poll with \`sleep\` or \`echo "waiting…"\`: such commands are refused, since results of background work arrive on their own.
- For files, prefer read, write, edit, glob and grep over cat, sed, echo >, find and grep.
- Unlike the file tools, the shell is not limited to the working directory and the allowed paths: a command can reach anything this process can. Treat it accordingly.`;

const SLEEP_REFUSAL =
  'Refused: do not use sleep to wait. Results of background work arrive on their own when ready; end your turn instead of polling. ' +
  'To give a slow command more time, raise the timeout parameter of the command itself.';

const ECHO_REFUSAL =
  'Refused: this command only announces that you are waiting. Results of background work arrive on their own when ready; ' +
  'end your turn instead of polling, or run a command that does something.';

export const bashTool: ToolFactory = {
  name: 'bash',
  description: DESCRIPTION,
  create(options) {
    const shell = options['shell'];
    if (shell !== undefined && (typeof shell !== 'string' || shell === '')) {
      throw new UsageError(`tool 'bash': option 'shell' must be the path of a shell, got ${JSON.stringify(shell)}`);
    }
    return tool({
      name: 'bash',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      effect: 'execute',
      input,
      execute: (args, ctx) => runCommand(args, ctx, shell),
    });
  },
};

type StopReason = 'timeout' | 'abort' | 'lingering' | 'overflow';

async function runCommand(args: Args, ctx: ToolContext, configuredShell: string | undefined): Promise<ToolOutput> {
  if (isPollingSleep(args.command)) return { output: SLEEP_REFUSAL, isError: true };
  if (isWaitingEcho(args.command)) return { output: ECHO_REFUSAL, isError: true };
  ctx.signal.throwIfAborted();
  // The working directory is checked only when the shell fails to start (startFailure): a stat before
  // every command was a thread-pool round trip on each call's path, and a missing directory fails the start anyway.
  const shell = args.type ? await findShell(args.type, ctx.env) : await resolveShell(configuredShell, ctx.env);
  const name = shellName(shell);
  // Two pipes cannot say which of stdout and stderr was written first; one can.
  // The shell points its stderr at stdout before running the command, and reading both
  // pipes in arrival order covers shells that cannot (and errors printed before that line runs).
  const script = POSIX_SHELLS.has(name) ? `exec 2>&1; ${args.command}` : args.command;
  const shellArgs = name === 'pwsh' || name === 'powershell' ? ['-NoProfile', '-NonInteractive', '-Command', script] : ['-c', script];

  // A plugin (the sandbox) may wrap the shell or narrow its environment; the process-group handling below still applies.
  const plain = { file: shell, args: shellArgs, env: definedEnv(ctx.env) };
  const launch = subprocessRunner(ctx.runtime)?.prepare(plain) ?? plain;

  // Live output for the UI (a tool.progress event at most every PROGRESS_MS); the model gets the whole output at the end.
  // Chunks wait undecoded until they are sent, so a chatty command costs one decode per event, not one per chunk.
  let pending: Buffer[] = [];
  let progressSent = false;
  let progressTimer: NodeJS.Timeout | undefined;
  const decoder = new StringDecoder('utf8');
  const sendProgress = () => {
    progressTimer = undefined;
    if (pending.length === 0) return;
    const text = decoder.write(pending.length === 1 ? pending[0]! : Buffer.concat(pending)).slice(-PROGRESS_MAX_CHARS);
    pending = [];
    progressSent = true;
    if (text) ctx.emit(text);
  };

  let stopped: StopReason | undefined;
  let killing: Promise<void> | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  // Cuts the wait for the output short once the command is done; made only when the command is stopped
  // (an abort builds a DOMException, with its stack, which every plain call paid for).
  let settled: AbortController | undefined;
  let child: GroupChild;
  try {
    child = startGroupChild(launch, {
      cwd: ctx.cwd,
      maxBytes: MAX_BUFFER,
      onOverflow: () => stop('overflow'),
      onChunk: (chunk) => {
        pending.push(chunk);
        progressTimer ??= setTimeout(sendProgress, PROGRESS_MS);
      },
      // The shell is gone but its output is still open: a background job holds it.
      // It would keep this call waiting until the timeout, so stop it now.
      onExit: () => {
        lingerTimer = setTimeout(() => stop('lingering'), LINGER_MS);
      },
    });
  } catch (error) {
    throw await startFailure(shell, error as Error, ctx.cwd);
  }
  function stop(reason: StopReason) {
    if (stopped || child.pid === undefined) return;
    stopped = reason;
    settled = new AbortController();
    const { signal } = settled;
    killing = killGroup(child.pid)
      // A process that left the group (setsid) may still hold the output open;
      // stop reading rather than wait for it.
      .then(() => delay(RELEASE_MS, undefined, { signal }))
      .then(
        () => child.release(),
        () => undefined,
      );
  }
  const timer = setTimeout(() => stop('timeout'), args.timeout * 1000);
  const onAbort = () => stop('abort');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  // It may have fired while the shell was being looked up and started.
  if (ctx.signal.aborted) onAbort();

  let written = '';
  try {
    const result = await child.done;
    settled?.abort();
    await killing;
    written = result.output;
    const output = withoutFinalNewline(written);
    const metadata = { shell, exitCode: result.exitCode ?? null, durationMs: Math.round(result.durationMs) };

    if (result.startError) throw await startFailure(shell, result.startError, ctx.cwd);
    if (stopped === 'abort') return output; // the executor reports why it stopped
    if (stopped === 'timeout') {
      const note = `[timed out after ${args.timeout}s; the command and every process it started were killed]`;
      return { output: joinNote(output, note), isError: true, metadata: { ...metadata, timedOut: true } };
    }

    const notes: string[] = [];
    if (result.overflowed) notes.push(`[output exceeded ${MAX_BUFFER / 1024 / 1024} MB; the command was stopped]`);
    if (stopped === 'lingering') {
      notes.push('[background processes kept the output open after the command ended and were stopped; redirect their output (cmd > log 2>&1 &) to keep them running]');
    }
    if (result.exitCode !== 0 && result.exitCode !== undefined) notes.push(`[exit code ${result.exitCode}]`);
    else if (result.signal && stopped !== 'lingering' && !result.overflowed) notes.push(`[killed by ${result.signal}]`);

    const failed = result.overflowed || (result.exitCode ?? 1) !== 0;
    if (!failed && notes.length === 0) return output === '' ? '(no output)' : output;
    return { output: joinNote(output, notes.join('\n')), isError: failed, metadata };
  } finally {
    settled?.abort();
    clearTimeout(progressTimer);
    // Nothing sent yet: the whole output is the progress, already decoded once.
    if (!progressSent && pending.length > 0) ctx.emit(written.slice(-PROGRESS_MAX_CHARS));
    else sendProgress();
    clearTimeout(timer);
    clearTimeout(lingerTimer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A command that starts by sleeping in the foreground (`sleep 5`, `sleep 5 && …`)
 * is a model waiting for something. `sleep 30 &` only starts a background job.
 */
function isPollingSleep(command: string): boolean {
  const match = /^\s*sleep(?:\s+[^\s;&|]+)*\s*(&&|&|;|\|\||\||\n|$)/.exec(command);
  return match !== null && match[1] !== '&';
}

/**
 * A command made only of `echo`s (and sleeps) that say the model is waiting:
 * `echo "waiting for the build..."`, `echo still running; sleep 5`.
 */
function isWaitingEcho(command: string): boolean {
  const steps = command
    .split(/&&|\|\||;|\n/)
    .map((step) => step.trim())
    .filter((step) => step !== '');
  if (steps.length === 0 || !steps.every((step) => /^(echo|printf)\b/.test(step) || /^sleep\b/.test(step))) return false;
  return steps.some((step) => /^(echo|printf)\b/.test(step) && /\b(wait(ing)?|still running|in progress|polling)\b/i.test(step));
}

/** Why the shell did not start: the working directory when that is what is missing, else the shell. */
async function startFailure(shell: string, error: Error, cwd: string): Promise<ToolError> {
  const cwdStats = await stat(cwd).catch(() => undefined);
  if (!cwdStats?.isDirectory()) return new ToolError(`working directory does not exist: ${cwd}`, { tool: 'bash' });
  return new ToolError(`could not run ${shell}: ${error.message}`, { tool: 'bash' });
}

function joinNote(output: string, note: string): string {
  return output === '' ? note : `${output}\n${note}`;
}

/** The creature's `shell` option, else KT_SHELL_PATH, else a POSIX $SHELL, else bash, else sh. */
async function resolveShell(configured: string | undefined, env: ToolContext['env']): Promise<string> {
  if (configured) return configured;
  const override = env['KT_SHELL_PATH'];
  if (override) return override;
  const login = env['SHELL'];
  if (login && ['bash', 'zsh', 'sh'].includes(path.basename(login))) return login;
  hasBash ??= access('/bin/bash', constants.X_OK).then(
    () => true,
    () => false,
  );
  return (await hasBash) ? '/bin/bash' : '/bin/sh';
}

let hasBash: Promise<boolean> | undefined;

/** A shell's kind from its path: `/usr/bin/pwsh.exe` → `pwsh`. */
function shellName(shell: string): string {
  return path.basename(shell).replace(/\.exe$/i, '').toLowerCase();
}

/**
 * The shell for an explicit `type`: KT_<TYPE>_PATH, then KT_SHELL_PATH and
 * (for POSIX shells) $SHELL when they are that kind of shell, then PATH.
 */
async function findShell(type: ShellType, env: ToolContext['env']): Promise<string> {
  const variable = `KT_${type.toUpperCase()}_PATH`;
  const specific = env[variable];
  if (specific) {
    if (await isExecutable(specific)) return specific;
    throw new ToolError(`${variable} is ${specific}, which is not an executable file. Fix or unset ${variable}.`, { tool: 'bash' });
  }
  const names = type === 'powershell' ? ['pwsh', 'powershell'] : [type];
  const general = env['KT_SHELL_PATH'];
  if (general && names.includes(shellName(general)) && (await isExecutable(general))) return general;
  const login = env['SHELL'];
  if (login && POSIX_SHELLS.has(type) && names.includes(shellName(login)) && (await isExecutable(login))) return login;
  for (const name of names) {
    const found = await onPath(name, env);
    if (found) return found;
  }
  throw new ToolError(
    `the ${type} shell is not installed: ${names.join(' or ')} was not found on PATH. Install it, set ${variable} to its path, or leave out type to use the default shell.`,
    { tool: 'bash' },
  );
}

