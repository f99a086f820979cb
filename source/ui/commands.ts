/**
 * Slash commands of the interactive UI. Each returns what the screen should
 * do (a note, a cleared screen, exit); none writes to the terminal itself,
 * so the same table serves cli and tui modes and tests call it directly.
 */
import { dirname } from 'node:path';
import type { Agent, ApprovalMode, TurnResult } from '../index.js';
import { SESSION_COMMANDS } from './commands/index.js';
import { mcpPromptCommand } from './commands/mcp.js';
import { formatCost, formatDuration, formatTokens } from './format.js';

export type CommandOutcome =
  | { kind: 'note'; text: string; tone?: 'info' | 'warning' | 'error' }
  | { kind: 'turn'; run: () => Promise<TurnResult> }
  | { kind: 'clear' }
  /** Turn `turn`'s message goes back in the prompt; sending it replaces that turn and the ones after. */
  | { kind: 'rewind'; turn: number; input: string }
  | { kind: 'exit' }
  /** Leave this session (it is saved) for the one at `session`, inside the running app. */
  | { kind: 'switch'; session: string; name: string }
  /** Ask the person to pick one of `choices` (a numbered list, as `ask_user` shows it); `pick` gets the answer. */
  | { kind: 'choose'; question: string; choices: string[]; pick(answer: string): Promise<CommandOutcome> | CommandOutcome }
  | { kind: 'none' };

/** What a command may want to know about the screen it runs in. */
export interface CommandScreen {
  mode: 'cli' | 'tui';
}

export interface SlashCommand {
  name: string;
  args?: string;
  summary: string;
  run(agent: Agent, args: string, screen?: CommandScreen): Promise<CommandOutcome> | CommandOutcome;
  /** Whole argument strings that complete `args` (what is typed after the name and a space), for Tab and the suggestion list. */
  complete?(agent: Agent, args: string): string[];
}

