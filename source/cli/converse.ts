/**
 * Talking to a built creature in plain mode, shared by `kt run` and
 * `kt resume`: the flags both take, the renderer, Ctrl+C handling, where the
 * prompts come from (-p, piped stdin, JSON lines, a terminal), and the
 * resume hint at the end.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Agent } from '../engine/creature/agent.js';
import type { TurnResult } from '../engine/creature/turn-result.js';
import type { TurnRecord } from '../engine/session/reader.js';
import type { InteractiveApp } from '../ui/cli/run.js';
import { UsageError } from '../engine/errors.js';
import type { UserContent } from '../engine/llm/messages.js';
import type { AskOptions } from '../engine/tools/runtime.js';
import { APPROVAL_MODES, type ApprovalDecision, type ApprovalMode, type ApprovalRequest } from '../engine/tools/approval.js';
import { jsonLines, readAll } from '../ui/plain/input.js';
import { selectMode, type UiMode } from '../ui/mode.js';
import { PlainRenderer, type OutputFormat } from '../ui/plain/renderer.js';
import { EXIT, exitCodeFor } from './exit.js';

/** Flags of every command that runs turns. */
export const CONVERSE_FLAGS = {
  prompt: { type: 'string', shortFlag: 'p' },
  llm: { type: 'string' },
  pwd: { type: 'string' },
  maxTurns: { type: 'number' },
  timeout: { type: 'number' },
  mode: { type: 'string' },
  outputFormat: { type: 'string', default: 'text' },
  inputFormat: { type: 'string', default: 'text' },
  verbose: { type: 'boolean', default: false },
  addDir: { type: 'string', isMultiple: true },
  approvalMode: { type: 'string', default: 'default' },
} as const;

export const CONVERSE_HELP = `
  -p, --prompt <text>      Run one turn with this prompt, then exit
  --llm <model>            A preset (claude-sonnet-5), alias (sonnet) or provider/model
  --pwd <dir>              Working directory for the creature's tools
  --max-turns <n>          At most n LLM rounds per turn
  --timeout <seconds>      Abort a turn that runs longer
  --mode <mode>            cli (default at a terminal) | tui (full screen, panes) | plain (pipes and -p)
  --output-format <fmt>    text | json (the TurnResult) | stream-json (one event per line)
  --input-format <fmt>     text | stream-json (one JSON user message per stdin line)
  --add-dir <dir>          Let file tools reach this directory too (repeatable)
  --approval-mode <mode>   At a terminal, ask before: default (edits and commands) | auto-edit (commands) | yolo (nothing);
                           -p and piped runs never ask
  --verbose                Detailed logs on stderr`;

export interface ConverseOptions {
  mode: UiMode;
  prompt?: string;
  format: OutputFormat;
  inputFormat: 'text' | 'stream-json';
  verbose: boolean;
  timeoutMs?: number;
  maxTurns?: number;
  /** Directories outside the working directory the file tools may touch (absolute). */
  allowedPaths: string[];
  approvalMode: ApprovalMode;
}

/** The parsed values of CONVERSE_FLAGS. */
export type ConverseFlagValues = ConverseFlags & { llm?: string | undefined; pwd?: string | undefined };

/** The shared flags back as arguments, to hand a run on to another command (`kt run -c` → `kt resume`). */
export function converseArgv(flags: ConverseFlagValues): string[] {
  const out: string[] = [];
  const pass = (name: string, value: string | number | undefined) => {
    if (value !== undefined) out.push(name, String(value));
  };
  pass('--prompt', flags.prompt);
  pass('--llm', flags.llm);
  pass('--pwd', flags.pwd);
  pass('--max-turns', flags.maxTurns);
  pass('--timeout', flags.timeout);
  pass('--mode', flags.mode);
  pass('--output-format', flags.outputFormat);
  pass('--input-format', flags.inputFormat);
  for (const dir of flags.addDir ?? []) pass('--add-dir', dir);
  pass('--approval-mode', flags.approvalMode);
  if (flags.verbose) out.push('--verbose');
  return out;
}

interface ConverseFlags {
  prompt?: string | undefined;
  maxTurns?: number | undefined;
  timeout?: number | undefined;
  mode?: string | undefined;
  outputFormat: string;
  inputFormat: string;
  verbose: boolean;
  addDir?: string[] | undefined;
  approvalMode?: string | undefined;
}

