/**
 * The studio: the management facade over the engine's public API that the
 * HTTP server (and any other host) drives. It holds no reasoning of its own:
 * it starts, lists and stops creatures, reads and forks saved sessions, and
 * manages models, keys and config files. Every call names its owner (a user
 * name, or undefined on a single-user server); a session of one owner is
 * invisible to every other, so lookups across owners are plain "not found".
 */
import { existsSync, mkdirSync, accessSync, constants } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { Agent, forkSession, type McpServerConfig, loadCreature, UsageError, type ApprovalMode, LAB_SESSION_FOLDER, listSessions, newSessionPath, searchAll, SessionReader, sessionHome, type Env, type Provider } from '../../index.js';
import { listCatalog, creatureConfig } from './catalog.js';
import { saveConfig, validateConfig, type EditorKind } from './editors.js';
import { NotFoundError } from './errors.js';
import { LiveSession } from './live-session.js';
import { resumeAgent } from './resume.js';
import { hostVault, listModels, listProviders, userVault, type KeyVault } from './settings.js';
import { savedDetail, savedSummary } from './saved.js';
import { hostTeam, type HostedTeam } from './team.js';
import { soloTopology, teamTopology, type TopologyView } from './topology.js';
import { deleteMcp, listMcp, putMcp, testMcp } from './mcp.js';
import { changePlugin, listPlugins } from './plugins.js';

export interface StudioOptions {
  env?: Env;
  /** Where saved sessions go (default: KT_SESSION_DIR or the config home's sessions/). With owners, each has a subfolder. */
  sessionDir?: string;
  /** The default working folder of started creatures, and the root the editors may save under. */
  workspace?: string;
  /** Every creature runs on this model (tests pass a scripted provider); otherwise each request's or the config's. */
  llm?: string | Provider | (() => Provider);
  /** Events per live session kept in memory for reconnects (default 20,000); older ones are read from the session file. */
  replayBuffer?: number;
  /** Failures of turns that nobody awaits (a turn started over HTTP). */
  onTurnError?: (error: unknown, sessionId: string) => void;
  /** Things a client should not fail on but an operator may want to know (a resumed session's model is gone). */
  onWarning?: (text: string, about: string) => void;
}

const SESSION_SUFFIX = '.kohakutr';
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

export class Studio {
  readonly env: Env;
  readonly workspace: string;
  private readonly baseDir: string;
  private readonly live = new Map<string, LiveSession>();
  private readonly teams = new Set<HostedTeam>();
  private closing = false;

  constructor(private readonly options: StudioOptions = {}) {
    this.env = options.env ?? process.env;
    this.workspace = resolve(options.workspace ?? process.cwd());
    this.baseDir = resolve(options.sessionDir ?? sessionHome(this.env));
  }

  /** The saved-session folder of an owner. */
  sessionDir(owner?: string): string {
    return owner ? join(this.baseDir, 'users', owner) : this.baseDir;
  }

  // ── catalog ──
  catalog() {
    return listCatalog(this.env);
  }

  creature(ref: string) {
    return creatureConfig(ref, this.env, this.workspace);
  }

  // ── live sessions ──
  /** Start a creature, or (with `recipe`) a terrarium; for a team, the root's (else the first member's) session comes back. */
  async start(request: { creature?: string | undefined; recipe?: string | undefined; llm?: string | undefined; pwd?: string | undefined; approvalMode?: ApprovalMode | undefined }, owner?: string): Promise<LiveSession> {
    this.assertOpen();
    const dir = this.sessionDir(owner);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pwd = this.inWorkspace(request.pwd ?? '.', 'pwd');
    if (request.recipe) {
      const recipe = request.recipe.startsWith('@') ? request.recipe : this.inWorkspace(request.recipe, 'recipe');
      return this.hostTeam({ recipe, sessionDir: dir }, pwd, this.llm(request.llm), owner, request.approvalMode);
    }
    if (!request.creature) throw new UsageError('give a creature or a recipe to start');
    const label = request.creature.split('/').filter(Boolean).pop() ?? 'creature';
    const path = newSessionPath(dir, label);
    const llm = this.llm(request.llm);
    // Relative references start at the workspace (not the server process's cwd), as the catalog's do.
    const ref = request.creature.startsWith('@') ? request.creature : this.inWorkspace(request.creature, 'creature');
    const definition = loadCreature(ref, { cwd: this.workspace, env: this.envFor(owner) });
    const agent = await Agent.build(definition, {
      ...(llm ? { llm } : {}),
      pwd,
      session: path,
      newSession: true,
      sessionRef: request.creature,
      input: 'none',
      env: this.envFor(owner),
    });
    return this.host(agent, request.creature, path, owner, request.approvalMode);
  }

