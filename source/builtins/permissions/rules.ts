/**
 * Permission rules in the shape Claude Code users already write:
 * `bash(git diff:*)` (a command and anything after it), `bash(npm test)`
 * (exactly that command), `edit(src/**)` (file edits under src/, by glob),
 * `read(.env)`, or a bare tool name (`web_fetch`, `mcp__github__*`) for every
 * call of that tool.
 *
 * - `bash(…)` covers calls with a `command` argument; a command chained with
 *   `&&`, `||`, `;`, `|` or `&` is allowed only when every part is, and one
 *   with `$(…)` or backticks never matches an allow rule (what runs inside
 *   cannot be read off the text). A deny rule matches when any part does.
 * - `edit(…)` covers every tool that changes files (edit, write, multi_edit,
 *   …); other names match the tool itself. Paths are globs (picomatch)
 *   relative to the project folder; `/…` and `~/…` patterns match absolute paths.
 */
import { homedir } from 'node:os';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { ConfigError } from '../../engine/errors.js';

export interface PermissionRule {
  /** As written, for messages. */
  text: string;
  /** Lower-cased tool name or name pattern. */
  tool: string;
  /** What is inside the parentheses, when there are any. */
  spec?: string;
}

/** A tool call as the rules see it. */
export interface RuleCall {
  tool: string;
  effect?: 'edit' | 'execute' | undefined;
  args: unknown;
}

const RULE = /^([A-Za-z0-9_*.:-]+)(?:\((.*)\))?$/s;

/** Parse one rule; `where` names the file and key for the error. */
export function parseRule(text: string, where: { file?: string; keyPath?: Array<string | number> } = {}): PermissionRule {
  const match = RULE.exec(text.trim());
  if (!match || match[2] === '') {
    throw new ConfigError(`'${text}' is not a permission rule; write tool or tool(pattern), e.g. bash(git diff:*) or edit(src/**)`, where);
  }
  const spec = match[2];
  return { text: text.trim(), tool: match[1]!.toLowerCase(), ...(spec !== undefined && spec !== '*' && spec !== '**' ? { spec } : {}) };
}

/** The command a call runs, when it is a shell-like call. */
function commandOf(args: unknown): string | undefined {
  const command = (args as { command?: unknown } | null)?.command;
  return typeof command === 'string' ? command : undefined;
}

/** The file a call touches, when it names one. */
function pathOf(args: unknown): string | undefined {
  const a = (args ?? {}) as Record<string, unknown>;
  const path = a['path'] ?? a['file_path'] ?? a['notebook_path'];
  return typeof path === 'string' ? path : undefined;
}

function toolApplies(rule: PermissionRule, call: RuleCall): boolean {
  const tool = call.tool.toLowerCase();
  if (rule.tool === 'edit' && call.effect === 'edit') return true;
  if (rule.tool === 'bash' && commandOf(call.args) !== undefined && call.effect === 'execute') return true;
  return rule.tool === tool || (rule.tool.includes('*') && picomatch.isMatch(tool, rule.tool));
}

