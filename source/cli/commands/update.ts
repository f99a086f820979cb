/** `kt update <name> | --all`: fetch installed packages again from where they came from. */
import { UsageError } from '../../engine/errors.js';
import { updatePackage, type UpdateResult } from '../../engine/packages/install.js';
import { listPackages } from '../../engine/packages/listing.js';
import { parseArgs } from '../args.js';
import { registerBundled } from './list.js';

const HELP = `
Usage
  $ kt update <name>
  $ kt update --all

  Fetch a package again from its source (git URL and ref, folder, npm,
  or the newest marketplace version). Editable (linked) packages are skipped.
`;

export async function updateCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { all: { type: 'boolean', default: false } }, 'kt update');
  const [name] = cli.input;
  if (!name && !cli.flags.all) throw new UsageError('which package? kt update <name>, or kt update --all');
  registerBundled();
  const names = name ? [name] : (await listPackages()).filter((p) => p.source !== 'bundled').map((p) => p.name);
  const results: UpdateResult[] = [];
  let failed = 0;
  for (const target of names) {
    try {
      const result = await updatePackage(target, { onProgress: (step) => process.stderr.write(`· ${step}\n`), onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
      results.push(result);
      process.stdout.write(`${line(result)}\n`);
    } catch (error) {
      // With --all one broken package does not stop the others.
      if (name) throw error;
      failed++;
      process.stderr.write(`${target}: ${(error as Error).message}\n`);
    }
  }
  const count = (s: UpdateResult['status']) => results.filter((r) => r.status === s).length;
  if (names.length > 1 || cli.flags.all) process.stdout.write(`${count('updated')} updated, ${count('unchanged')} unchanged, ${count('skipped')} skipped${failed ? `, ${failed} failed` : ''}\n`);
  return failed ? 1 : 0;
}

function line(r: UpdateResult): string {
  if (r.status === 'skipped') return `${r.name}: skipped (${r.reason})`;
  if (r.status === 'unchanged') return `${r.name}: up to date${r.to ? ` (${r.to})` : ''}`;
  return `${r.name}: ${r.from ?? '?'} → ${r.to ?? '?'}`;
}
