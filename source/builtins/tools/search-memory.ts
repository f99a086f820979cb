/**
 * `search_memory`: the creature searches its own session history — earlier
 * requests, its own answers, tool calls and their results — including what
 * compaction has dropped from its context.
 *
 * The session file comes from the tool session's state (`session.path`,
 * set by the session layer). Each call opens the file, indexes what was
 * logged since the last call (and embeds it, if the session has an
 * embedding config from `kt embedding`), searches and closes it again: a
 * connection costs about a millisecond, and nothing stays open when the
 * creature's session ends. The search code loads on first use, so creatures
 * that never search do not pay for it.
 */
import { z } from 'zod';
import { KTError, ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import type { SearchHit } from '../../engine/session/search/search.js';
import type { SessionStore } from '../../engine/session/store.js';

/** The tool-session state key under which the session layer puts the session file's path. */
export const SESSION_PATH_KEY = 'session.path';

/** Content shown per hit. */
const SHOWN_CHARS = 500;

const input = builtinInput('search-memory', () =>
  z.object({
  query: z.string().min(1).describe('What to look for: words, a "quoted phrase", or a question.'),
  mode: z
    .enum(['fts', 'semantic', 'hybrid', 'auto'])
    .default('auto')
    .describe('"fts": exact words (stemmed). "semantic": by embedding similarity. "hybrid": both. "auto" (default): hybrid when the session has embeddings, else fts.'),
  k: z.number().int().min(1).max(50).default(5).describe('How many results. Default: 5.'),
  creature: z.string().min(1).optional().describe('Only blocks of this creature or sub-agent (e.g. "explore"); default: all.'),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = "Search this session's history (earlier messages, answers, tool calls and results), including parts no longer in context.";

const DOC = `Search the history of the current session: what the user asked, what you answered, which tools ran with which arguments and what they returned, and trigger messages — also the parts that compaction removed from your context.

Results are listed best first as \`#i [round R] kind[:tool] (creature) age\` followed by the content (up to ${SHOWN_CHARS} characters). A round is one user request (or trigger) and everything done for it.

- \`mode\`: \`fts\` matches words (stemmed: "running" finds "run"); quote a phrase to match it exactly. \`semantic\` and \`hybrid\` need embeddings (the user runs \`kt embedding\`); \`auto\` uses them when present.
- \`k\`: number of results (default 5).`;

export const searchMemoryTool: ToolFactory = {
  name: 'search_memory',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'search_memory',
      description: DESCRIPTION,
      doc: DOC,
      input,
      execute: (args, ctx) => searchMemory(args, ctx),
    }),
};

async function searchMemory(args: Args, ctx: ToolContext): Promise<string> {
  const path = ctx.session.state.get(SESSION_PATH_KEY);
  if (typeof path !== 'string' || !path) {
    throw new ToolError('this creature has no saved session, so there is no history to search (sessions are off for this run)', { tool: 'search_memory' });
  }
  const [{ SessionStore }, { updateIndex }, { searchSession }] = await Promise.all([
    import('../../engine/session/store.js'),
    import('../../engine/session/search/update.js'),
    import('../../engine/session/search/search.js'),
  ]);
  const notes: string[] = [];
  const onNote = (message: string) => notes.push(message);
  try {
    const store = open(SessionStore, path);
    try {
      // Indexing needs the file writable; a session opened read-only is searched as it is.
      const update = store.readonly ? undefined : await updateIndex(store, { env: ctx.env, signal: ctx.signal, onNote });
      const hits = await searchSession(store, args.query, {
        mode: args.mode,
        k: args.k,
        env: ctx.env,
        signal: ctx.signal,
        index: store.readonly,
        onNote,
        ...(args.creature ? { creature: args.creature } : {}),
        ...(update?.embedder ? { embedder: update.embedder } : {}),
      });
      return format(hits, args.query, notes);
    } finally {
      store.close();
    }
  } catch (error) {
    if (ctx.signal.aborted || !(error instanceof KTError)) throw error;
    throw new ToolError(error.hint ? `${error.message} (${error.hint})` : error.message, { tool: 'search_memory', cause: error });
  }
}

function open(Store: typeof SessionStore, path: string): SessionStore {
  try {
    return Store.open(path);
  } catch {
    return Store.open(path, { readonly: true });
  }
}

function format(hits: SearchHit[], query: string, notes: string[]): string {
  const tail = notes.length ? `\n\n${notes.map((n) => `[${n}]`).join('\n')}` : '';
  if (!hits.length) return `No matches for "${query}" in this session's history.${tail}`;
  const body = hits.map((hit, i) => {
    const kind = hit.tool ? `${hit.kind}:${hit.tool}` : hit.kind;
    const content = hit.content.length > SHOWN_CHARS ? `${hit.content.slice(0, SHOWN_CHARS)}…` : hit.content;
    return `#${i + 1} [round ${hit.round}] ${kind} (${hit.creature}) ${hit.age}\n${content}`;
  });
  return `${body.join('\n\n')}${tail}`;
}
