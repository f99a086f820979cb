/** `kt marketplace search [words] | info <name>`: what the marketplace index (KT_MARKET_URL) offers. */
import { UsageError } from '../../engine/errors.js';
import { chooseVersion, findEntry, loadIndex, searchIndex } from '../../engine/packages/marketplace.js';
import { parseArgs } from '../args.js';
import { printJson, table } from '../table.js';

const HELP = `
Usage
  $ kt marketplace search [words] [--json] [--refresh]
  $ kt marketplace info <name> [--json] [--refresh]

  The index is a YAML or JSON file at KT_MARKET_URL (a URL or a path),
  cached for KT_MARKET_TTL seconds (default 3600).
`;

export async function marketplaceCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { json: { type: 'boolean', default: false }, refresh: { type: 'boolean', default: false } }, 'kt marketplace');
  const [action = 'search', ...rest] = cli.input;
  if (action !== 'search' && action !== 'info') throw new UsageError(`unknown marketplace action '${action}'; use search or info`);
  const index = await loadIndex(process.env, { refresh: cli.flags.refresh });
  if (index.warning) process.stderr.write(`warning: ${index.warning}\n`);
  if (action === 'search') {
    const hits = searchIndex(index, rest.join(' '));
    if (cli.flags.json) printJson(hits);
    else if (!hits.length) process.stdout.write('No packages match.\n');
    else process.stdout.write(`${table(hits.map((p) => [`@${p.name}`, p.versions.map((v) => v.version).join(', '), p.description ?? '']), ['name', 'versions', 'description'])}\n`);
    return 0;
  }
  const [name] = rest;
  if (!name) throw new UsageError('which package? kt marketplace info <name>');
  const entry = findEntry(index, name.replace(/^@/, ''));
  if (cli.flags.json) {
    printJson(entry);
    return 0;
  }
  let newest = '';
  try {
    newest = chooseVersion(entry).version;
  } catch (error) {
    newest = `none (${(error as Error).message})`;
  }
  process.stdout.write(`@${entry.name}${entry.description ? ` — ${entry.description}` : ''}\n`);
  if (entry.author) process.stdout.write(`author     ${entry.author}\n`);
  if (entry.tags?.length) process.stdout.write(`tags       ${entry.tags.join(', ')}\n`);
  process.stdout.write(`installs   ${newest}\n`);
  for (const v of entry.versions) process.stdout.write(`  ${v.version}${v.yanked ? ' (yanked)' : ''}${v.kt_version ? `  kt ${v.kt_version}` : ''}  ${v.source}\n`);
  return 0;
}