/** Check the shared flags; bad values are usage errors (exit 2). */
export function converseOptions(flags: ConverseFlags): ConverseOptions {
  const format = oneOf('--output-format', flags.outputFormat, ['text', 'json', 'stream-json'] as const);
  const inputFormat = oneOf('--input-format', flags.inputFormat, ['text', 'stream-json'] as const);
  if (flags.maxTurns !== undefined && !(Number.isInteger(flags.maxTurns) && flags.maxTurns > 0)) {
    throw new UsageError('--max-turns must be a positive whole number');
  }
  if (flags.timeout !== undefined && !(flags.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  if (flags.prompt !== undefined && !flags.prompt.trim()) throw new UsageError('--prompt is empty');
  const allowedPaths = (flags.addDir ?? []).map((dir) => {
    const absolute = resolve(dir);
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) throw new UsageError(`--add-dir ${dir}: not a directory`);
    return absolute;
  });
  const choice = selectMode({
    requested: flags.mode,
    stdinTTY: Boolean(process.stdin.isTTY),
    stdoutTTY: Boolean(process.stdout.isTTY),
    scripted: flags.prompt !== undefined || inputFormat === 'stream-json' || format !== 'text',
    term: process.env.TERM,
  });
  if ('error' in choice) throw new UsageError(choice.error);
  const approvalMode = oneOf('--approval-mode', flags.approvalMode ?? 'default', APPROVAL_MODES);
  const options: ConverseOptions = { mode: choice.mode, format, inputFormat, verbose: flags.verbose, allowedPaths, approvalMode };
  if (flags.prompt !== undefined) options.prompt = flags.prompt;
  if (flags.timeout) options.timeoutMs = flags.timeout * 1000;
  if (flags.maxTurns) options.maxTurns = flags.maxTurns;
  return options;
}

/** Session state key: the interactive mode the session was last used in, so `kt resume` comes back in it. */
export const UI_MODE_KEY = 'ui.mode';

let interactiveModule: Promise<typeof import('../ui/cli/run.js')> | undefined;

/**
 * Start loading the terminal app (Ink, React, the UI) while the creature is
 * built, when this run will use it: the two overlap, and the first frame
 * comes sooner.
 */
export function prefetchInteractive(options: ConverseOptions): void {
  if (options.mode === 'plain' || options.prompt !== undefined || !process.stdin.isTTY) return;
  // Ink's colour detection ignores NO_COLOR (https://no-color.org); tell it before it loads.
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  if (interactiveModule) return;
  interactiveModule = import('../ui/cli/run.js');
  // Awaited later; if the build fails first, a failed load must not also surface as an unhandled rejection.
  interactiveModule.catch(() => undefined);
}

/** Where the prompts come from, settled before the creature is built so bad input writes nothing. */
export type InputSource =
  | { kind: 'text'; text: string }
  | { kind: 'lines'; lines: AsyncIterable<UserContent> }
  | { kind: 'terminal' };

export async function collectInput(options: ConverseOptions): Promise<InputSource> {
  if (options.prompt !== undefined) return { kind: 'text', text: options.prompt };
  if (options.inputFormat === 'stream-json') return { kind: 'lines', lines: jsonLines(process.stdin) };
  if (process.stdin.isTTY) return { kind: 'terminal' };
  const text = await readAll(process.stdin);
  if (!text.trim()) throw new UsageError('no prompt: stdin was empty (pass one with -p "...")');
  return { kind: 'text', text };
}

/** Run turns until the input ends; returns the exit code. Stops the agent. */
export async function converse(
  agent: Agent,
  options: ConverseOptions,
  input: InputSource,
  extras: { history?: readonly TurnRecord[]; app?: Promise<InteractiveApp> } = {},
): Promise<number> {
  const interactive = input.kind === 'terminal' && options.mode !== 'plain';
  const renderer = new PlainRenderer({ stdout: process.stdout, stderr: process.stderr, format: options.format, verbose: options.verbose });
  // The interactive UI draws the events itself.
  if (!interactive) agent.on(renderer.handle);
  const stopSignals = watchSignals(agent);
  let last: TurnResult | undefined;
  const settle = (result: TurnResult) => {
    last = result;
    renderer.endTurn(result);
    reportOutcome(result);
  };
  const turn = async (text: UserContent) => settle(await agent.run(text, { source: 'user', ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) }));

  try {
    await agent.start();
    // One-shot runs can still ask when a person sits at the terminal; with a
    // piped stdin nobody can, and ask_user says so to the model.
    if (input.kind === 'text' && process.stdin.isTTY) agent.setAskUser(askOnTerminal);
    if (input.kind === 'text') await turn(input.text);
    else if (input.kind === 'lines') for await (const message of input.lines) await turn(message);
    else if (interactive) {
      if (agent.sessionPath) await rememberMode(agent.sessionPath, options.mode);
      const history = extras.history ? { history: extras.history } : {};
      if (extras.app) {
        const app = await extras.app;
        await app.attach(agent, history);
        await app.done;
      } else {
        prefetchInteractive(options);
        const { runInteractive } = await interactiveModule!;
        await runInteractive(agent, { mode: options.mode === 'tui' ? 'tui' : 'cli', approvalMode: options.approvalMode, ...history });
      }
      return EXIT.ok;
    } else {
      const { startRepl } = await import('../ui/plain/repl.js');
      const { replCommands } = await import('./repl-commands.js');
      const repl = startRepl({ submit: (line) => replCommands(agent, line, turn, settle), interrupt: () => agent.interrupt() });
      agent.setAskUser((question, askOptions) => repl.ask(question, askOptions));
      agent.setApprover((request, signal) => askApproval(repl, request, signal), options.approvalMode);
      await repl.done;
      return EXIT.ok;
    }
  } finally {
    stopSignals();
    await agent.stop();
    // A hint for people at a terminal; scripts know their --session path.
    if (input.kind === 'terminal' || process.stderr.isTTY || options.verbose) resumeHint(agent);
  }
  return last ? exitCodeFor(last.status) : EXIT.ok;
}

