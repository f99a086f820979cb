/**
 * Flag parsing for every kt command: meow with the same settings everywhere
 * (strict flags, help on --help, no package.json lookup at startup).
 */
import meow, { type AnyFlags, type Result } from 'meow';

export function parseArgs<F extends AnyFlags>(help: string, argv: readonly string[], flags: F): Result<F> {
  return meow(help, {
    argv,
    importMeta: import.meta,
    // Given, so meow does not search for and read a package.json on every run.
    pkg: { name: 'kt', version: '' },
    description: false,
    allowUnknownFlags: false,
    flags,
  });
}