const note = (text: string, tone: 'info' | 'warning' | 'error' = 'info'): CommandOutcome => ({ kind: 'note', text, tone });

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: 'help', summary: 'List commands and keys', run: (_agent, _args, screen) => note(helpText(screen?.mode ?? 'cli')) },
  {
    name: 'status',
    summary: 'Creature, model, session, tokens',
    run: (agent) => {
      const usage = agent.usage;
      return note(
        [
          `creature  ${agent.name}`,
          `model     ${agent.model}${agent.maxContext ? ` (${formatTokens(agent.maxContext)} context)` : ''}`,
          `cwd       ${agent.cwd}`,
          `session   ${agent.sessionPath ?? '(not saved)'}`,
          `turns     ${agent.turns}`,
          `tokens    ↑ ${formatTokens(usage.input)} ↓ ${formatTokens(usage.output)} (${formatTokens(usage.cached)} cached)`,
          ...costLine(agent),
          `tools     ${agent.tools.join(', ')}`,
        ].join('\n'),
      );
    },
  },
  {
    name: 'model',
    args: '[name]',
    summary: 'Show the model, or switch to another (the conversation carries over)',
    run: async (agent, args) => {
      const name = args.trim();
      if (name) return switchModel(agent, name);
      const choices = await modelChoices(agent.model);
      if (!choices.length) return note(`model: ${agent.model}. Switch with /model <provider/preset> (kt model list shows them).`);
      return {
        kind: 'choose',
        question: `Model now: ${agent.model}. Switch to (a number, or any name kt model list shows; the conversation carries over):`,
        choices,
        pick: (answer) => (answer.trim() ? switchModel(agent, answer.trim()) : note(`Still on ${agent.model}.`)),
      };
    },
  },
  {
    name: 'approvals',
    args: '[mode]',
    summary: 'Show or set the approval mode: default, auto-edit, plan, yolo',
    run: async (agent, args) => {
      const wanted = args.trim();
      const current = agent.approvalMode ?? 'default';
      if (!wanted) return note(`approval mode: ${current} (${MODE_MEANING[current]}). Set it with /approvals <${APPROVAL_CYCLE.join('|')}> or cycle with Shift+Tab.`);
      if (!isApprovalMode(wanted)) return note(`Unknown approval mode "${wanted}"; choose one of ${APPROVAL_CYCLE.join(', ')}.`, 'warning');
      await agent.setApprovalMode(wanted);
      return note(`Approval mode: ${wanted} (${MODE_MEANING[wanted]}).`);
    },
  },
  {
    name: 'clear',
    summary: 'Clear the screen and start a fresh conversation (the session keeps the old one)',
    run: (agent) => {
      try {
        agent.clearContext();
      } catch (error) {
        return note(`${(error as Error).message}; press Esc first.`, 'warning');
      }
      return { kind: 'clear' };
    },
  },
  {
    name: 'compact',
    summary: 'Summarise older turns now (the creature keeps working meanwhile)',
    run: async (agent) => {
      const decision = await agent.compact();
      if (decision.started) return note(`Compacting ${decision.messages} earlier messages in the background (round ${decision.round}).`);
      return note(`Nothing compacted: ${SKIP_REASONS[decision.reason]}${decision.detail ? ` (${decision.detail})` : ''}.`, 'warning');
    },
  },
  {
    name: 'plugin',
    args: '[list|enable|disable <name>]',
    summary: 'List plugins, or switch one on or off',
    run: async (agent, args) => {
      const [verb = 'list', name] = args.trim().split(/\s+/).filter(Boolean);
      if (verb === 'list') {
        const rows = agent.plugins.list();
        if (!rows.length) return note('No plugins.');
        return note(rows.map((p) => `${p.enabled ? '●' : '○'} ${p.name.padEnd(14)} ${String(p.priority).padStart(3)}  ${p.description ?? ''}`).join('\n'));
      }
      if ((verb !== 'enable' && verb !== 'disable') || !name) return note('usage: /plugin [list | enable <name> | disable <name>]', 'warning');
      try {
        if (verb === 'enable') await agent.plugins.enable(name);
        else agent.plugins.disable(name);
        return note(`Plugin ${name} ${verb}d.`);
      } catch (error) {
        return note((error as Error).message, 'error');
      }
    },
  },
  { name: 'regen', summary: 'Run the last turn again as a new branch', run: (agent) => ({ kind: 'turn', run: () => agent.regenerate({ source: 'user' }) }) },
  {
    name: 'edit',
    args: '<n> <text>',
    summary: 'Replace turn n’s input and run it again',
    run: (agent, args) => {
      const match = /^(\d+)\s+([\s\S]+)$/.exec(args.trim());
      if (!match) return note('usage: /edit <turn number> <new text>', 'warning');
      return { kind: 'turn', run: () => agent.editTurn(Number(match[1]), match[2]!, { source: 'user' }) };
    },
  },
  {
    name: 'branch',
    summary: 'Show which branch of each turn is live',
    run: (agent) => {
      const path = agent.livePath;
      if (path.length === 0) return note('No turns yet.');
      return note(path.map((branch, i) => `turn ${i + 1}: branch ${branch}`).join('\n'));
    },
  },
  {
    name: 'fork',
    args: '[event]',
    summary: 'Copy this session (up to an event) into a new file',
    run: async (agent, args) => {
      if (!agent.sessionPath) return note('This run has no session to fork (--no-session).', 'warning');
      const { forkSession, newSessionPath } = await import('../index.js');
      const upTo = args.trim() ? Number(args.trim()) : undefined;
      const fork = forkSession(agent.sessionPath, newSessionPath(dirname(agent.sessionPath), `${agent.name}-fork`), upTo !== undefined ? { upTo } : {});
      return note(`Forked ${fork.events} events into ${fork.path}`);
    },
  },
  {
    name: 'jobs',
    summary: 'Background jobs',
    run: (agent) => {
      const jobs = agent.jobs.list();
      if (jobs.length === 0) return note('No background jobs.');
      return note(
        jobs
          .map((j) => `${j.jobId}  ${j.status.padEnd(9)} ${j.name}  ${j.summary}  ${formatDuration((j.endedAt ?? Date.now()) - j.startedAt)}`)
          .join('\n'),
      );
    },
  },
  {
    name: 'skills',
    summary: 'Skills the model can use',
    run: (agent) => note(agent.skills.length ? agent.skills.join('\n') : 'No skills found (.kt/skills, .claude/skills, .agents/skills, ~/.kohakuterrarium/skills).'),
  },
  ...SESSION_COMMANDS,
  { name: 'exit', summary: 'Leave (also Ctrl+D)', run: () => ({ kind: 'exit' }) },
];

/** The approval modes in the order Shift+Tab steps through them (the engine's APPROVAL_MODES, without loading it). */
export const APPROVAL_CYCLE: readonly ApprovalMode[] = ['default', 'auto-edit', 'plan', 'yolo'];

/** The mode after `mode`, wrapping round. */
export function nextApprovalMode(mode: ApprovalMode): ApprovalMode {
  return APPROVAL_CYCLE[(APPROVAL_CYCLE.indexOf(mode) + 1) % APPROVAL_CYCLE.length]!;
}

function isApprovalMode(name: string): name is ApprovalMode {
  return (APPROVAL_CYCLE as readonly string[]).includes(name);
}

export const MODE_MEANING: Record<ApprovalMode, string> = {
  default: 'asks before edits and commands',
  'auto-edit': 'edits run unasked, commands ask',
  plan: 'reads only; edits and commands are refused until you switch mode',
  yolo: 'nothing asks',
};

async function switchModel(agent: Agent, name: string): Promise<CommandOutcome> {
  try {
    const previous = agent.model;
    await agent.switchModel(name);
    return note(`Switched from ${previous} to ${agent.model}; the conversation carries over.`);
  } catch (error) {
    return note((error as Error).message, 'error');
  }
}

/** Choices drawn at most: the dialog must fit the screen; any other name can be typed instead. */
const MODEL_CHOICES = 12;

