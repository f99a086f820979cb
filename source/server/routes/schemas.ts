/**
 * The HTTP API contract: every request and response shape, as zod schemas.
 * Routes validate with these and `/openapi.json` is generated from them, so
 * the dashboard (source/web/) and the property tests read one source of truth.
 */
import { z } from '@hono/zod-openapi';
import { mcpServerSchema } from '../../index.js';

/** Every error body: a stable code, a message, and the offending field when input was malformed. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'BAD_REQUEST' }),
      message: z.string(),
      field: z.string().optional().openapi({ description: 'Dotted path of the malformed input field' }),
      line: z.number().int().optional(),
    }),
  })
  .openapi('Error');

export const Health = z.object({ status: z.literal('ok'), pid: z.number().int(), uptimeMs: z.number() }).openapi('Health');
export const Ready = z
  .object({ ready: z.boolean(), checks: z.object({ store: z.boolean(), engine: z.boolean() }) })
  .openapi('Ready');

// ── catalog ──────────────────────────────────────────────────────────────
export const CatalogEntry = z
  .object({
    ref: z.string().openapi({ example: '@kt-biome/creatures/swe' }),
    name: z.string(),
    package: z.string(),
    source: z.string().openapi({ description: 'installed | linked | bundled' }),
  })
  .openapi('CatalogEntry');
export const Catalog = z
  .object({ creatures: z.array(CatalogEntry), terrariums: z.array(CatalogEntry), errors: z.array(z.string()) })
  .openapi('Catalog');
export const RefQuery = z.object({ ref: z.string().min(1).max(1000).openapi({ param: { name: 'ref', in: 'query' } }) });
export const CreatureConfig = z
  .object({
    ref: z.string(),
    name: z.string(),
    description: z.string().optional(),
    configFile: z.string().optional(),
    layers: z.array(z.string()),
    model: z.string().optional(),
    tools: z.array(z.string()),
    systemPrompt: z.string(),
    yaml: z.string().optional().openapi({ description: 'The config file text, for the editor' }),
  })
  .openapi('CreatureConfig');

// ── interactions and live sessions ───────────────────────────────────────
export const Interaction = z
  .object({ id: z.string(), kind: z.enum(['approval', 'ask', 'confirm', 'select']), payload: z.record(z.string(), z.unknown()) })
  .openapi('Interaction');
export const LiveSession = z
  .object({
    id: z.string().openapi({ description: 'The session id (also the WebSocket path segment)' }),
    name: z.string().openapi({ description: 'The saved-session name (file name without .kohakutr)' }),
    creature: z.string(),
    ref: z.string(),
    model: z.string(),
    state: z.enum(['idle', 'running', 'stopping', 'stopped']),
    startedAt: z.number(),
    lastSeq: z.number().int(),
    turns: z.number().int(),
    pending: z.array(Interaction),
    owner: z.string().optional(),
    team: z
      .object({ name: z.string(), members: z.array(z.object({ name: z.string(), id: z.string() })) })
      .optional()
      .openapi({ description: 'For a terrarium member: the team and every member session (stopping one stops the team)' }),
  })
  .openapi('LiveSession');
/** What needs an approval (answered as an `approval` interaction: `once`, `always` or `deny`); default `default`: edits and commands. */
export const ApprovalMode = z.enum(['default', 'auto-edit', 'plan', 'yolo']).openapi('ApprovalMode');
export const StartSession = z
  .object({
    creature: z.string().min(1).max(1000).optional().openapi({ example: '@kt-biome/creatures/general' }),
    recipe: z.string().min(1).max(1000).optional().openapi({ example: '@kt-biome/terrariums/pair_programming', description: 'Start a terrarium instead of one creature' }),
    llm: z.string().min(1).max(200).optional(),
    pwd: z.string().min(1).max(4096).optional().openapi({ description: 'Working folder (default: the server workspace)' }),
    approvalMode: ApprovalMode.optional(),
  })
  .strict()
  .refine((b) => Boolean(b.creature) !== Boolean(b.recipe), { message: 'give either creature or recipe', path: ['creature'] })
  .openapi('StartSession');
export const SessionParam = z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }) });
export const InteractionParam = SessionParam.extend({
  iid: z.string().min(1).max(200).openapi({ param: { name: 'iid', in: 'path' } }),
});
export const SendInput = z.object({ text: z.string().min(1).max(1_000_000) }).strict().openapi('SendInput');
export const InputAccepted = z.object({ accepted: z.literal(true), queued: z.boolean() }).openapi('InputAccepted');
export const Interrupted = z.object({ interrupted: z.boolean() }).openapi('Interrupted');
export const Stopped = z.object({ stopped: z.literal(true) }).openapi('Stopped');
export const Answer = z.object({ reply: z.unknown() }).openapi('Answer');
export const Answered = z.object({ answered: z.literal(true) }).openapi('Answered');
export const SinceQuery = z.object({
  since: z.coerce.number().int().min(0).optional().openapi({ param: { name: 'since', in: 'query' }, description: 'Only events with seq > since' }),
});
/** Events are the engine's union (source/engine/events.ts) as JSON; every one has `type` and `seq`. */
export const AgentEventJson = z.object({ type: z.string(), seq: z.number().int() }).passthrough().openapi('AgentEvent');
export const EventPage = z
  .object({ events: z.array(AgentEventJson), lagged: z.number().int().openapi({ description: 'Events older than the replay buffer that were skipped' }) })
  .openapi('EventPage');