  /** Open a saved session as a live one again (it goes on writing into its file). */
  async resume(name: string, request: { llm?: string | undefined; approvalMode?: ApprovalMode | undefined }, owner?: string): Promise<LiveSession> {
    this.assertOpen();
    const path = this.savedPath(name, owner);
    const running = [...this.live.values()].find((s) => this.pathOf(s) === path);
    if (running) return running;
    const llm = this.llm(request.llm);
    const kind = (() => {
      using reader = new SessionReader(path);
      return { kind: reader.meta.kind, pwd: reader.meta.pwd };
    })();
    if (kind.kind === 'terrarium') return this.hostTeam({ resume: path }, kind.pwd, llm, owner, request.approvalMode);
    const { agent, ref } = await resumeAgent(path, { llm, env: this.envFor(owner), warn: (text) => this.options.onWarning?.(text, name) });
    return this.host(agent, ref, path, owner, request.approvalMode);
  }

  sessions(owner?: string): LiveSession[] {
    return [...this.live.values()].filter((s) => s.owner === owner);
  }

  session(id: string, owner?: string): LiveSession {
    const session = this.live.get(id);
    if (!session || session.owner !== owner) throw new NotFoundError(`session '${id}'`);
    return session;
  }

  answer(id: string, interactionId: string, reply: unknown, owner?: string): void {
    const session = this.session(id, owner);
    if (!session.agent.respond(interactionId, reply)) throw new NotFoundError(`interaction '${interactionId}'`);
  }

  async stop(id: string, owner?: string): Promise<void> {
    const session = this.session(id, owner);
    const team = this.teamOf(session);
    if (team) return this.stopTeam(team);
    this.live.delete(id);
    await session.stop('stopped from the studio');
  }

  /** The session's team graph (a creature alone: a graph of one). */
  topology(id: string, owner?: string): TopologyView {
    const session = this.session(id, owner);
    const team = this.teamOf(session);
    return team ? teamTopology(team) : soloTopology(session);
  }

  plugins(id: string, owner?: string) {
    return listPlugins(this.session(id, owner).agent);
  }

  plugin(id: string, name: string, change: Parameters<typeof changePlugin>[2], owner?: string) {
    return changePlugin(this.session(id, owner).agent, name, change);
  }

  private teamOf(session: LiveSession): HostedTeam | undefined {
    return [...this.teams].find((t) => t.sessions.includes(session));
  }

  private async stopTeam(team: HostedTeam): Promise<void> {
    this.teams.delete(team);
    for (const s of team.sessions) this.live.delete(s.id);
    try {
      await team.terrarium.shutdown();
    } finally {
      for (const s of team.sessions) s.release();
    }
  }

  private async hostTeam(source: Parameters<typeof hostTeam>[0], pwd: string, llm: string | Provider | undefined, owner: string | undefined, approvalMode: ApprovalMode = 'default'): Promise<LiveSession> {
    const team = await hostTeam(source, { pwd, env: this.envFor(owner), llm, owner, approvalMode, replayBuffer: this.options.replayBuffer, onTurnError: (error, id) => this.options.onTurnError?.(error, id) });
    this.teams.add(team);
    for (const s of team.sessions) this.live.set(s.id, s);
    const first = team.sessions.find((s) => s.agent.name === 'root') ?? team.sessions[0];
    if (!first) {
      await this.stopTeam(team);
      throw new UsageError('the recipe has no creatures');
    }
    return first;
  }

  /** The session file a live session writes to (a team member's is the team's). */
  private pathOf(session: LiveSession): string | undefined {
    const team = this.teamOf(session);
    return team ? team.terrarium.sessionPath : session.agent.sessionPath;
  }

  // ── saved sessions ──
  saved(owner?: string) {
    const { sessions, skipped } = listSessions(this.sessionDir(owner));
    const livePaths = new Set([...this.live.values()].map((s) => this.pathOf(s)));
    return { sessions: sessions.map((s) => savedSummary(s, livePaths.has(s.path))), skipped: skipped.length };
  }

  savedSession(name: string, owner?: string) {
    const path = this.savedPath(name, owner);
    const live = [...this.live.values()].some((s) => this.pathOf(s) === path);
    return savedDetail(path, live);
  }

  /** A saved session's events in log order (the dashboard's replay view scrubs through them), `limit` at a time after `since`. */
  savedEvents(name: string, since: number, limit: number, owner?: string) {
    const path = this.savedPath(name, owner);
    using reader = new SessionReader(path);
    const events: unknown[] = [];
    for (const event of reader.events({ since })) {
      events.push(event);
      if (events.length >= limit) break;
    }
    return { events, lagged: 0 };
  }

  async search(query: string, k: number | undefined, owner?: string) {
    // The same search as `kt search --all`: hybrid where sessions have vectors (kt embedding), full text elsewhere.
    const result = await searchAll(this.sessionDir(owner), query, { ...(k ? { k } : {}), mode: 'auto', env: this.env });
    return {
      hits: result.hits.map((h) => ({ session: h.sessionName, eventId: h.eventId, score: h.score, text: h.content, turn: h.turn })),
      searched: result.searched,
      warnings: result.warnings.map((w) => w.split(this.sessionDir(owner)).join('')),
    };
  }