/**
 * The models `kt model list` shows (the user's presets, or every built-in one when there are none),
 * those whose provider has its key in the environment first, the current model left out.
 */
async function modelChoices(current: string): Promise<string[]> {
  const { ModelCatalog } = await import('../index.js');
  const catalog = ModelCatalog.load(process.env);
  const own = catalog.presets.filter((p) => !p.builtin);
  const keyed = (provider: string) => {
    const env = catalog.backends.get(provider)?.apiKeyEnv;
    return !env || Boolean(process.env[env]);
  };
  const ids = (own.length ? own : catalog.presets).map((p) => ({ id: `${p.provider}/${p.name}`, keyed: keyed(p.provider) }));
  return [...ids.filter((m) => m.keyed), ...ids.filter((m) => !m.keyed)]
    .map((m) => m.id)
    .filter((id) => id !== current)
    .slice(0, MODEL_CHOICES);
}

/** Why a compaction did not start, in words. */
const SKIP_REASONS: Record<string, string> = {
  disabled: 'compaction is turned off for this creature (compact.enabled: false)',
  below_threshold: 'the context is below the compaction threshold',
  cooldown: 'a compaction ran moments ago',
  busy: 'a compaction is already running',
  too_short: 'the conversation is too short to summarise (the recent turns are kept as they are)',
  vetoed: 'a plugin vetoed it',
  stopped: 'the creature is stopping',
};

function costLine(agent: Agent): string[] {
  const report = agent.pluginReport('cost_tracker');
  const cost = report?.['costUsd'];
  if (typeof cost !== 'number') return [];
  const unpriced = Array.isArray(report?.['unpriced']) && (report['unpriced'] as unknown[]).length ? ` (no price for ${(report['unpriced'] as unknown[]).join(', ')})` : '';
  return [`cost      ${formatCost(cost)}${unpriced}`];
}

/** The command a `/name args` line names, or undefined. */
export function parseSlash(line: string, agent?: Agent): { command: SlashCommand | undefined; name: string; args: string } | undefined {
  if (!line.startsWith('/')) return undefined;
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line)!;
  const name = match[1]!;
  const alias: Record<string, string> = { quit: 'exit', regenerate: 'regen', '?': 'help' };
  const resolved = alias[name] ?? name;
  // `/mcp__<server>__<prompt>`: a prompt one of the creature's MCP servers offers.
  const command = SLASH_COMMANDS.find((c) => c.name === resolved) ?? (agent ? mcpPromptCommand(agent, name) : undefined);
  return { command, name, args: match[2] ?? '' };
}

/** A slash command offered by one of the creature's plugins (`/undo` from `checkpoint`); its errors become a warning note. */
export function pluginSlashCommand(agent: Agent, name: string): SlashCommand | undefined {
  const command = agent.plugins.commands()[name];
  if (!command) return undefined;
  return {
    name,
    ...(command.args ? { args: command.args } : {}),
    summary: `${command.summary} (plugin ${command.plugin})`,
    run: async (_agent, args) => {
      try {
        return note(await command.run(args));
      } catch (error) {
        return note(`/${name}: ${(error as Error).message}`, 'warning');
      }
    },
  };
}

/** Completions of a `/name args` line whose command completes its arguments, as whole lines. */
export function completeSlashArgs(agent: Agent | undefined, line: string): { label: string; detail?: string }[] {
  const parsed = parseSlash(line);
  if (!agent || !parsed?.command?.complete || !/\s/.test(line)) return [];
  return parsed.command.complete(agent, parsed.args).map((args) => ({ label: `/${parsed.command!.name} ${args}` }));
}

/** Commands whose names start with what is typed after `/` (for completion). */
export function completeSlash(prefix: string): SlashCommand[] {
  const typed = prefix.replace(/^\//, '');
  return SLASH_COMMANDS.filter((c) => c.name.startsWith(typed));
}

function helpText(mode: 'cli' | 'tui'): string {
  const width = Math.max(...SLASH_COMMANDS.map((c) => c.name.length + (c.args ? c.args.length + 1 : 0)));
  const commands = SLASH_COMMANDS.map((c) => `/${`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(width)}  ${c.summary}`);
  const keys = [
    'Enter submit · Shift+Enter, Alt+Enter, Ctrl+J or \\ then Enter: new line',
    'Esc interrupt · Ctrl+C clear / interrupt / exit · Ctrl+D exit on an empty prompt',
    'Up/Down history · Ctrl+R search history · Ctrl+B send the running tool to the background',
    'Ctrl+O expand tool output · Ctrl+L redraw · @path mention a file',
    '!cmd run a shell command; its output goes to the model with your next message',
    'Shift+Tab cycle the approval mode (default → auto-edit → plan → yolo; the footer shows it)',
    ...(mode === 'tui' ? ['tui: PageUp/PageDown or the wheel scroll the transcript · F2 side panes · Alt+←/→ move the pane border'] : []),
  ];
  return [...commands, '', ...keys].join('\n');
}
