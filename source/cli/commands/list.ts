/** `kt list`: installed, linked and bundled packages with what they contain. */
import { bundledBiomeRoot } from '../../builtins/package-root.js';
import { listPackages } from '../../engine/packages/listing.js';
import { registerBundledPackage } from '../../engine/packages/registry.js';
import { parseArgs } from '../args.js';
import { printJson, table } from '../table.js';

const HELP = `
Usage
  $ kt list [--json]

  Packages kt can use (@name/...): installed, editable (linked) and bundled.
  An installed package shadows a bundled one of the same name.
`;

/** The bundled pack, without loading every builtin (kt list stays fast). */
export function registerBundled(): void {
  registerBundledPackage('kt-biome', bundledBiomeRoot());
}

export async function listCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { json: { type: 'boolean', default: false } }, 'kt list');
  registerBundled();
  const packages = await listPackages();
  if (cli.flags.json) {
    printJson(packages);
    return 0;
  }
  const rows = packages.map((p) => [
    p.name,
    p.version ?? '',
    p.source === 'linked' ? 'editable' : p.source,
    p.error ? `BROKEN: ${p.error}` : [p.description ?? '', p.creatures.length ? `creatures: ${p.creatures.join(', ')}` : ''].filter(Boolean).join(' — '),
  ]);
  process.stdout.write(`${table(rows, ['name', 'version', 'source', 'description'])}\n`);
  return 0;
}
