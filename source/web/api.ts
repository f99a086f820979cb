/**
 * The dashboard's client for the server's HTTP API and session socket. Shapes
 * mirror the zod schemas in source/server/routes/schemas.ts (the server's
 * single source of truth, also published as /openapi.json); only types cross
 * over, so no zod code lands in the page bundle.
 */
import type { AgentEvent } from '../engine/events.js';
import type { TopologyData } from './state/graph.js';

export interface Interaction {
  id: string;
  kind: 'approval' | 'ask' | 'confirm' | 'select';
  payload: Record<string, unknown>;
}
export interface LiveSession {
  id: string;
  name: string;
  creature: string;
  ref: string;
  model: string;
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  startedAt: number;
  lastSeq: number;
  turns: number;
  pending: Interaction[];
  owner?: string;
}
export interface SavedSession {
  name: string;
  sessionId: string;
  creature: string;
  lastActive: number;
  turns: number;
  firstPrompt?: string;
  model?: string;
  configRef: string;
  live: boolean;
}
export interface CatalogEntry {
  ref: string;
  name: string;
  package: string;
  source: string;
}
export interface Catalog {
  creatures: CatalogEntry[];
  terrariums: CatalogEntry[];
  errors: string[];
}
export interface SearchHit {
  session: string;
  eventId: number;
  score: number;
  text: string;
}
export interface SearchResult {
  hits: SearchHit[];
  searched: number;
  warnings: string[];
}
export interface Model {
  id: string;
  provider: string;
  model: string;
  maxContext?: number;
  builtin: boolean;
}
export interface Provider {
  name: string;
  type: string;
  hasKey: boolean;
}
export interface Problem {
  message: string;
  line?: number;
  column?: number;
  key?: string;
}
export interface Validation {
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
}
export interface CreatureConfig {
  ref: string;
  name: string;
  description?: string;
  configFile?: string;
  layers: string[];
  model?: string;
  tools: string[];
  systemPrompt: string;
  yaml?: string;
}
export interface SavedTurn {
  index: number;
  input: unknown;
  text: string;
  status?: string;
  toolCalls: Array<{ name: string; args: unknown; output?: string; status?: string }>;
}
export interface SavedDetail {
  session: SavedSession;
  pwd: string;
  createdAt: number;
  agents: string[];
  turns: SavedTurn[];
}
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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`${API}${path}`, init);
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.field);
  }
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  catalog: () => call<Catalog>('GET', '/catalog'),
  liveSessions: () => call<{ sessions: LiveSession[] }>('GET', '/sessions'),
  startSession: (creature: string, llm?: string) => call<LiveSession>('POST', '/sessions', { creature, ...(llm ? { llm } : {}) }),
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
  topology: (id: string) => call<TopologyData>('GET', `/sessions/${enc(id)}/topology`),
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
