/**
 * `kt embedding <session>`: build a session's search index — full text and
 * vectors — and remember the embedding choice, so `kt search` and the
 * `search_memory` tool embed queries the same way and keep new blocks
 * embedded.
 */
import { AbortReason, UsageError } from '../../engine/errors.js';
import { createEmbedder, readEmbeddingConfig, saveEmbeddingConfig, type EmbedderRequest } from '../../engine/session/search/embeddings/create.js';
import type { EmbeddingConfig } from '../../engine/session/search/embeddings/provider.js';
import { indexAndEmbed } from '../../engine/session/search/embed-thread.js';
import { blocksByCreature } from '../../engine/session/search/index.js';
import { vectorInfo } from '../../engine/session/search/vectors.js';
import { SessionStore } from '../../engine/session/store.js';
import { parseArgs } from '../args.js';
import { EXIT } from '../exit.js';
import { table } from '../table.js';
import { resolveSession } from './search.js';

const HELP = `
Usage
  $ kt embedding <session> [--provider hash|api] [--model M] [--dimensions N]

  Index a session for kt search: full text, plus vectors from an embedding
  model. <session> is a session file, or the start of a session's name.
  Run it again to add what the session logged since; the choice of model
  is remembered.

Options
  --provider     hash: offline and instant, but lexical (matches words and
                 word pieces, not meaning). api: an embedding model behind an
                 OpenAI-compatible /embeddings endpoint or the Gemini API
                 (sends the session's text to it).
                 Default: the session's last choice, else hash.
  --model        For api: the model, default text-embedding-3-small; name
                 another provider with provider/model (ollama/nomic-embed-text,
                 gemini/gemini-embedding-001)
  --dimensions   Vector width (hash: default 256; api: ask the model for it)

Examples
  $ kt embedding swe_20260101
  $ kt embedding swe_20260101 --provider api --model text-embedding-3-large --dimensions 1024
  $ kt embedding swe_20260101 --provider api --model gemini/gemini-embedding-001 --dimensions 768
`;

export async function embeddingCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, {
    provider: { type: 'string' },
    model: { type: 'string' },
    dimensions: { type: 'number' },
  }, 'kt embedding');
  const [ref, extra] = cli.input;
  if (!ref) throw new UsageError('which session? kt embedding <session>');
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'; kt embedding takes one session`);
  const { model, dimensions } = cli.flags;
  const provider = cli.flags.provider;
  if (provider !== undefined && !isProvider(provider)) throw new UsageError(`unknown --provider '${provider}'; use hash or api`);
  if (dimensions !== undefined && (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 8192)) {
    throw new UsageError(`--dimensions must be a whole number from 8 to 8192, not ${dimensions}`);
  }

  const path = resolveSession(ref);
  const store = SessionStore.open(path);
  const controller = new AbortController();
  const interrupt = () => controller.abort(new AbortReason('interrupted'));
  process.once('SIGINT', interrupt);
  try {
    const flags = { ...(provider ? { provider } : {}), ...(model ? { model } : {}), ...(dimensions !== undefined ? { dimensions } : {}) };
    const { embedder, config } = await createEmbedder(requestFor(flags, readEmbeddingConfig(store)), { env: process.env, signal: controller.signal });
    saveEmbeddingConfig(store, config);
    const progress = process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\rEmbedding blocks: ${done}/${total}`) : undefined;
    try {
      // Indexes, and embeds what it indexes meanwhile (on a second thread for the hash embedder).
      await indexAndEmbed(store, embedder, config, { signal: controller.signal, ...(progress ? { onProgress: progress } : {}) });
    } finally {
      if (progress) process.stderr.write('\n');
    }
    report(store, config);
    return EXIT.ok;
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    const kept = vectorInfo(store)?.count ?? 0;
    process.stderr.write(`kt: interrupted; ${kept} blocks have vectors, run kt embedding again to continue\n`);
    return EXIT.interrupted;
  } finally {
    process.off('SIGINT', interrupt);
    store.close();
  }
}

function isProvider(name: string): name is 'hash' | 'api' {
  return name === 'hash' || name === 'api';
}

/**
 * Flags over the saved choice: an explicit provider (or a model, which
 * means api) starts from the flags; otherwise the saved config is reused,
 * with --dimensions applied to it.
 */
function requestFor(flags: { provider?: 'hash' | 'api'; model?: string; dimensions?: number }, saved: EmbeddingConfig | undefined): EmbedderRequest {
  const provider = flags.provider ?? (flags.model ? 'api' : (saved?.provider ?? 'hash'));
  const same = saved?.provider === provider && (flags.model === undefined || flags.model === saved.model);
  if (same && saved && flags.dimensions === undefined) return saved;
  const model = flags.model ?? (same ? saved?.model : undefined);
  const backend = same ? saved?.backend : undefined;
  return { provider, ...(model ? { model } : {}), ...(backend ? { backend } : {}), ...(flags.dimensions !== undefined ? { dimensions: flags.dimensions } : {}) };
}

/** Per-creature block counts, then the totals line of the original: `FTS: n blocks, Vector: m blocks (d-dim)`. */
function report(store: SessionStore, config: EmbeddingConfig): void {
  const counts = blocksByCreature(store);
  const rows = counts.map((r) => [`  ${r.creature}`, `${r.blocks} blocks`]);
  const blocks = counts.reduce((sum, r) => sum + r.blocks, 0);
  const vectors = vectorInfo(store);
  const model = config.provider === 'hash' ? `${config.model} (offline, lexical)` : `${config.backend ?? 'openai'}/${config.model}`;
  process.stdout.write(`Session: ${store.path}\n`);
  if (rows.length) process.stdout.write(table(rows));
  process.stdout.write(`Embedding: ${model}\n`);
  process.stdout.write(`FTS: ${blocks} blocks, Vector: ${vectors?.count ?? 0} blocks (${config.dimensions}-dim)\n`);
}
