/**
 * `kt install <source>`: a folder (copied), `-e` a folder (linked), a git URL
 * (`…#ref`), `npm:<name>`, or `@name[@version]` from the marketplace index
 * (KT_MARKET_URL). Progress goes to stderr; nothing is left half-installed.
 */
import { installPackage } from '../../engine/packages/install.js';
import { parseArgs } from '../args.js';

const HELP = `
Usage
  $ kt install <source> [options]

  Sources
    ./my-pack                      a folder with a kohaku.yaml (copied)
    -e ./my-pack                   the same folder, linked (edits take effect at once)
    https://host/pack.git#v1.2     a git repository at a branch, tag or commit
    npm:kt-pack-foo                an npm package
    @name  @name@1.2.0             from the marketplace index (KT_MARKET_URL)

Options
  -e, --editable   Link the folder instead of copying it
  --name           Install under this name instead of the manifest's
  --force          Replace a package already installed under the name

Examples
  $ kt install ./packs/research
  $ kt install git+file:///srv/git/pack.git#v1.2
  $ kt install @research-pack
`;

export async function installCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, {
    editable: { type: 'boolean', shortFlag: 'e', default: false },
    name: { type: 'string' },
    force: { type: 'boolean', default: false },
  }, 'kt install');
  const [source] = cli.input;
  const installed = await installPackage(source ?? '', {
    editable: cli.flags.editable,
    replace: cli.flags.force,
    ...(cli.flags.name ? { name: cli.flags.name } : {}),
    onProgress: (step) => process.stderr.write(`· ${step}\n`),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  const version = installed.version ? ` ${installed.version}` : '';
  process.stdout.write(`${installed.editable ? 'Linked' : 'Installed'} ${installed.name}${version} (${installed.root})\n`);
  process.stdout.write(`Use it with: kt run @${installed.name}/creatures/<name>   ·   kt info ${installed.name}\n`);
  return 0;
}
