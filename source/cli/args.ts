/**
 * Flag parsing for every kt command: meow with the same settings everywhere
 * (strict flags, help on --help or -h, no package.json lookup at startup).
 * Unknown flags are caught here first, so the error names the flag and the
 * nearest known one instead of meow's bare "Unknown flag".
 */
import meow, { type AnyFlags, type Result } from 'meow';
import { UsageError } from '../engine/errors.js';
import { closeMatches } from '../engine/util/close-match.js';

export function parseArgs<F extends AnyFlags>(help: string, argv: readonly string[], flags: F, command = 'kt'): Result<F> {
  const args = checkFlags(argv, flags, command);
  const cli = meow(help, {
    argv: args,
    importMeta: import.meta,
    // Given, so meow does not search for and read a package.json on every run.
    pkg: { name: 'kt', version: '' },
    description: false,
    allowUnknownFlags: false,
    flags,
  });
  // meow shows help by itself only when --help is the sole argument; `kt run x --help` must not run x.
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).includes('--help')) cli.showHelp(0);
  return cli;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Walk the arguments as meow will (up to `--`), skipping the value after a
 * flag that takes one; throw a UsageError for the first flag nobody defined.
 * Returns the arguments with `-h` spelled `--help`.
 */
export function checkFlags(argv: readonly string[], flags: AnyFlags, command: string): string[] {
  const long = new Map<string, boolean>([['help', false]]); // name → takes a value
  const short = new Map<string, boolean>();
  for (const [name, spec] of Object.entries(flags)) {
    const takesValue = spec.type !== 'boolean';
    long.set(kebab(name), takesValue);
    if (spec.shortFlag) short.set(spec.shortFlag, takesValue);
    for (const alias of spec.aliases ?? []) long.set(kebab(alias), takesValue);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === '-h' && !short.has('h')) {
      out.push('--help');
      continue;
    }
    out.push(arg);
    // Not a flag: a word, `-` (stdin), or a negative number.
    if (!arg.startsWith('-') || arg === '-' || /^-\d|^-\.\d/.test(arg)) continue;
    let takesValue: boolean | undefined;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      takesValue = long.get(name);
      // yargs reads --no-x as x=false for any known flag.
      if (takesValue === undefined && name.startsWith('no-') && long.has(name.slice(3))) takesValue = false;
      if (takesValue === undefined) throw unknownFlag(`--${name}`, [...long.keys()].map((n) => `--${n}`), command);
      if (arg.includes('=')) continue;
    } else {
      // -abc: boolean shorts grouped; the last one may take a value.
      for (const letter of arg.slice(1).split('=')[0]!) {
        takesValue = short.get(letter);
        if (takesValue === undefined) {
          const candidates = [...[...short.keys()].map((s) => `-${s}`), ...[...long.keys()].map((n) => `--${n}`)];
          throw unknownFlag(`-${letter}`, candidates, command);
        }
      }
      if (arg.includes('=')) continue;
    }
    if (takesValue && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return out;
}

function unknownFlag(flag: string, candidates: string[], command: string): UsageError {
  // Compare without the dashes: `--verbos` is one edit from `--verbose`, and `-x` should not match every short flag.
  const bare = (s: string) => s.replace(/^-+/, '');
  const nearest = closeMatches(bare(flag), candidates.map(bare), 1)
    .map((m) => candidates.find((c) => bare(c) === m)!)
    .filter(Boolean);
  const suggestion = nearest.length ? `; did you mean ${nearest[0]}?` : '';
  return new UsageError(`unknown flag ${flag}${suggestion} (see ${command} --help)`);
}
