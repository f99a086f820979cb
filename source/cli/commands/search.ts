/**
 * `kt search <session|--all> "<query>"`: find things in saved sessions —
 * what was asked, said, run and found — by full text, embeddings, or both.
 * The session's index is brought up to date first (blocks, and vectors if
 * `kt embedding` chose a model for it).
 */
import { basename } from 'node:path';
import { sessionHome } from '../../engine/home.js';
import { SessionError, UsageError } from '../../engine/errors.js';
import { matchSessions, SESSION_EXTENSION } from '../../engine/session/listing.js';
import type { Embedder } from '../../engine/session/search/embeddings/provider.js';
import { searchAll, type SessionHit } from '../../engine/session/search/search-all.js';
import { SEARCH_MODES, searchSession, type SearchHit, type SearchMode } from '../../engine/session/search/search.js';
import { updateIndex } from '../../engine/session/search/update.js';
import { SessionStore } from '../../engine/session/store.js';
import { parseArgs } from '../args.js';
import { printJson } from '../table.js';

const HELP = `
Usage
  $ kt search <session> "<query>" [options]
  $ kt search --all "<query>" [options]

  Search a session's history: what was asked, said, run and found.
  <session> is a session file, or the start of a session's name in the
  session folder (the newest match is used).

Options
  --mode         fts (full text), semantic (embeddings), hybrid (both) or auto:
                 hybrid when the session has embeddings (kt embedding), else fts
  -k, --limit    How many hits (default 10)
  --creature     Only this creature and its sub-agents (swe), or sub-agents
                 of one name (explore, swe/explore)
  --all          Search every session in the session folder
  --json         Hits as JSON

Examples
  $ kt search swe_20260101 "auth bug"
  $ kt search --all "sqlite busy timeout" --mode fts -k 5
`;

/** Content shown per hit in text output. */
const SHOWN_CHARS = 200;

export async function searchCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, {
    mode: { type: 'string', default: 'auto' },
    limit: { type: 'number', shortFlag: 'k', default: 10 },
    creature: { type: 'string' },
    all: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, 'kt search');
  const { flags } = cli;
  const mode = flags.mode as SearchMode;
  if (!SEARCH_MODES.includes(mode)) throw new UsageError(`unknown --mode '${flags.mode}'; use ${SEARCH_MODES.join(', ')}`);
  const k = flags.limit;
  if (!Number.isInteger(k) || k < 1 || k > 1000) throw new UsageError(`-k must be a whole number from 1 to 1000, not ${String(k)}`);
  const [ref, ...words] = flags.all ? ['', ...cli.input] : cli.input;
  const query = words.join(' ').trim();
  if (!flags.all && !ref) throw new UsageError('which session? kt search <session> "<query>" (or --all)');
  if (!query) throw new UsageError('what to search for? kt search <session> "<query>"');
  const options = { mode, k, env: process.env, onNote: note, ...(flags.creature ? { creature: flags.creature } : {}) };

  if (flags.all) {
    const result = await searchAll(sessionHome(process.env), query, options);
    for (const warning of result.warnings) note(warning);
    return print(result.hits, query, flags.json);
  }
  const store = openSession(resolveSession(ref as string));
  try {
    const embedder = await update(store);
    const hits = await searchSession(store, query, { ...options, index: store.readonly, ...(embedder ? { embedder } : {}) });
    return print(hits, query, flags.json);
  } finally {
    store.close();
  }
}

/**
 * A session file from what the user typed: a path, or the start of a name
 * in the session folder. Several matches: the newest wins, and the others
 * are listed so the user can be more precise.
 */
export function resolveSession(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = sessionHome(env);
  const found = matchSessions(ref, dir);
  const [newest] = found;
  if (!newest) throw new SessionError(`no session matches '${ref}' (neither a file nor a session name in ${dir})`, { hint: 'give a path to a .kohakutr file or more of its name' });
  if (found.length > 1) {
    const others = found.slice(1, 6).map((f) => basename(f, SESSION_EXTENSION));
    note(`'${ref}' matches ${found.length} sessions; using the newest, ${basename(newest, SESSION_EXTENSION)} (also: ${others.join(', ')}${found.length > 6 ? ', …' : ''})`);
  }
  return newest;
}

/** Writable so the index can be updated; read-only when the file cannot be written (search what is indexed). */
function openSession(path: string): SessionStore {
  try {
    return SessionStore.open(path);
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    const store = SessionStore.open(path, { readonly: true });
    note(`${basename(path)} is not writable here, so its index was not updated`);
    return store;
  }
}

/** Index what is new; a file another process keeps locked is searched as it is. Returns the embedder it used, if any. */
async function update(store: SessionStore): Promise<Embedder | undefined> {
  try {
    return (await updateIndex(store, { env: process.env, onNote: note })).embedder;
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    note(`the index was not updated (${error.message}); searching what is indexed`);
    return undefined;
  }
}

function print(hits: Array<SearchHit | SessionHit>, query: string, json: boolean): number {
  if (json) {
    printJson(hits);
    return 0;
  }
  if (!hits.length) {
    process.stdout.write(`No matches for "${query}".\n`);
    return 0;
  }
  const out = hits.map((hit, i) => {
    const kind = hit.tool ? `${hit.kind}:${hit.tool}` : hit.kind;
    const where = 'sessionName' in hit ? `  ${hit.sessionName}` : '';
    return `#${i + 1}  [round ${hit.round}]  ${kind}  (${hit.creature})  ${hit.age}${where}\n    ${clip(hit.content)}\n`;
  });
  process.stdout.write(out.join('\n'));
  return 0;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SHOWN_CHARS ? `${line.slice(0, SHOWN_CHARS)}…` : line;
}

function note(message: string): void {
  process.stderr.write(`kt: ${message}\n`);
}
