/**
 * `kt config`: keys, model presets, providers and paths.
 *
 *   kt config key list|set|delete
 *   kt config llm list|show|add|delete|default      (alias: model, preset)
 *   kt config provider list|add|delete              (alias: backend)
 *   kt config mcp list|show|add|delete|test         (alias: kt mcp)
 *   kt config set|get|unset <key> [value]           (kt's own settings)
 *   kt config show | path [name]
 */
import type { AnyFlags } from 'meow';
import { configHome, sessionHome } from '../../engine/home.js';
import { mcpCatalogPath } from '../../engine/mcp/config.js';
import { UsageError } from '../../engine/errors.js';
import { parseArgs } from '../args.js';
import { KeyStore } from '../../engine/llm/key-store.js';
import { keysPath } from '../../engine/llm/keys.js';
import { profilesPath } from '../../engine/llm/profiles/store.js';
import { didYouMean } from '../../engine/util/close-match.js';
import { keyStatuses, providerForKey, saveKey } from '../config/keys.js';
import { addPreset, defaultDescription, deletePreset, setDefaultModel } from '../config/models.js';
import { addProvider, deleteProvider, providerRows } from '../config/providers.js';
import { readSettings, settingKey, SETTINGS, settingsPath, writeSetting } from '../config/settings.js';
import { confirm } from '../prompt.js';
import { printJson, table } from '../table.js';
import { loginCommand, readKey, stdinDash } from './login.js';
import { listModels, showModel } from './model.js';

const HELP = `
Usage
  $ kt config <section> [<action>] [options]

Sections
  key list|set|delete          Stored API keys (set reads the key hidden, or from --key / --key -)
  llm list|show|add|delete     Model presets (alias: model, preset); default [<name>] shows or sets the default
  provider list|add|delete     Providers: built-in ones and your own OpenAI/Anthropic/Gemini-compatible endpoints
  mcp list|show|add|delete|test  The MCP server catalog (also kt mcp; see kt mcp --help)
  set <key> <value>            A kt setting (${Object.keys(SETTINGS).join(', ')}); unset <key> removes it
  get <key>                    Print a setting
  show                         Paths, default model and settings
  path [<name>]                One path: home | llm_profiles | api_keys | settings | sessions | mcp_servers

Options
  --json                       Machine-readable output (list, show)
  --all                        llm list: also the presets of providers without a key
  --yes                        key delete: do not ask
  --key <key>                  key set: the key itself, or - to read it from stdin
  llm add: --provider <p> --model <id> [--max-context <n>] [--max-output <n>] [--temperature <t>]
           [--reasoning-effort <e>] [--extra-body <json>] [--alias <a>] [--default]
  provider add: --type openai|anthropic|gemini|openai-responses --base-url <url> [--api-key-env <VAR>]

  Settings live in ${'$'}KT_CONFIG_DIR (default ~/.kohakuterrarium).

Examples
  $ kt config key set openai
  $ kt config llm add local --provider ollama --model qwen3:8b --max-context 32768 --default
  $ kt config set default_creature @kt-biome/creatures/general
  $ kt config path sessions
`;

type Handler = (args: string[], flags: Record<string, unknown>) => Promise<number>;

interface Action {
  flags?: AnyFlags;
  run: Handler;
}

const json = { json: { type: 'boolean', default: false } } as const;

const KEY: Record<string, Action> = {
  list: {
    flags: json,
    run: async (_args, flags) => {
      const rows = keyStatuses(process.env);
      if (flags.json) printJson(rows);
      else process.stdout.write(table(rows.map((r) => [r.provider, r.envVar, r.source, r.masked ?? '']), ['PROVIDER', 'ENV VAR', 'SOURCE', 'KEY']));
      return 0;
    },
  },
  set: {
    flags: { key: { type: 'string' } },
    run: async ([name], flags) => {
      const backend = providerForKey(required(name, 'provider'), process.env);
      const key = await readKey(flags.key as string | undefined, `API key for ${backend.name} (${backend.apiKeyEnv}): `);
      const saved = await saveKey(backend.name, key, process.env);
      process.stdout.write(`${saved.replaced ? 'Replaced' : 'Saved'} the key for ${backend.name} (${saved.masked})\n`);
      return 0;
    },
  },
  delete: {
    flags: { yes: { type: 'boolean', default: false } },
    run: async ([name], flags) => {
      const provider = required(name, 'provider');
      const store = await KeyStore.open(process.env);
      if (store.get(provider) === undefined) {
        process.stdout.write(`No stored key for ${provider}\n`);
        return 0;
      }
      if (!flags.yes) {
        if (!process.stdin.isTTY) throw new UsageError('pass --yes to delete without asking');
        if (!(await confirm(`Delete the stored key for ${provider}?`))) return 1;
      }
      store.delete(provider);
      process.stdout.write(`Deleted the stored key for ${provider}\n`);
      return 0;
    },
  },
};

