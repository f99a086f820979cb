/**
 * `kt run <creature>`: build a creature and talk to it. Plain mode reads the
 * prompt from `-p`, from piped stdin, from JSON lines, or from a terminal
 * line by line, and streams the answer to stdout.
 */
import { installBuiltins } from '../../builtins/index.js';
import { Agent } from '../../engine/creature/agent.js';
import { UsageError } from '../../engine/errors.js';
import type { TurnResult } from '../../engine/creature/turn-result.js';
import type { UserContent } from '../../engine/llm/messages.js';
import { jsonLines, readAll } from '../../ui/plain/input.js';
import { PlainRenderer, type OutputFormat } from '../../ui/plain/renderer.js';
import { EXIT, exitCodeFor } from '../exit.js';
import { parseArgs } from '../args.js';

const HELP = `
Usage
  $ kt run <creature> [options]

  <creature> is a folder holding config.yaml, a config file, or a package
  reference such as @kt-biome/creatures/swe.

Options
  -p, --prompt <text>      Run one turn with this prompt, then exit
  --llm <model>            A preset (gpt-4o-mini) or provider/model (openai/gpt-4o-mini)
  --pwd <dir>              Working directory for the creature's tools (default: here)
  --max-turns <n>          At most n LLM rounds per turn
  --timeout <seconds>      Abort a turn that runs longer
  --mode <mode>            plain (cli and tui arrive with the terminal app)
  --output-format <fmt>    text | json (the TurnResult) | stream-json (one event per line)
  --input-format <fmt>     text | stream-json (one JSON user message per stdin line)
  --verbose                Detailed logs on stderr

Without -p, piped stdin is the prompt; on a terminal, kt reads one prompt per line.

Examples
  $ kt run @kt-biome/creatures/swe -p "Why does the build fail?"
  $ git diff | kt run @kt-biome/creatures/general --output-format json
`;

const FORMATS = ['text', 'json', 'stream-json'] as const;

export async function runCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, {
      prompt: { type: 'string', shortFlag: 'p' },
      llm: { type: 'string' },
      pwd: { type: 'string' },
      maxTurns: { type: 'number' },
      timeout: { type: 'number' },
      mode: { type: 'string', default: 'plain' },
      outputFormat: { type: 'string', default: 'text' },
      inputFormat: { type: 'string', default: 'text' },
      verbose: { type: 'boolean', default: false },
    });
  const flags = cli.flags;
  const [ref, ...extra] = cli.input;
  if (!ref) throw new UsageError('missing <creature>: try kt run @kt-biome/creatures/swe -p "..."');
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}': pass the prompt with -p "..."`);
  if (flags.mode !== 'plain') {
    throw new UsageError(`--mode ${flags.mode} is not available in this version yet; use --mode plain`);
  }
  const format = oneOf('--output-format', flags.outputFormat, FORMATS);
  const inputFormat = oneOf('--input-format', flags.inputFormat, ['text', 'stream-json'] as const);
  if (flags.maxTurns !== undefined && !(Number.isInteger(flags.maxTurns) && flags.maxTurns > 0)) {
    throw new UsageError('--max-turns must be a positive whole number');
  }
  if (flags.timeout !== undefined && !(flags.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  if (flags.prompt !== undefined && !flags.prompt.trim()) throw new UsageError('--prompt is empty');

  // Static imports on purpose: this module only loads for `kt run`, and one
  // chunk instantiates faster than several.
  installBuiltins();
  const agent = await Agent.build(ref, {
    ...(flags.llm ? { llm: flags.llm } : {}),
    ...(flags.pwd ? { pwd: flags.pwd } : {}),
    ...(flags.maxTurns ? { maxTurns: flags.maxTurns } : {}),
  });

  const renderer = new PlainRenderer({ stdout: process.stdout, stderr: process.stderr, format, verbose: flags.verbose });
  agent.on(renderer.handle);
  const stopSignals = watchSignals(agent);
  const timeout = flags.timeout ? flags.timeout * 1000 : undefined;
  let last: TurnResult | undefined;
  const turn = async (input: UserContent) => {
    last = await agent.run(input, { source: 'user', ...(timeout ? { timeout } : {}) });
    renderer.endTurn(last);
    reportOutcome(last);
  };

  try {
    await agent.start();
    if (flags.prompt !== undefined) {
      await turn(flags.prompt);
    } else if (inputFormat === 'stream-json') {
      for await (const message of jsonLines(process.stdin)) await turn(message);
    } else if (!process.stdin.isTTY) {
      const text = await readAll(process.stdin);
      if (!text.trim()) throw new UsageError('no prompt: stdin was empty (pass one with -p "...")');
      await turn(text);
    } else {
      const { runRepl } = await import('../../ui/plain/repl.js');
      await runRepl({ submit: (line) => turn(line), interrupt: () => agent.interrupt() });
      return EXIT.ok;
    }
  } finally {
    stopSignals();
    await agent.stop();
  }
  return last ? exitCodeFor(last.status) : EXIT.ok;
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
