/**
 * A plugin written in code: it keeps an audit trail of every tool call and
 * refuses edits outside `notes/`. The refusal is a `PluginBlockError`, so
 * the model reads why and can change course; the trail comes back to the
 * caller, who owns the plugin's storage.
 *
 *   npm run build && node examples/code/plugin.ts --llm openai/gpt-5.4-mini
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Agent, plugin, PluginBlockError, type Provider, type TurnResult } from 'kohakuterrarium';

export interface AuditEntry {
  tool: string;
  ok: boolean;
}

/** One definition, options checked by zod; `setup` runs once per creature and returns its hooks. */
export function notesOnly(trail: AuditEntry[]) {
  return plugin({
    name: 'notes-only',
    priority: 10,
    options: z.object({ folder: z.string().default('notes') }),
    setup: (ctx) => {
      const allowed = path.resolve(ctx.cwd, ctx.options.folder);
      return {
        preToolExecute(args, info) {
          if (info.effect !== 'edit') return;
          const target = path.resolve(ctx.cwd, String((args as { path?: unknown }).path ?? ''));
          if (target !== allowed && !target.startsWith(allowed + path.sep)) {
            throw new PluginBlockError(`${info.toolName} may only change files under ${ctx.options.folder}/ here`);
          }
        },
        postToolExecute(result, info) {
          trail.push({ tool: info.toolName, ok: !result.isError });
        },
      };
    },
  });
}

export async function main(options: { llm?: string | Provider; pwd: string; prompt?: string; print?: (line: string) => void }): Promise<{ result: TurnResult; trail: AuditEntry[] }> {
  const print = options.print ?? console.log;
  mkdirSync(path.join(options.pwd, 'notes'), { recursive: true });
  const trail: AuditEntry[] = [];
  await using agent = await Agent.build(
    { name: 'scribe', system_prompt: 'You keep notes in the notes/ folder.', tools: ['write', 'read', 'glob'] },
    { ...(options.llm ? { llm: options.llm } : {}), pwd: options.pwd, plugins: [notesOnly(trail)] },
  );
  const result = await agent.run(options.prompt ?? 'Write a note saying the meeting moved to Friday.');
  print(result.text);
  for (const entry of trail) print(`${entry.ok ? '✓' : '✗'} ${entry.tool}`);
  return { result, trail };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { llm: { type: 'string' } } });
  await main({ pwd: process.cwd(), ...(values.llm ? { llm: values.llm } : {}) });
}
