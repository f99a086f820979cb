/** `kt info <name | @name/path>`: one package's manifest, source and contents. */
import { PackageNotFoundError, UsageError } from '../../engine/errors.js';
import { packageInfo } from '../../engine/packages/listing.js';
import { parseArgs } from '../args.js';
import { registerBundled } from './list.js';
import { printJson } from '../table.js';

const HELP = `
Usage
  $ kt info <name> [--json]

  Show an installed or bundled package: version, where it came from,
  creatures, terrariums, tools, plugins, triggers, io and its content digest.
`;

export async function infoCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { json: { type: 'boolean', default: false } }, 'kt info');
  const [ref] = cli.input;
  if (!ref) throw new UsageError('which package? kt info <name> (kt list shows them)');
  registerBundled();
  const info = await packageInfo(ref);
  if (!info) throw new PackageNotFoundError(`package '${ref}' is not installed`, {}, { hint: 'kt list shows what is installed' });
  if (cli.flags.json) {
    printJson(info);
    return 0;
  }
  const rows: Array<[string, string | undefined]> = [
    ['name', info.name],
    ['version', info.version],
    ['description', info.description],
    ['source', info.source === 'linked' ? `editable link → ${info.root}` : info.source],
    ['path', info.root],
    ['installed from', info.record?.source],
    ['creatures', info.creatures.join(', ')],
    ['terrariums', info.terrariums.join(', ')],
    ['tools', info.modules.tools.join(', ')],
    ['plugins', info.modules.plugins.join(', ')],
    ['triggers', info.modules.triggers.join(', ')],
    ['io', info.modules.io.join(', ')],
    ['kt_version', info.manifest?.kt_version],
    ['digest', info.digest ? `sha256:${info.digest}` : undefined],
    ['error', info.error],
  ];
  for (const [key, value] of rows) if (value) process.stdout.write(`${key.padEnd(15)} ${value}\n`);
  return 0;
}
