/**
 * A creature embedded in an application, with a searchable memory: the app
 * feeds it the day's notes turn by turn (each run is recorded in a session
 * file), then finds the relevant ones again with vector search. The
 * `HashEmbedder` works offline and needs no model; swap in
 * `createEmbedder({ provider: 'api', model: 'text-embedding-3-small' })` for
 * real semantic vectors.
 *
 *   npm run build && node examples/code/embedding.ts --llm openai/gpt-5.4-mini
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Agent, HashEmbedder, searchSession, SessionStore, updateIndex, type Provider, type SearchHit } from 'kohakuterrarium';

export const NOTES = [
  'The database migration for invoices is scheduled for Thursday night.',
  'Marta is on holiday until the 14th; ask Ken about the payroll export.',
  'The staging server runs out of disk space every Monday; clean the build cache.',
];

export async function main(options: { llm?: string | Provider; dir?: string; query?: string; print?: (line: string) => void } = {}): Promise<SearchHit[]> {
  const print = options.print ?? console.log;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'kt-embed-'));
  const file = path.join(dir, 'notes.kohakutr');
  {
    await using agent = await Agent.build(
      { name: 'secretary', system_prompt: 'You acknowledge each note in one short sentence.' },
      { ...(options.llm ? { llm: options.llm } : {}), pwd: dir, session: file },
    );
    for (const note of NOTES) await agent.run(`Note: ${note}`);
  }
  // The agent is closed, so the file is free: index it with vectors, then search by meaning.
  const store = SessionStore.open(file);
  try {
    const embedder = new HashEmbedder();
    await updateIndex(store, { embedder });
    const hits = await searchSession(store, options.query ?? 'who handles payroll while Marta is away', { mode: 'semantic', k: 3, embedder });
    for (const hit of hits) print(`${hit.score.toFixed(3)}  ${hit.content.split('\n')[0]}`);
    return hits;
  } finally {
    store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { llm: { type: 'string' }, query: { type: 'string' } } });
  await main({ ...(values.llm ? { llm: values.llm } : {}), ...(values.query ? { query: values.query } : {}) });
}
