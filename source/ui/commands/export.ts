/**
 * `/export [file]`: the conversation as a markdown file (user and assistant
 * messages, tool calls with their arguments and results), written to the
 * working folder unless a path is given; the path is printed.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Agent, Message } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';

/** A fence longer than any run of backticks in `text`, so the block cannot end early. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function textOf(content: Message['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n');
}

function argsOf(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** The conversation as markdown. */
export function transcriptMarkdown(agent: Agent, now = new Date()): string {
  const out = [`# ${agent.name} — ${now.toISOString().slice(0, 16).replace('T', ' ')}`, '', `Model: ${agent.model} · Folder: ${agent.cwd}${agent.sessionPath ? ` · Session: ${agent.sessionPath}` : ''}`];
  for (const message of agent.messages) {
    if (message.role === 'system') continue;
    if (message.role === 'user') out.push('', '## User', '', textOf(message.content));
    else if (message.role === 'assistant') {
      if (message.content.trim()) out.push('', '## Assistant', '', message.content);
      for (const call of message.toolCalls ?? []) out.push('', `**Tool call: \`${call.name}\`**`, '', fenced(argsOf(call.arguments), 'json'));
    } else out.push('', `**Result of \`${message.name}\`${message.isError ? ' (error)' : ''}:**`, '', fenced(textOf(message.content)));
  }
  return `${out.join('\n')}\n`;
}

function defaultName(agent: Agent, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `kt-${agent.name.replace(/[^\w.-]+/g, '_')}-${stamp}.md`;
}

export const exportCommand: SlashCommand = {
  name: 'export',
  args: '[file]',
  summary: 'Write the conversation to a markdown file',
  run(agent: Agent, args: string): CommandOutcome {
    const userMessages = agent.messages.filter((m) => m.role === 'user').length;
    if (userMessages === 0) return { kind: 'note', tone: 'warning', text: 'Nothing to export yet.' };
    const now = new Date();
    const path = resolve(agent.cwd, args.trim() || defaultName(agent, now));
    try {
      writeFileSync(path, transcriptMarkdown(agent, now));
    } catch (error) {
      return { kind: 'note', tone: 'error', text: `could not write ${path}: ${(error as Error).message}` };
    }
    return { kind: 'note', text: `Exported ${userMessages} message${userMessages === 1 ? '' : 's'} to ${path}` };
  },
};
