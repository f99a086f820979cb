/**
 * `/context`: what fills the model's window — the system prompt, the tool
 * definitions, the messages by role, and the files the conversation read or
 * changed — as estimated tokens (characters / 4), against the window size
 * and the last count the provider gave.
 */
import type { Agent, Message } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';
import { formatTokens } from '../format.js';

/** A rough token count: about four characters a token for English and code. */
export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

function contentChars(content: Message['content']): number {
  if (typeof content === 'string') return content.length;
  return content.reduce((n, part) => n + (part.type === 'text' ? part.text.length : 1000 * 4), 0);
}

function pathIn(argumentsJson: string): string | undefined {
  try {
    const args = JSON.parse(argumentsJson) as Record<string, unknown>;
    const path = args['path'] ?? args['file_path'] ?? args['notebook_path'];
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

export interface ContextBreakdown {
  system: number;
  tools: number;
  byRole: Record<'user' | 'assistant' | 'tool', number>;
  files: Array<{ path: string; tokens: number }>;
}

/** Characters of each part of the window, estimated as tokens. */
export function contextBreakdown(agent: Agent): ContextBreakdown {
  const byRole = { user: 0, assistant: 0, tool: 0 };
  const fileOf = new Map<string, string>();
  const files = new Map<string, number>();
  for (const message of agent.messages) {
    if (message.role === 'system') continue;
    let chars = contentChars(message.content);
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) {
        chars += call.name.length + call.arguments.length;
        const path = pathIn(call.arguments);
        if (path) fileOf.set(call.id, path);
      }
    }
    if (message.role === 'tool') {
      const path = fileOf.get(message.toolCallId);
      if (path) files.set(path, (files.get(path) ?? 0) + estimateTokens(chars));
    }
    byRole[message.role] += estimateTokens(chars);
  }
  const tools = agent.toolSpecs.reduce((n, spec) => n + spec.name.length + spec.description.length + JSON.stringify(spec.parameters).length, 0);
  return {
    system: estimateTokens(agent.systemPrompt.length),
    tools: estimateTokens(tools),
    byRole,
    files: [...files].map(([path, tokens]) => ({ path, tokens })).sort((a, b) => b.tokens - a.tokens),
  };
}

const SHOWN_FILES = 8;

export const contextCommand: SlashCommand = {
  name: 'context',
  summary: 'What fills the context window',
  run(agent: Agent): CommandOutcome {
    const b = contextBreakdown(agent);
    const total = b.system + b.tools + b.byRole.user + b.byRole.assistant + b.byRole.tool;
    const window = agent.maxContext;
    const share = (n: number) => (window ? ` ${((n / window) * 100).toFixed(1).padStart(5)}%` : '');
    const row = (label: string, n: number) => `  ${label.padEnd(20)} ~${formatTokens(n).padStart(6)}${share(n)}`;
    const lines = [
      `${agent.model}: ~${formatTokens(total)} of ${window ? formatTokens(window) : 'an unknown'} window${window ? ` (${((total / window) * 100).toFixed(0)}%)` : ''}` +
        (agent.contextTokens ? `; the last call counted ${formatTokens(agent.contextTokens)}` : ''),
      row('system prompt', b.system),
      row(`tools (${agent.toolSpecs.length})`, b.tools),
      row('user messages', b.byRole.user),
      row('assistant messages', b.byRole.assistant),
      row('tool results', b.byRole.tool),
    ];
    if (window) lines.push(row('free', Math.max(0, window - total)));
    if (b.files.length) {
      lines.push('files', ...b.files.slice(0, SHOWN_FILES).map((f) => `  ${f.path} ~${formatTokens(f.tokens)}`));
      if (b.files.length > SHOWN_FILES) lines.push(`  … ${b.files.length - SHOWN_FILES} more`);
    }
    lines.push('(estimates: characters / 4)');
    return { kind: 'note', text: lines.join('\n') };
  },
};