// ── a live session's graph and plugins ───────────────────────────────────
export const Topology = z
  .object({
    team: z.string().optional().openapi({ description: "The terrarium's name; absent for a creature on its own (a graph of one)" }),
    creatures: z.array(
      z.object({
        name: z.string(),
        privileged: z.boolean(),
        parent: z.string().optional().openapi({ description: 'Who added it at run time' }),
        state: z.enum(['idle', 'running', 'stopping', 'stopped']),
        graph: z.string().optional().openapi({ description: 'The id of the team graph (connected part) it is in' }),
        session: z.string().optional().openapi({ description: 'Its live session id; absent for a member added at run time' }),
      }),
    ),
    channels: z.array(z.object({ name: z.string(), type: z.enum(['broadcast', 'queue']), description: z.string() })),
    listen: z.array(z.tuple([z.string(), z.string()])).openapi({ description: '[creature, channel] pairs' }),
    send: z.array(z.tuple([z.string(), z.string()])).openapi({ description: '[creature, channel] pairs' }),
    wires: z.array(
      z.object({
        id: z.string(),
        from: z.string(),
        to: z.string(),
        withContent: z.boolean(),
        prompt: z.string().optional(),
        promptFormat: z.enum(['simple', 'jinja']).optional(),
        allowSelfTrigger: z.boolean(),
      }),
    ),
    graphs: z.array(z.object({ id: z.string(), members: z.array(z.string()) })),
  })
  .openapi('Topology');
export const Plugin = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    priority: z.number(),
    description: z.string().optional(),
    loaded: z.boolean().openapi({ description: 'False for a catalog plugin not loaded yet (enabling loads it)' }),
  })
  .openapi('Plugin');
export const Plugins = z.object({ plugins: z.array(Plugin) }).openapi('Plugins');
export const PluginParam = SessionParam.extend({ name: z.string().min(1).max(200).openapi({ param: { name: 'name', in: 'path' } }) });
export const PluginChange = z
  .object({
    enabled: z.boolean().optional(),
    options: z.record(z.string(), z.unknown()).optional().openapi({ description: "Set the plugin up again with these options (validated by the plugin's schema)" }),
  })
  .strict()
  .refine((b) => b.enabled !== undefined || b.options !== undefined, { message: 'give enabled or options', path: ['enabled'] })
  .openapi('PluginChange');

// ── saved sessions ───────────────────────────────────────────────────────
export const SavedEventsQuery = z
  .object({
    since: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Only events after this event id' }),
    limit: z.coerce.number().int().min(1).max(20000).optional().openapi({ description: 'At most this many (default 5000)' }),
  })
  .openapi('SavedEventsQuery');

export const SavedSession = z
  .object({
    name: z.string(),
    sessionId: z.string(),
    creature: z.string(),
    lastActive: z.number(),
    turns: z.number().int(),
    firstPrompt: z.string().optional(),
    model: z.string().optional(),
    configRef: z.string(),
    live: z.boolean(),
  })
  .openapi('SavedSession');
export const SavedList = z.object({ sessions: z.array(SavedSession), skipped: z.number().int() }).openapi('SavedList');
export const NameParam = z.object({ name: z.string().min(1).max(300).openapi({ param: { name: 'name', in: 'path' } }) });
export const Turn = z
  .object({
    index: z.number().int(),
    input: z.string(),
    text: z.string(),
    status: z.string().optional(),
    startedAt: z.number(),
    toolCalls: z.array(z.object({ name: z.string(), args: z.unknown(), output: z.string().optional(), error: z.boolean() })),
  })
  .openapi('Turn');
export const SavedDetail = z
  .object({ session: SavedSession, pwd: z.string(), createdAt: z.number(), agents: z.array(z.string()), turns: z.array(Turn) })
  .openapi('SavedDetail');
export const SearchQuery = z.object({
  q: z.string().min(1).max(2000).openapi({ param: { name: 'q', in: 'query' } }),
  k: z.coerce.number().int().min(1).max(100).optional().openapi({ param: { name: 'k', in: 'query' } }),
});
export const SearchHit = z
  .object({ session: z.string(), eventId: z.number().int(), score: z.number(), text: z.string() })
  .openapi('SearchHit');
export const SearchResult = z.object({ hits: z.array(SearchHit), searched: z.number().int(), warnings: z.array(z.string()) }).openapi('SearchResult');
export const ForkBody = z.object({ upTo: z.number().int().min(1).optional() }).strict().openapi('Fork');
export const Forked = z.object({ name: z.string(), sessionId: z.string(), events: z.number().int(), upTo: z.number().int() }).openapi('Forked');
export const ResumeBody = z.object({ llm: z.string().min(1).max(200).optional(), approvalMode: ApprovalMode.optional() }).strict().openapi('Resume');

