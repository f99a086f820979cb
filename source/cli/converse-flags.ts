/**
 * The flags every command that runs turns takes (`kt run`, `kt resume`), and
 * their checked form. No engine here beyond errors and types: the UI mode is
 * settled from these before anything heavy loads.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../engine/errors.js';
import { MAX_TIMER_MS } from '../engine/llm/request-timeouts.js';
import { APPROVAL_MODES, type ApprovalMode } from '../engine/tools/approval.js';
import { selectMode, type UiMode } from '../ui/mode.js';
import type { OutputFormat } from '../ui/plain/renderer.js';

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
  plugin: { type: 'string', isMultiple: true },
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
  --approval-mode <mode>   Ask before: default (edits and commands) | auto-edit (commands) | plan (refuse both until a plan is accepted) | yolo (nothing).
                           With no terminal to ask on (piped, CI), what would be asked is refused
  --plugin <name[:k=v,..]> Run a plugin by name, with options (values read as JSON when they parse:
                           --plugin budget:turn_budget=[20,30]); repeatable
  --verbose                Detailed logs on stderr; the terminal app starts with full tool output (as Ctrl+O)`;

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
  /** `--plugin` flags: catalog names with their options. */
  plugins: Array<{ plugin: string; options: Record<string, unknown> }>;
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
  for (const spec of flags.plugin ?? []) pass('--plugin', spec);
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
  plugin?: string[] | undefined;
}

/** Check the shared flags; bad values are usage errors (exit 2). */
export function converseOptions(flags: ConverseFlags): ConverseOptions {
  const format = oneOf('--output-format', flags.outputFormat, ['text', 'json', 'stream-json'] as const);
  const inputFormat = oneOf('--input-format', flags.inputFormat, ['text', 'stream-json'] as const);
  if (flags.maxTurns !== undefined && !(Number.isInteger(flags.maxTurns) && flags.maxTurns > 0)) {
    throw new UsageError('--max-turns must be a positive whole number');
  }
  if (flags.timeout !== undefined && !(flags.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  // Node fires a longer timer after 1 ms: refuse rather than time out at once.
  if (flags.timeout !== undefined && flags.timeout * 1000 > MAX_TIMER_MS) {
    throw new UsageError(`--timeout must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (about 24 days, the longest timer Node supports)`);
  }
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
  const plugins = (flags.plugin ?? []).map(pluginFlag);
  const options: ConverseOptions = { mode: choice.mode, format, inputFormat, verbose: flags.verbose, allowedPaths, approvalMode, plugins };
  if (flags.prompt !== undefined) options.prompt = flags.prompt;
  if (flags.timeout) options.timeoutMs = flags.timeout * 1000;
  if (flags.maxTurns) options.maxTurns = flags.maxTurns;
  return options;
}


function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

/**
 * `--plugin name` or `--plugin name:key=value,key=value`. A value is JSON when
 * it parses as JSON (numbers, booleans, `[20,30]`), else a string; commas
 * inside brackets or quotes belong to the value.
 */
export function pluginFlag(spec: string): { plugin: string; options: Record<string, unknown> } {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  if (!name) throw new UsageError(`--plugin ${spec}: the plugin name is missing`);
  const options: Record<string, unknown> = {};
  if (colon < 0) return { plugin: name, options };
  for (const pair of splitTopLevel(spec.slice(colon + 1))) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--plugin ${spec}: '${pair}' is not key=value`);
    const raw = pair.slice(eq + 1).trim();
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare word is a string
    }
    options[pair.slice(0, eq).trim()] = value;
  }
  return { plugin: name, options };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '[' || ch === '{')) depth++;
    else if (!quoted && (ch === ']' || ch === '}')) depth--;
    if (ch === ',' && depth === 0 && !quoted) {
      if (current.trim()) parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts;
}