  fork(name: string, upTo: number | undefined, owner?: string) {
    const source = this.savedPath(name, owner);
    const reader = new SessionReader(source);
    const creature = reader.meta.agents[0] ?? 'fork';
    reader.close();
    const target = newSessionPath(this.sessionDir(owner), creature);
    const result = forkSession(source, target, upTo ? { upTo } : {});
    return { name: basename(result.path, SESSION_SUFFIX), sessionId: result.sessionId, events: result.events, upTo: result.upTo };
  }

  // ── settings ──
  models() {
    return listModels(this.env);
  }

  providers(owner?: string) {
    return listProviders(this.env, this.vault(owner));
  }

  vault(owner?: string): KeyVault {
    return owner ? userVault(join(this.baseDir, 'users', owner, '.keys.json')) : hostVault(this.env);
  }

  /** The global MCP catalog (admins only when accounts are on; the routes' gate sees to that). */
  mcpServers() {
    return listMcp(this.env);
  }

  putMcpServer(entry: McpServerConfig) {
    return putMcp(entry, this.env);
  }

  deleteMcpServer(name: string): void {
    deleteMcp(name, this.env);
  }

  testMcpServer(name: string, timeoutMs?: number) {
    return testMcp(name, this.env, this.workspace, timeoutMs);
  }

  // ── editors ──
  validate(kind: EditorKind, yaml: string) {
    return validateConfig(kind, yaml, this.workspace, this.env);
  }

  save(kind: EditorKind, path: string, yaml: string) {
    return saveConfig(kind, path, yaml, this.workspace, this.env);
  }

  // ── health and lifetime ──
  ready(): { store: boolean; engine: boolean } {
    let store = false;
    try {
      mkdirSync(this.baseDir, { recursive: true, mode: 0o700 });
      accessSync(this.baseDir, constants.W_OK);
      store = true;
    } catch {
      store = false;
    }
    return { store, engine: !this.closing };
  }

  /**
   * Refuse new work, let running turns finish for up to `graceMs`, then stop
   * every creature (a turn still running is cancelled and recorded as such,
   * so its session resumes cleanly).
   */
  async shutdown(graceMs = 10_000): Promise<void> {
    this.closing = true;
    const sessions = [...this.live.values()];
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((done) => {
      timer = setTimeout(done, graceMs);
      timer.unref();
    });
    await Promise.race([Promise.all(sessions.map((s) => s.settled())), grace]);
    clearTimeout(timer);
    const inTeams = new Set([...this.teams].flatMap((t) => t.sessions));
    await Promise.allSettled([...[...this.teams].map((t) => this.stopTeam(t)), ...sessions.filter((s) => !inTeams.has(s)).map((s) => s.stop('server shutting down'))]);
    this.live.clear();
  }

  /**
   * Edits and commands wait for an approval (an `approval` interaction the
   * client answers), as in kt; the server is attached, so they are asked, not refused.
   */
  private host(agent: Agent, ref: string, path: string, owner: string | undefined, approvalMode: ApprovalMode = 'default'): Promise<LiveSession> {
    const session = new LiveSession(agent, ref, basename(path, SESSION_SUFFIX), owner, (error) => this.options.onTurnError?.(error, agent.sessionId), undefined, this.options.replayBuffer);
    session.historyPath = path;
    this.live.set(session.id, session);
    return agent.setApprovalMode(approvalMode).then(() => agent.start()).then(
      () => session,
      async (error: unknown) => {
        this.live.delete(session.id);
        await session.stop('failed to start').catch(() => {});
        throw error;
      },
    );
  }

  /**
   * A folder or config named by a client stays inside the workspace: a
   * client may not point a creature (its tools, its custom modules) at the
   * rest of the machine. Packages (`@name/...`) are the way to anything else.
   */
  private inWorkspace(path: string, field: string): string {
    const full = resolve(this.workspace, path);
    const rel = relative(this.workspace, full);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${field} '${path}' is outside the server's workspace (${this.workspace})`);
    return full;
  }

  private savedPath(name: string, owner?: string): string {
    if (!SAFE_NAME.test(name)) throw new NotFoundError(`saved session '${name}'`);
    // The list shows a lab host's graphs (kept in the lab/ folder) beside the rest; they open the same way.
    const dir = this.sessionDir(owner);
    const path = [join(dir, `${name}${SESSION_SUFFIX}`), join(dir, LAB_SESSION_FOLDER, `${name}${SESSION_SUFFIX}`)].find((candidate) => existsSync(candidate));
    if (!path) throw new NotFoundError(`saved session '${name}'`);
    return path;
  }

  private llm(requested: string | undefined): string | Provider | undefined {
    const forced = this.options.llm;
    if (forced) return typeof forced === 'function' ? forced() : forced;
    return requested;
  }

  private envFor(owner?: string): Env {
    if (!owner) return this.env;
    return { ...this.env, ...this.vault(owner).asEnv(this.env) };
  }

  private assertOpen(): void {
    if (this.closing) throw new NotFoundError('the server is shutting down; the studio');
  }
}
