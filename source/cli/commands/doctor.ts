/**
 * `kt doctor`: everything a run needs, checked in one go, each line ✓ or ✗
 * with the fix. Checks run concurrently and each is bounded by a timeout, so
 * a healthy setup answers in well under two seconds.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { styleText } from 'node:util';
import { configHome, ensurePrivateDir } from '../../engine/home.js';
import { KTError } from '../../engine/errors.js';
import { maskKey } from '../../engine/llm/keys.js';
import { probeProvider } from '../../engine/llm/probe.js';
import { resolveLLM, type ResolvedLLM } from '../../engine/llm/resolve.js';
import { connectMcp } from '../../engine/mcp/client.js';
import { readMcpCatalog } from '../../engine/mcp/config.js';
import { printJson } from '../table.js';
import { privacyCheck } from './doctor-privacy.js';
import { parseArgs } from '../args.js';

const HELP = `
Usage
  $ kt doctor [--json] [--llm <model>]

  Checks Node.js, the config folder (and that only you can open it and the
  sessions folder), the default model (or --llm), its credentials, that its
  provider answers, SQLite with sqlite-vec, and each MCP server in
  mcp_servers.yaml. Exits 1 when something is broken (not for warnings).
`;

export interface Check {
  name: string;
  ok: boolean;
  /** Informational lines (nothing to check) are neither ✓ nor ✗. */
  skipped?: boolean;
  /** Works, but should be fixed (shown as !, with the fix; the exit code stays 0). */
  warn?: boolean;
  detail: string;
  fix?: string;
}

type Env = NodeJS.ProcessEnv;

export async function doctorCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { json: { type: 'boolean', default: false }, llm: { type: 'string' } }, 'kt doctor');
  const checks = await runChecks(process.env, cli.flags.llm);
  if (cli.flags.json) printJson(checks);
  else process.stdout.write(render(checks));
  return checks.every((c) => c.ok) ? 0 : 1;
}

export async function runChecks(env: Env, llm?: string): Promise<Check[]> {
  const model = modelCheck(env, llm);
  const [config, reach, sqlite, mcp] = await Promise.all([
    configCheck(env),
    model.resolved ? (model.resolved.credential.kind === 'oauth' ? signInCheck(env) : reachCheck(model.resolved, env)) : Promise.resolve(undefined),
    sqliteCheck(),
    mcpChecks(env),
  ]);
  const privacy = privacyCheck(env);
  return [nodeCheck(), config, ...(privacy ? [privacy] : []), model.check, ...(model.credential ? [model.credential] : []), ...(reach ? [reach] : []), sqlite, ...mcp];
}

function nodeCheck(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 22
    ? { name: 'node', ok: true, detail: `Node.js ${process.versions.node}` }
    : { name: 'node', ok: false, detail: `Node.js ${process.versions.node} is too old`, fix: 'install Node.js 22 or newer (or run through npx -y -p node@24 --)' };
}