/** `ask_user` for `-p` runs at a terminal: the question on stderr, the answer from stdin. */
async function askOnTerminal(question: string, options: AskOptions): Promise<string> {
  const { ask } = await import('./prompt.js');
  const choices = options.choices?.map((choice, i) => `  ${i + 1}. ${choice}\n`).join('') ?? '';
  process.stderr.write(`\n? ${question}\n${choices}`);
  const answer = await ask(options.choices ? 'answer (number or text)> ' : 'answer> ', options.signal);
  const picked = options.choices && /^\d+$/.test(answer) ? options.choices[Number(answer) - 1] : undefined;
  return picked ?? answer;
}

/** The REPL's approval question: y (once), a (always for this tool), anything else no. */
async function askApproval(repl: { ask(question: string, options: AskOptions): Promise<string> }, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
  const args = (request.args ?? {}) as Record<string, unknown>;
  const what = typeof args.command === 'string' ? `$ ${args.command}` : typeof args.path === 'string' ? args.path : JSON.stringify(args);
  const answer = await repl.ask(`Allow ${request.tool}: ${what}\n  [y] yes  [a] yes, always for ${request.tool}  [n] no`, { signal });
  const choice = answer.trim().toLowerCase();
  return choice === 'y' || choice === 'yes' ? 'once' : choice === 'a' || choice === 'always' ? 'always' : 'deny';
}

/** Note the mode in the session (a second, short-lived connection; the recorder's is idle before the first turn). */
async function rememberMode(path: string, mode: UiMode): Promise<void> {
  const { SessionStore } = await import('../engine/session/store.js');
  const store = SessionStore.open(path);
  try {
    store.setState(UI_MODE_KEY, mode);
  } finally {
    store.close();
  }
}

/** Where to pick this session up again. */
function resumeHint(agent: Agent): void {
  if (!agent.sessionPath || !agent.turns) return;
  process.stderr.write(`kt: session saved; resume with: kt resume ${basename(agent.sessionPath, '.kohakutr')}\n`);
}

/** One line on stderr when a turn did not complete. */
function reportOutcome(result: TurnResult): void {
  const messages: Record<string, string> = {
    interrupted: 'interrupted',
    cancelled: 'the turn was cancelled',
    timeout: `the turn timed out after ${(result.durationMs / 1000).toFixed(1)}s`,
    limit: `stopped at the ${result.limit ?? ''} limit after ${result.steps} LLM rounds`,
    error: result.error?.message ?? 'the turn failed',
  };
  const message = messages[result.status];
  if (message) process.stderr.write(`kt: ${message}\n`);
}

/** First Ctrl+C interrupts the turn; a second one (or one with nothing running) exits. */
function watchSignals(agent: { interrupt(): boolean; stop(reason?: string): Promise<void> }): () => void {
  let pressed = 0;
  const onInterrupt = () => {
    pressed++;
    if (pressed === 1 && agent.interrupt()) {
      process.stderr.write('kt: interrupting (Ctrl+C again to quit)\n');
      return;
    }
    process.exit(EXIT.interrupted);
  };
  const onTerminate = () => {
    void agent.stop('SIGTERM').finally(() => process.exit(143));
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);
  return () => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onTerminate);
  };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}
