/** `kt uninstall <name>`: remove an installed package or an editable link. */
import { UsageError } from '../../engine/errors.js';
import { uninstallPackage } from '../../engine/packages/install.js';
import { parseArgs } from '../args.js';

const HELP = `
Usage
  $ kt uninstall <name>

  Remove an installed package (or the link of an editable one). The
  bundled @kt-biome comes back if an installed one shadowed it.
`;

export async function uninstallCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, {}, 'kt uninstall');
  const [name] = cli.input;
  if (!name) throw new UsageError('which package? kt uninstall <name> (kt list shows them)');
  await uninstallPackage(name);
  process.stdout.write(`Uninstalled ${name.replace(/^@/, '')}\n`);
  return 0;
}
