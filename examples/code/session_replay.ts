/**
 * Replaying a session: every run can write its events to a `.kohakutr`
 * file, and `SessionReader` reads one back — turns with their tool calls,
 * the conversation the creature had, or the raw events — also while another
 * process still writes it. Here one creature records a short session, then
 * the reader prints it as a transcript.
 *
 *   npm run build && node examples/code/session_replay.ts --llm openai/gpt-5.4-mini
 *   node examples/code/session_replay.ts --session ~/.kohakuterrarium/sessions/<name>.kohakutr
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Agent, SessionReader, type Provider } from 'kohakuterrarium';

/** Run two turns with a session file; returns the file's path. */
export async function record(options: { llm?: string | Provider; dir: string }): Promise<string> {
  const file = path.join(options.dir, 'demo.kohakutr');
  await using agent = await Agent.build(
    { name: 'lister', system_prompt: 'You answer questions about the files in the working folder.', tools: ['glob', 'read'] },
    { ...(options.llm ? { llm: options.llm } : {}), pwd: options.dir, session: file },
  );
  await agent.run('Which files are here?');
  await agent.run('Thanks. Anything else to know?');
  return file;
}

/** The session as transcript lines: each turn, its tool calls, its answer. */
export function replay(file: string): string[] {
  using reader = new SessionReader(file);
  const lines: string[] = [];
  for (const turn of reader.turns()) {
    lines.push(`#${turn.index} › ${turn.userText}`);
    for (const call of turn.toolCalls) lines.push(`  ${call.error ? '✗' : '✓'} ${call.name} ${JSON.stringify(call.args)}`);
    lines.push(`  ${turn.assistantText.replace(/\n/g, '\n  ')}`);
  }
  lines.push(`(${reader.conversation().length} messages in the conversation)`);
  return lines;
}

export async function main(options: { llm?: string | Provider; session?: string; dir?: string; print?: (line: string) => void } = {}): Promise<string[]> {
  const file = options.session ?? (await record({ ...(options.llm ? { llm: options.llm } : {}), dir: options.dir ?? mkdtempSync(path.join(tmpdir(), 'kt-replay-')) }));
  const lines = replay(file);
  for (const line of lines) (options.print ?? console.log)(line);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { llm: { type: 'string' }, session: { type: 'string' } } });
  await main({ ...(values.llm ? { llm: values.llm } : {}), ...(values.session ? { session: values.session } : {}) });
}
