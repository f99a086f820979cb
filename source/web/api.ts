/**
 * The dashboard's client for the server's HTTP API and session socket. Its
 * types come from the zod schemas in source/server/routes/schemas.ts (the
 * server's single source of truth, also published as /openapi.json); only
 * types cross over, so no zod code lands in the page bundle.
 */
import type { AgentEvent } from '../engine/events.js';

// The server's schemas are the one source of truth: the types are inferred from them (type-only
// imports, erased from the page bundle), so the page and the server cannot drift apart.
type Schemas = typeof import('../server/routes/schemas.js');
type Of<K extends keyof Schemas> = Schemas[K] extends import('zod').ZodType ? import('zod').output<Schemas[K]> : never;

export type Interaction = Of<'Interaction'>;
export type LiveSession = Of<'LiveSession'>;
export type SavedSession = Of<'SavedSession'>;
export type CatalogEntry = Of<'CatalogEntry'>;
export type Catalog = Of<'Catalog'>;
export type SearchHit = Of<'SearchHit'>;
export type SearchResult = Of<'SearchResult'>;
export type Model = Of<'Model'>;
export type Provider = Of<'Provider'>;
export type Problem = Of<'Problem'>;
export type Validation = Of<'Validation'>;
export type CreatureConfig = Of<'CreatureConfig'>;
export type SavedTurn = Of<'Turn'>;
export type SavedDetail = Of<'SavedDetail'>;
export type Me = Of<'Me'>;
export type StartSession = Of<'StartSession'>;
export type Topology = Of<'Topology'>;
export type Plugin = Of<'Plugin'>;
export type McpServer = Of<'McpServer'>;
export type McpServers = Of<'McpServers'>;
export type McpTest = Of<'McpTest'>;
export type AuthMode = Me['auth'];
// The Laboratory's view is defined next to its route (the server loads no lab code unless it hosts one).
type LabSchemas = typeof import('../server/routes/lab.js');
export type LabView = import('zod').output<LabSchemas['LabView']>;
export type LabWorker = LabView['workers'][number];
export type LabCreature = LabView['creatures'][number];
/** The socket and `/events` carry the engine's event union (the schema names only its envelope). */
export interface EventPage {
  events: AgentEvent[];
  lagged: number;
}

/** What the server said went wrong: its error body's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const API = '/api';

/**
 * A cookie session's CSRF token: the server hands it out at sign-in and on
 * `GET /auth/me`, and wants it back as `x-csrf-token` on every request that
 * changes something. Kept in memory only (a reload asks /auth/me again).
 */
let csrfToken: string | undefined;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const unauthorized = new Set<() => void>();

/** Called whenever the server answers 401: the page shows the sign-in form. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorized.add(listener);
  return () => unauthorized.delete(listener);
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken && UNSAFE.has(method)) headers['x-csrf-token'] = csrfToken;
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`${API}${path}`, init);
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    // A wrong password at sign-in is the form's own error, not a reason to show the form again.
    if (response.status === 401 && !path.startsWith('/auth/')) for (const listener of unauthorized) listener();
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.field);
  }
  return json as T;
}

/** Who is signed in; remembers the CSRF token it carries. A server without the auth routes has auth off. */
async function me(): Promise<Me> {
  try {
    const found = await call<Me>('GET', '/auth/me');
    csrfToken = found.csrfToken;
    return found;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { auth: 'off', user: null };
    throw error;
  }
}

export interface Credentials {
  username?: string;
  password?: string;
  token?: string;
}

async function login(credentials: Credentials): Promise<Me> {
  const signedIn = await call<Me>('POST', '/auth/login', credentials);
  csrfToken = signedIn.csrfToken;
  return signedIn;
}

async function logout(): Promise<void> {
  await call<{ ok: true }>('POST', '/auth/logout');
  csrfToken = undefined;
}

const enc = encodeURIComponent;