/** The simple commands a command line chains together. */
export function commandParts(command: string): string[] {
  return command
    .split(/&&|\|\||[;|&\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const HIDDEN = /\$\(|`|<\(|>\(/;

function commandMatches(spec: string, part: string): boolean {
  if (spec.endsWith(':*')) {
    const prefix = spec.slice(0, -2).trim();
    return part === prefix || part.startsWith(`${prefix} `) || part.startsWith(`${prefix}\t`);
  }
  if (!spec.includes('*')) return part === spec.trim();
  const body = spec
    .split('*')
    .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's').test(part);
}

function pathMatches(spec: string, path: string, cwd: string): boolean {
  const absolute = resolve(cwd, path);
  const glob = { dot: true, nobrace: false, noextglob: true };
  if (spec.startsWith('~/')) return picomatch.isMatch(absolute, resolve(homedir(), spec.slice(2)), glob);
  if (spec.startsWith('/')) return picomatch.isMatch(absolute, spec, glob);
  const inside = relative(cwd, absolute);
  if (inside.startsWith('..') || isAbsolute(inside)) return false;
  return picomatch.isMatch(inside.split(sep).join('/'), spec, glob);
}

/**
 * Whether `rule` covers the call. `mode` says how chained commands count:
 * for `allow` every part must match, for `deny` one part is enough.
 */
export function ruleMatches(rule: PermissionRule, call: RuleCall, cwd: string, mode: 'allow' | 'deny'): boolean {
  if (!toolApplies(rule, call)) return false;
  if (rule.spec === undefined) return true;
  const command = commandOf(call.args);
  if (command !== undefined && (rule.tool === 'bash' || call.effect === 'execute')) {
    const parts = commandParts(command);
    if (mode === 'deny') return commandMatches(rule.spec, command.trim()) || parts.some((p) => commandMatches(rule.spec!, p));
    if (HIDDEN.test(command) || parts.length === 0) return false;
    return parts.every((p) => commandMatches(rule.spec!, p));
  }
  const path = pathOf(call.args);
  return path !== undefined && pathMatches(rule.spec, path, cwd);
}

export interface PermissionRules {
  allow: readonly PermissionRule[];
  deny: readonly PermissionRule[];
}

/** `deny` (with the rule) wins over `allow`; undefined when no rule speaks. */
export function judge(rules: PermissionRules, call: RuleCall, cwd: string): { verdict: 'allow' | 'deny'; rule: PermissionRule } | undefined {
  const denied = rules.deny.find((r) => ruleMatches(r, call, cwd, 'deny'));
  if (denied) return { verdict: 'deny', rule: denied };
  const command = commandOf(call.args);
  if (command !== undefined && call.effect === 'execute') {
    // A chain is allowed when each part is covered by some allow rule (not necessarily the same one).
    const parts = commandParts(command);
    if (HIDDEN.test(command) || parts.length === 0) return undefined;
    const covering = parts.map((part) => rules.allow.find((r) => ruleMatches(r, { ...call, args: { command: part } }, cwd, 'allow')));
    return covering.every(Boolean) ? { verdict: 'allow', rule: covering[0]! } : undefined;
  }
  const allowed = rules.allow.find((r) => ruleMatches(r, call, cwd, 'allow'));
  return allowed ? { verdict: 'allow', rule: allowed } : undefined;
}

/** Programs whose second word is a subcommand: `git status`, `npm test`. */
const SUBCOMMANDS = new Set(
  'git npm npx pnpm yarn bun deno cargo go docker podman kubectl helm pip pip3 uv poetry make gh dotnet mvn gradle brew apt terraform systemctl rustup conda'.split(' '),
);

function commandPrefix(part: string): string {
  const words = part.split(/\s+/);
  const first = words[0] ?? '';
  const second = words[1];
  if (SUBCOMMANDS.has(first) && second && /^[A-Za-z][\w:.-]*$/.test(second)) return `${first} ${second}`;
  return first;
}

/**
 * The narrow rules a "don't ask again" answer should remember for this call:
 * `bash(git status:*)` for `git status -s`, one per part of a chain;
 * `edit(src/ui/**)` for an edit in src/ui; the tool's name otherwise.
 * Empty when no rule would be safe (a command with `$(…)`).
 */
export function suggestRules(call: RuleCall, cwd: string): string[] {
  const command = commandOf(call.args);
  if (command !== undefined && call.effect === 'execute') {
    if (HIDDEN.test(command)) return [];
    const tool = call.tool.toLowerCase() === 'bash' ? 'bash' : call.tool;
    return [...new Set(commandParts(command).map((part) => `${tool}(${commandPrefix(part)}:*)`))];
  }
  const path = pathOf(call.args);
  if (path !== undefined && call.effect === 'edit') {
    const absolute = resolve(cwd, path);
    const inside = relative(cwd, absolute);
    if (inside.startsWith('..') || isAbsolute(inside)) return [`edit(${dirname(absolute).split(sep).join('/')}/**)`];
    const folder = dirname(inside);
    return [folder === '.' ? `edit(${inside.split(sep).join('/')})` : `edit(${folder.split(sep).join('/')}/**)`];
  }
  return [call.tool];
}
