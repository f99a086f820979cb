/**
 * `kt model list|default|show`: the short way to see and choose models.
 */
import { UsageError } from '../../engine/errors.js';
import { ModelCatalog } from '../../engine/llm/profiles/catalog.js';
import { didYouMean } from '../../engine/util/close-match.js';
import { defaultDescription, findPreset, modelRows, setDefaultModel } from '../config/models.js';
import { printJson, table } from '../table.js';
import { parseArgs } from '../args.js';

const HELP = `
Usage
  $ kt model list [--all] [--json]     Your presets (--all: every model KohakuTerrarium knows)
  $ kt model default [<name>]          Show or set the default model
  $ kt model show <name> [--json]      One model's provider, id, limits and variations

  Names are presets (claude-sonnet-5), aliases (sonnet), or provider/model
  (openai/gpt-5.4), with optional variations: claude-sonnet-5@reasoning=low.
`;

export async function modelCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } }, 'kt model');
  const [action = 'list', name] = cli.input;
  switch (action) {
    case 'list':
      return listModels(cli.flags.all || !hasUserPresets(), cli.flags.json);
    case 'default':
      if (!name) {
        process.stdout.write(`${defaultDescription(process.env)}\n`);
        return 0;
      }
      process.stdout.write(`Default model: ${setDefaultModel(name, process.env)}\n`);
      return 0;
    case 'show':
      if (!name) throw new UsageError('which model? kt model show <name>');
      return showModel(name, cli.flags.json);
    default:
      throw new UsageError(`unknown action '${action}'${didYouMean(action, ['list', 'default', 'show'])}; see kt model --help`);
  }
}

function hasUserPresets(): boolean {
  return ModelCatalog.load(process.env).presets.some((p) => !p.builtin);
}

export async function listModels(all: boolean, json: boolean): Promise<number> {
  const rows = modelRows(process.env, { all });
  if (json) {
    printJson(rows);
    return 0;
  }
  if (!rows.length) {
    process.stdout.write('No presets of your own yet; kt model list --all shows the built-in ones.\n');
    return 0;
  }
  // Every column has a header, so the listing reads without a legend.
  const body = rows.map((r) => [
    r.id,
    r.model,
    r.maxContext ? `${Math.round(r.maxContext / 1000)}k` : '',
    r.aliases.join(',') || '-',
    r.builtin ? 'built-in' : r.package ? `package ${r.package}` : 'user',
    [r.isDefault ? 'default' : '', r.available ? 'ready' : 'no key'].filter(Boolean).join(', '),
  ]);
  process.stdout.write(table(body, ['NAME', 'MODEL', 'CONTEXT', 'ALIASES', 'SOURCE', 'STATUS']));
  return 0;
}

export async function showModel(name: string, json: boolean): Promise<number> {
  const preset = findPreset(name.split('@')[0] as string, process.env);
  const info = {
    id: `${preset.provider}/${preset.name}`,
    provider: preset.provider,
    model: preset.model,
    maxContext: preset.maxContext,
    maxOutput: preset.maxOutput,
    temperature: preset.temperature,
    reasoningEffort: preset.reasoningEffort,
    extraBody: preset.extraBody,
    aliases: preset.aliases ?? [],
    variations: Object.fromEntries(Object.entries(preset.variationGroups ?? {}).map(([g, o]) => [g, Object.keys(o)])),
    builtin: preset.builtin,
  };
  if (json) printJson(info);
  else {
    const rows = Object.entries(info)
      .filter(([, v]) => v !== undefined && !(Array.isArray(v) && !v.length) && !(typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.keys(v).length))
      .map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)]);
    process.stdout.write(table(rows));
  }
  return 0;
}