async function configCheck(env: Env): Promise<Check> {
  const home = configHome(env);
  try {
    ensurePrivateDir(home);
    const probe = join(home, `.doctor-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return { name: 'config', ok: true, detail: `config folder ${home} is writable` };
  } catch (error) {
    return { name: 'config', ok: false, detail: `config folder ${home} is not writable (${(error as NodeJS.ErrnoException).code ?? error})`, fix: 'fix its permissions, or point KT_CONFIG_DIR at a writable folder' };
  }
}

function modelCheck(env: Env, llm: string | undefined): { check: Check; credential?: Check; resolved?: ResolvedLLM } {
  let resolved: ResolvedLLM;
  try {
    resolved = resolveLLM({ env, ...(llm ? { explicit: llm } : {}) });
  } catch (error) {
    const hint = error instanceof KTError ? error.hint : undefined;
    const missingKey = error instanceof KTError && (error.code === 'MISSING_API_KEY' || error.code === 'MISSING_LOGIN');
    return {
      check: {
        name: missingKey ? 'credentials' : 'model',
        ok: false,
        detail: (error as Error).message,
        fix: hint ?? (missingKey ? 'store a key with kt login <provider>' : 'choose one with kt model default <name> (see kt model list --all)'),
      },
    };
  }
  const from = { '--llm': 'from --llm', 'controller.llm': '', 'controller.model': '', default_model: 'your default', auto: 'picked from your credentials' }[resolved.source];
  const check: Check = { name: 'model', ok: true, detail: `model ${resolved.id}${from ? ` (${from})` : ''}` };
  const cred = resolved.credential;
  const credential: Check =
    cred.kind === 'key'
      ? { name: 'credentials', ok: true, detail: `key for ${resolved.backend.name}: ${cred.source === 'stored' ? 'stored' : `from ${cred.envVar}`} (${maskKey(cred.key)})` }
      : cred.kind === 'oauth'
        ? { name: 'credentials', ok: true, detail: 'signed in to ChatGPT (kt login codex)' }
        : { name: 'credentials', ok: true, skipped: true, detail: `${resolved.backend.name} needs no key` };
  return { check, credential, resolved };
}

async function reachCheck(resolved: ResolvedLLM, env: Env): Promise<Check> {
  const timeoutMs = Number(env.KT_DOCTOR_TIMEOUT_MS) || 1500;
  const result = await probeProvider(resolved, { timeoutMs });
  const where = resolved.baseURL ?? resolved.backend.name;
  if (result.ok) {
    return result.ms
      ? { name: 'provider', ok: true, detail: `${resolved.backend.name} answers (${where}, ${result.ms} ms)` }
      : { name: 'provider', ok: true, skipped: true, detail: `${resolved.backend.name}: ${result.message}` };
  }
  const rejected = result.status === 401 || result.status === 403;
  return {
    name: 'provider',
    ok: false,
    detail: result.message ?? `${resolved.backend.name} did not answer`,
    fix: rejected ? `store a valid key with kt login ${resolved.backend.name}` : `check the network and the base URL (${where})`,
  };
}

/** ChatGPT sign-in: the tokens load, and refresh when they are about to expire. */
async function signInCheck(env: Env): Promise<Check> {
  const timeoutMs = Number(env.KT_DOCTOR_TIMEOUT_MS) || 1500;
  try {
    const { codexCredentials } = await import('../../engine/llm/codex/auth.js');
    const credentials = await codexCredentials({ env, signal: AbortSignal.timeout(timeoutMs) });
    return { name: 'provider', ok: true, detail: `ChatGPT sign-in is valid${credentials.accountId ? ` (account ${maskKey(credentials.accountId)})` : ''}` };
  } catch (error) {
    return { name: 'provider', ok: false, detail: `ChatGPT sign-in does not work: ${(error as Error).message}`, fix: 'run kt login codex' };
  }
}

async function sqliteCheck(): Promise<Check> {
  try {
    const [{ default: Database }, sqliteVec] = await Promise.all([import('better-sqlite3'), import('sqlite-vec')]);
    const db = new Database(':memory:');
    try {
      sqliteVec.load(db);
      const row = db.prepare('select sqlite_version() as sqlite, vec_version() as vec').get() as { sqlite: string; vec: string };
      return { name: 'sqlite', ok: true, detail: `SQLite ${row.sqlite} with sqlite-vec ${row.vec}` };
    } finally {
      db.close();
    }
  } catch (error) {
    return { name: 'sqlite', ok: false, detail: `SQLite or sqlite-vec cannot load: ${(error as Error).message}`, fix: 'reinstall kohakuterrarium on Node.js 22+ (better-sqlite3 and sqlite-vec ship prebuilt binaries)' };
  }
}

async function mcpChecks(env: Env): Promise<Check[]> {
  let servers;
  try {
    servers = readMcpCatalog(env).servers;
  } catch (error) {
    return [{ name: 'mcp', ok: false, detail: (error as Error).message, fix: 'fix mcp_servers.yaml' }];
  }
  if (!servers.length) return [{ name: 'mcp', ok: true, skipped: true, detail: 'no MCP servers configured' }];
  const timeoutMs = Number(env.KT_DOCTOR_MCP_TIMEOUT_MS) || 5000;
  return Promise.all(
    servers.map(async (server): Promise<Check> => {
      const started = performance.now();
      try {
        const connection = await connectMcp(server, { timeoutMs, env });
        try {
          const tools = await connection.listTools();
          return { name: `mcp:${server.name}`, ok: true, detail: `MCP server ${server.name} starts (${tools.length} tools, ${Math.round(performance.now() - started)} ms)` };
        } finally {
          await connection.close();
        }
      } catch (error) {
        return {
          name: `mcp:${server.name}`,
          ok: false,
          detail: `MCP server ${server.name} does not start: ${(error as Error).message}`,
          fix: server.transport === 'stdio' ? `check that '${server.command ?? ''}' runs on its own` : `check that ${server.url ?? 'its url'} is up`,
        };
      }
    }),
  );
}

function render(checks: Check[]): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => styleText(style, text, { stream: process.stdout });
  const lines = checks.map((c) => {
    const mark = c.skipped ? paint('dim', '·') : c.warn ? paint('yellow', '!') : c.ok ? paint('green', '✓') : paint('red', '✗');
    return `${mark} ${c.detail}${c.fix && (!c.ok || c.warn) ? `\n    ${paint('dim', `fix: ${c.fix}`)}` : ''}`;
  });
  const broken = checks.filter((c) => !c.ok).length;
  const warnings = checks.filter((c) => c.ok && c.warn).length;
  const warned = warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : '';
  lines.push('', broken ? `${broken} problem${broken > 1 ? 's' : ''} found${warned ? `, ${warned}` : ''}` : warned ? `No problems; ${warned}.` : 'Everything looks fine.');
  return `${lines.join('\n')}\n`;
}