export const api = {
  me,
  login,
  logout,
  /** Create an account from an invitation code (then sign in with it). */
  acceptInvitation: (code: string, name: string, password: string) => call<unknown>('POST', '/auth/accept', { code, name, password }),
  catalog: () => call<Catalog>('GET', '/catalog'),
  liveSessions: () => call<{ sessions: LiveSession[] }>('GET', '/sessions'),
  /** Start a creature, or with `recipe` a terrarium (the root's session comes back). */
  startSession: (start: StartSession) => call<LiveSession>('POST', '/sessions', start),
  session: (id: string) => call<LiveSession>('GET', `/sessions/${enc(id)}`),
  sendInput: (id: string, text: string) => call<{ accepted: true; queued: boolean }>('POST', `/sessions/${enc(id)}/input`, { text }),
  interrupt: (id: string) => call<{ interrupted: boolean }>('POST', `/sessions/${enc(id)}/interrupt`),
  answer: (id: string, iid: string, reply: unknown) => call<{ answered: true }>('POST', `/sessions/${enc(id)}/interactions/${enc(iid)}`, { reply }),
  events: (id: string, since = 0) => call<EventPage>('GET', `/sessions/${enc(id)}/events?since=${since}`),
  savedSessions: () => call<{ sessions: SavedSession[]; skipped: number }>('GET', '/saved'),
  /** Every event of a saved session, oldest first, for the replay view. */
  savedEvents: (name: string) => call<EventPage>('GET', `/saved/${enc(name)}/events`),
  saved: (name: string) => call<SavedDetail>('GET', `/saved/${enc(name)}`),
  /** The team's topology (creatures, channels, listen/send, wires) of a session running a terrarium. */
  topology: (id: string) => call<Topology>('GET', `/sessions/${enc(id)}/topology`),
  /** A live session's plugins: loaded ones, then catalog ones not loaded yet. */
  plugins: (id: string) => call<{ plugins: Plugin[] }>('GET', `/sessions/${enc(id)}/plugins`),
  setPlugin: (id: string, name: string, enabled: boolean) => call<Plugin>('POST', `/sessions/${enc(id)}/plugins/${enc(name)}`, { enabled }),
  /** The global MCP catalog; env and header values come back masked. */
  mcpServers: () => call<McpServers>('GET', '/settings/mcp'),
  putMcpServer: (server: McpServer) => call<{ server: McpServer; replaced: boolean }>('POST', '/settings/mcp', server),
  deleteMcpServer: (name: string) => call<{ ok: true }>('DELETE', `/settings/mcp/${enc(name)}`),
  testMcpServer: (name: string) => call<McpTest>('POST', `/settings/mcp/${enc(name)}/test`),
  /** The lab's workers and the creatures placed on them (`lab: null` when the server hosts no lab). */
  lab: () => call<LabView>('GET', '/lab'),
  stopSession: (id: string) => call<{ stopped: true }>('DELETE', `/sessions/${enc(id)}`),
  search: (q: string, k = 20) => call<SearchResult>('GET', `/saved/search?q=${enc(q)}&k=${k}`),
  models: () => call<{ models: Model[] }>('GET', '/settings/models'),
  providers: () => call<{ providers: Provider[] }>('GET', '/settings/providers'),
  setKey: (provider: string, key: string) => call<{ provider: string; hasKey: boolean }>('PUT', `/settings/keys/${enc(provider)}`, { key }),
  removeKey: (provider: string) => call<{ provider: string; hasKey: boolean }>('DELETE', `/settings/keys/${enc(provider)}`),
  creatureConfig: (ref: string) => call<CreatureConfig>('GET', `/catalog/creature?ref=${enc(ref)}`),
  saveFile: (kind: 'creature' | 'recipe', yaml: string, path: string) => call<{ path: string; validation: Validation }>('PUT', '/editor/file', { kind, yaml, path }),
  validate: (kind: 'creature' | 'recipe', yaml: string) => call<Validation>('POST', '/editor/validate', { kind, yaml }),
};

/** Frames the page may send on a session's socket. */
export type ClientFrame = { type: 'input'; text: string } | { type: 'interrupt' } | { type: 'answer'; id: string; reply: unknown };

/** Frames the server sends besides events. */
export type ControlFrame = { type: 'socket.lagged'; dropped: number } | { type: 'socket.ready'; lastSeq: number };

export function socketUrl(id: string, since: number, where: Location = location): string {
  const scheme = where.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${where.host}${API}/sessions/${enc(id)}/socket?since=${since}`;
}