const LLM: Record<string, Action> = {
  list: { flags: { ...json, all: { type: 'boolean', default: false } }, run: async (_a, flags) => listModels(Boolean(flags.all), Boolean(flags.json)) },
  show: { flags: json, run: async ([name], flags) => showModel(required(name, 'model'), Boolean(flags.json)) },
  add: {
    flags: {
      provider: { type: 'string' },
      model: { type: 'string' },
      maxContext: { type: 'number' },
      maxOutput: { type: 'number' },
      temperature: { type: 'number' },
      reasoningEffort: { type: 'string' },
      extraBody: { type: 'string' },
      alias: { type: 'string', isMultiple: true },
      default: { type: 'boolean', default: false },
    },
    run: async ([name], flags) => {
      const preset = required(name, 'preset name');
      const provider = required(flags.provider as string | undefined, '--provider');
      const model = required(flags.model as string | undefined, '--model');
      const id = addPreset(
        preset,
        {
          provider,
          model,
          ...(typeof flags.maxContext === 'number' ? { maxContext: positive(flags.maxContext, '--max-context') } : {}),
          ...(typeof flags.maxOutput === 'number' ? { maxOutput: positive(flags.maxOutput, '--max-output') } : {}),
          ...(typeof flags.temperature === 'number' ? { temperature: flags.temperature } : {}),
          ...(flags.reasoningEffort ? { reasoningEffort: flags.reasoningEffort as string } : {}),
          ...(flags.extraBody ? { extraBody: parseJsonObject(flags.extraBody as string, '--extra-body') } : {}),
          ...(Array.isArray(flags.alias) && flags.alias.length ? { aliases: flags.alias as string[] } : {}),
        },
        process.env,
      );
      process.stdout.write(`Added ${id}\n`);
      if (flags.default) process.stdout.write(`Default model: ${setDefaultModel(id, process.env)}\n`);
      return 0;
    },
  },
  delete: {
    run: async ([name]) => {
      process.stdout.write(`Deleted ${deletePreset(required(name, 'preset name'), process.env)}\n`);
      return 0;
    },
  },
  default: {
    run: async ([name]) => {
      if (!name) process.stdout.write(`${defaultDescription(process.env)}\n`);
      else process.stdout.write(`Default model: ${setDefaultModel(name, process.env)}\n`);
      return 0;
    },
  },
};

const PROVIDER: Record<string, Action> = {
  list: {
    flags: json,
    run: async (_a, flags) => {
      const rows = providerRows(process.env);
      if (flags.json) printJson(rows);
      else {
        process.stdout.write(
          table(
            rows.map((r) => [r.available ? '✓' : '·', r.name, r.type, r.apiKeyEnv ?? (r.type === 'codex' ? 'kt login codex' : '-'), r.baseURL ?? '', r.builtin ? '' : 'user']),
            [' ', 'PROVIDER', 'TYPE', 'KEY', 'BASE URL', ''],
          ),
        );
      }
      return 0;
    },
  },
  add: {
    flags: { type: { type: 'string' }, baseUrl: { type: 'string' }, apiKeyEnv: { type: 'string' }, description: { type: 'string' } },
    run: async ([name], flags) => {
      const provider = required(name, 'provider name');
      addProvider(
        provider,
        {
          type: required(flags.type as string | undefined, '--type'),
          ...(flags.baseUrl ? { baseURL: flags.baseUrl as string } : {}),
          ...(flags.apiKeyEnv ? { apiKeyEnv: flags.apiKeyEnv as string } : {}),
          ...(flags.description ? { description: flags.description as string } : {}),
        },
        process.env,
      );
      process.stdout.write(`Added provider ${provider}; use it as ${provider}/<model> or add presets with kt config llm add\n`);
      return 0;
    },
  },
  delete: {
    run: async ([name]) => {
      const provider = required(name, 'provider name');
      deleteProvider(provider, process.env);
      process.stdout.write(`Deleted provider ${provider}\n`);
      return 0;
    },
  },
};

