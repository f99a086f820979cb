/**
 * Talking to a built creature, shared by `kt run` and `kt resume`: where the
 * prompts come from (-p, piped stdin, JSON lines, a terminal), the plain
 * renderer or the terminal app, Ctrl+C and SIGTERM, and the resume hint.
 */
import { basename } from 'node:path';
import type { Agent } from '../engine/creature/agent.js';
import type { TurnResult } from '../engine/creature/turn-result.js';
import type { TurnRecord } from '../engine/session/reader.js';
import type { InteractiveApp } from '../ui/cli/run.js';
import { UsageError } from '../engine/errors.js';
import type { UserContent } from '../engine/llm/messages.js';
import { jsonLines, readAll } from '../ui/plain/input.js';
import { PlainRenderer } from '../ui/plain/renderer.js';
import type { ConverseOptions } from './converse-flags.js';
import { EXIT, exitCodeFor } from './exit.js';
import { runApp } from './interactive.js';
import { askApproval, askOnTerminal } from './terminal-asks.js';
import { drivesItself, followModuleRun, moduleNotice } from './converse-module.js';

export { CONVERSE_FLAGS, CONVERSE_HELP, converseArgv, converseOptions, type ConverseFlagValues, type ConverseOptions } from './converse-flags.js';
export { prefetchInteractive, UI_MODE_KEY } from './interactive.js';

/** Where the prompts come from, settled before the creature is built so bad input writes nothing. */
export type InputSource =
  | { kind: 'text'; text: string }
  | { kind: 'lines'; lines: AsyncIterable<UserContent> }
  | { kind: 'terminal' }
  /** The config's input module drives the creature (`input: webhook`); `terminal`: the app runs beside it. */
  | { kind: 'module'; module: string; terminal: boolean };

/** `configured`: the config's `input:` type; a module of its own wins unless -p or stream-json input is given. */
export async function collectInput(options: ConverseOptions, configured?: string): Promise<InputSource> {
  if (options.prompt !== undefined) return { kind: 'text', text: options.prompt };
  if (options.inputFormat === 'stream-json') return { kind: 'lines', lines: jsonLines(process.stdin) };
  // stdin_lines owns stdin, so the terminal app cannot read it too.
  if (drivesItself(configured)) return { kind: 'module', module: configured, terminal: configured !== 'stdin_lines' && process.stdin.isTTY === true };
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
  extras: { history?: readonly TurnRecord[]; notes?: readonly string[]; app?: Promise<InteractiveApp> } = {},
): Promise<number> {
  // The terminal app may switch to another session's creature (`/resume`): signals, the final stop
  // and the resume hint go to whichever is current.
  let current = agent;
  const interactive = (input.kind === 'terminal' || (input.kind === 'module' && input.terminal)) && options.mode !== 'plain';
  const session = agent.sessionPath ? { name: basename(agent.sessionPath, '.kohakutr'), path: agent.sessionPath } : undefined;
  const renderer = new PlainRenderer({ stdout: process.stdout, stderr: process.stderr, format: options.format, verbose: options.verbose, session });
  // The interactive UI draws the events itself.
  if (!interactive) agent.on(renderer.handle);
  // Ctrl+C is how a module-driven run (a bot, a webhook) is meant to end: exit 0.
  const quitCode = input.kind === 'module' ? EXIT.ok : EXIT.interrupted;
  const stopSignals = watchSignals({ interrupt: () => current.interrupt(), stop: (reason) => current.stop(reason) }, () => renderer.finish(), quitCode);
  const moduleRun = input.kind === 'module' && !interactive ? followModuleRun(agent, (result) => settle(result)) : undefined;
  let last: TurnResult | undefined;
  const settle = (result: TurnResult) => {
    last = result;
    renderer.endTurn(result);
    reportOutcome(result);
  };
  const turn = async (text: UserContent) => settle(await agent.run(text, { source: 'user', ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) }));

  try {
    await agent.start();
    // Nobody to ask unless a terminal is there: edits and commands the approval
    // mode does not cover are refused (the terminal app and the REPL replace this).
    await agent.refuseUnapproved(options.approvalMode, refusalNotice());
    // One-shot runs can still ask when a person sits at the terminal; with a
    // piped stdin nobody can, and ask_user says so to the model.
    if (input.kind === 'text' && process.stdin.isTTY) {
      agent.setAskUser(askOnTerminal);
      await agent.setApprover((request, signal) => askApproval({ ask: askOnTerminal }, request, signal, agent.cwd), options.approvalMode);
    }
    if (moduleRun && input.kind === 'module') {
      process.stderr.write(`${moduleNotice(agent, input.module)}\n`);
      await moduleRun;
      return EXIT.ok;
    }
    if (input.kind === 'text') await turn(input.text);
    else if (input.kind === 'lines') for await (const message of input.lines) await turn(message);
    else if (interactive) {
      await runApp(agent, options, { ...extras, onSwitch: (next) => (current = next) });
      return EXIT.ok;
    } else {
      const { startRepl } = await import('../ui/plain/repl.js');
      const { replCommands } = await import('./repl-commands.js');
      const repl = startRepl({ submit: (line) => replCommands(agent, line, turn, settle), interrupt: () => agent.interrupt() });
      agent.setAskUser((question, askOptions) => repl.ask(question, askOptions));
      await agent.setApprover((request, signal) => askApproval(repl, request, signal, agent.cwd), options.approvalMode);
      // A creature may stop by itself (termination.idle_timeout): the prompt goes with it.
      agent.on('creature.stop', () => repl.close());
      await repl.done;
      return EXIT.ok;
    }
  } finally {
    stopSignals();
    await current.stop();
    renderer.finish();
    // A hint for people at a terminal; scripts know their --session path.
    if (input.kind === 'terminal' || process.stderr.isTTY || options.verbose) resumeHint(current);
  }
  return last ? exitCodeFor(last.status) : EXIT.ok;
}


/** One stderr line per kind of refused call (permgate says which flag allows it). */
function refusalNotice(): (message: string) => void {
  return (message) => process.stderr.write(`kt: ${message}\n`);
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

/**
 * First Ctrl+C interrupts the turn; a second one (or one with nothing
 * running) quits, but only after the agent has stopped: the tools' process
 * trees are dead and the turn's end is saved. A third quits at once.
 * SIGTERM and SIGHUP (the terminal went away) stop the agent the same way.
 */
function watchSignals(agent: { interrupt(): boolean; stop(reason?: string): Promise<void> }, beforeExit: () => void, interruptCode: number = EXIT.interrupted): () => void {
  let pressed = 0;
  const quit = (reason: string, code: number) => {
    void agent.stop(reason).finally(() => {
      beforeExit();
      process.exit(code);
    });
  };
  const onInterrupt = () => {
    pressed++;
    if (pressed === 1 && agent.interrupt()) {
      process.stderr.write('kt: interrupting (Ctrl+C again to quit)\n');
      return;
    }
    if (pressed <= 2) {
      if (pressed === 2) process.stderr.write('kt: stopping (Ctrl+C again to quit at once)\n');
      return quit('SIGINT', interruptCode);
    }
    process.exit(EXIT.interrupted);
  };
  const onTerminate = () => quit('SIGTERM', 143);
  const onHangup = () => {
    // The terminal is gone: writing to it fails with EIO, which must not crash the save.
    const ignore = () => undefined;
    process.stdout.on('error', ignore);
    process.stderr.on('error', ignore);
    quit('SIGHUP', 129);
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onHangup);
  return () => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onTerminate);
    process.off('SIGHUP', onHangup);
  };
}