// ── identity and settings (keys are write-only) ──────────────────────────
export const Model = z
  .object({ id: z.string(), provider: z.string(), model: z.string(), maxContext: z.number().optional(), builtin: z.boolean() })
  .openapi('Model');
export const Models = z.object({ models: z.array(Model) }).openapi('Models');
export const Provider = z.object({ name: z.string(), type: z.string(), hasKey: z.boolean() }).openapi('Provider');
export const Providers = z.object({ providers: z.array(Provider) }).openapi('Providers');
export const ProviderParam = z.object({ provider: z.string().min(1).max(100).regex(/^[\w.-]+$/).openapi({ param: { name: 'provider', in: 'path' } }) });
export const SetKey = z.object({ key: z.string().min(1).max(4096) }).strict().openapi('SetKey');
export const KeyState = z.object({ provider: z.string(), hasKey: z.boolean() }).openapi('KeyState');

/** An MCP catalog entry, the engine's own schema (`kt config mcp`); `env` and `headers` values come back masked. */
// Extended (with nothing) here: the engine's instance predates the openapi extension of zod.
export const McpServer = mcpServerSchema.extend({}).openapi('McpServer');
export const McpServers = z.object({ servers: z.array(McpServer), file: z.string() }).openapi('McpServers');
export const McpPut = z.object({ server: McpServer, replaced: z.boolean() }).openapi('McpPut');
export const McpNameParam = z.object({ name: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/).openapi({ param: { name: 'name', in: 'path' } }) });
export const McpTest = z
  .object({ name: z.string(), ok: z.boolean(), tools: z.array(z.string()), error: z.string().optional() })
  .openapi('McpTest');

// ── editors ──────────────────────────────────────────────────────────────
export const EditorKind = z.enum(['creature', 'recipe']);
export const ValidateBody = z.object({ kind: EditorKind, yaml: z.string().max(1_000_000) }).strict().openapi('Validate');
export const Problem = z
  .object({ message: z.string(), line: z.number().int().optional(), column: z.number().int().optional(), key: z.string().optional() })
  .openapi('Problem');
export const Validation = z.object({ valid: z.boolean(), errors: z.array(Problem), warnings: z.array(Problem) }).openapi('Validation');
export const SaveBody = ValidateBody.extend({
  path: z.string().min(1).max(4096).openapi({ description: 'Target file, relative to the server workspace' }),
}).openapi('Save');
export const Saved = z.object({ path: z.string(), validation: Validation }).openapi('SavedFile');

// ── auth ─────────────────────────────────────────────────────────────────
export const Role = z.enum(['admin', 'user']);
export const User = z.object({ name: z.string(), role: Role, createdAt: z.number() }).openapi('User');
export const Me = z
  .object({ auth: z.enum(['off', 'token', 'password', 'users']), user: User.nullable(), csrfToken: z.string().optional() })
  .openapi('Me');
export const Login = z
  .object({
    username: z.string().min(1).max(100).optional(),
    password: z.string().min(1).max(1000).optional(),
    token: z.string().min(1).max(1000).optional(),
  })
  .strict()
  .openapi('Login');
export const UserName = z.string().min(1).max(64).regex(/^[a-zA-Z0-9_.-]+$/);
export const AddUser = z.object({ name: UserName, password: z.string().min(8).max(1000), role: Role.default('user') }).strict().openapi('AddUser');
export const Users = z.object({ users: z.array(User) }).openapi('Users');
export const UserParam = z.object({ name: UserName.openapi({ param: { name: 'name', in: 'path' } }) });
export const Invitation = z.object({ code: z.string(), role: Role, expiresAt: z.number() }).openapi('Invitation');
export const Invite = z.object({ role: Role.default('user') }).strict().openapi('Invite');
export const AcceptInvitation = z.object({ code: z.string().min(1).max(200), name: UserName, password: z.string().min(8).max(1000) }).strict().openapi('AcceptInvitation');
export const Ok = z.object({ ok: z.literal(true) }).openapi('Ok');

/**
 * WebSocket `/api/sessions/{id}/socket?since=<seq>`: the server sends each
 * AgentEvent as one JSON text frame, oldest first, no gaps or repeats after
 * `since`. Control frames the server may send: `{type:'socket.lagged', dropped}`
 * (the client fell behind; reconnect with since), `{type:'socket.ready', lastSeq}`
 * after the replay. The client may send `{type:'input', text}`,
 * `{type:'interrupt'}` or `{type:'answer', id, reply}`; anything else closes
 * the socket with code 1003 and a reason.
 */
export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), text: z.string().min(1).max(1_000_000) }),
  z.object({ type: z.literal('interrupt') }),
  z.object({ type: z.literal('answer'), id: z.string().min(1), reply: z.unknown() }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