const PATHS = (env: NodeJS.ProcessEnv) => ({
  home: configHome(env),
  llm_profiles: profilesPath(env),
  api_keys: keysPath(env),
  settings: settingsPath(env),
  sessions: sessionHome(env),
  mcp_servers: mcpCatalogPath(env),
});

const GROUPS: Record<string, Record<string, Action>> = { key: KEY, llm: LLM, provider: PROVIDER };
const GROUP_ALIASES: Record<string, string> = { model: 'llm', preset: 'llm', backend: 'provider', keys: 'key' };

export async function configCommand(argv: string[]): Promise<number> {
  const [first, second, ...rest] = argv;
  if (!first || first === '--help' || first === '-h') {
    process.stdout.write(`${HELP.trim()}\n`);
    return 0;
  }
  if (first === 'login') return loginCommand(second ? [second, ...rest] : []);
  if (first === 'show') return showConfig(argv.slice(1));
  if (first === 'path') return showPath(second);
  if (first === 'mcp') return (await import('./mcp.js')).mcpCommand(argv.slice(1));
  if (first === 'set' || first === 'get' || first === 'unset') return setting(first, second, rest);
  const group = GROUPS[GROUP_ALIASES[first] ?? first];
  if (!group) throw new UsageError(`unknown config section '${first}'${didYouMean(first, ['key', 'llm', 'provider', 'mcp', 'set', 'get', 'unset', 'show', 'path', 'login'])}; see kt config --help`);
  const name = second ?? 'list';
  const action = group[name];
  if (!action) throw new UsageError(`unknown action '${name}' for kt config ${first}${didYouMean(name, Object.keys(group))}; actions: ${Object.keys(group).join(', ')}`);
  const cli = parseArgs(HELP, second ? stdinDash(rest, '--key') : [], action.flags ?? {}, `kt config ${first} ${name}`);
  return action.run(cli.input, cli.flags as Record<string, unknown>);
}

async function showConfig(argv: string[]): Promise<number> {
  const paths = PATHS(process.env);
  const info = { ...paths, default_model: defaultDescription(process.env), ...readSettings(process.env) };
  if (argv.includes('--json')) printJson(info);
  else process.stdout.write(table(Object.entries(info).map(([k, v]) => [k, v])));
  return 0;
}

/** `kt config set|get|unset <key> [value]`: kt's own settings (settings.json). */
async function setting(action: 'set' | 'get' | 'unset', name: string | undefined, rest: string[]): Promise<number> {
  const key = settingKey(name);
  if (action === 'get') {
    const value = readSettings(process.env)[key];
    if (value !== undefined) process.stdout.write(`${value}\n`);
    return value === undefined ? 1 : 0;
  }
  if (action === 'unset') {
    await writeSetting(key, undefined, process.env);
    process.stdout.write(`Removed ${key}\n`);
    return 0;
  }
  const [value, extra] = rest;
  if (!value?.trim()) throw new UsageError(`missing value: kt config set ${key} <value> (${SETTINGS[key]})`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'; quote a value with spaces`);
  await writeSetting(key, value, process.env);
  process.stdout.write(`Set ${key} = ${value}\n`);
  return 0;
}

async function showPath(name: string | undefined): Promise<number> {
  const paths = PATHS(process.env) as Record<string, string>;
  const key = name ?? 'home';
  const path = paths[key];
  if (!path) throw new UsageError(`unknown path '${key}'${didYouMean(key, Object.keys(paths))}; one of ${Object.keys(paths).join(', ')}`);
  process.stdout.write(`${path}\n`);
  return 0;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}; see kt config --help`);
  return value;
}

function positive(value: number, flag: string): number {
  if (!(Number.isInteger(value) && value > 0)) throw new UsageError(`${flag} must be a positive whole number`);
  return value;
}

function parseJsonObject(text: string, flag: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${flag} must be a JSON object`);
  return value as Record<string, unknown>;
}
