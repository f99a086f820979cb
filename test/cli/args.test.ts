/**
 * Flag checking before meow: an unknown flag is a UsageError naming it and the
 * nearest known flag; values of flags that take one are never read as flags.
 */
import { describe, expect, it } from 'vitest';
import { checkFlags } from '../../source/cli/args.js';
import { UsageError } from '../../source/engine/errors.js';

const FLAGS = {
  prompt: { type: 'string', shortFlag: 'p' },
  verbose: { type: 'boolean' },
  maxTurns: { type: 'number' },
  outputFormat: { type: 'string' },
} as const;

const check = (argv: string[]) => checkFlags(argv, FLAGS, 'kt run');

describe('checkFlags', () => {
  it('names an unknown flag and suggests the nearest one', () => {
    expect(() => check(['--verbos'])).toThrow(UsageError);
    expect(() => check(['--verbos'])).toThrow('unknown flag --verbos; did you mean --verbose? (see kt run --help)');
    expect(() => check(['--max-turn', '3'])).toThrow(/unknown flag --max-turn; did you mean --max-turns\?/);
    expect(() => check(['--output-format=json', '--bogus-flag'])).toThrow(/^unknown flag --bogus-flag \(see kt run --help\)$/);
    expect(() => check(['-x'])).toThrow(/unknown flag -x/);
  });

  it('skips the value of a flag that takes one, and accepts --flag=value, --no-flag and --', () => {
    expect(check(['-p', '--not-a-flag', '--verbose'])).toEqual(['-p', '--not-a-flag', '--verbose']);
    expect(check(['--prompt=--x', '--no-verbose', '--max-turns', '-1'])).toEqual(['--prompt=--x', '--no-verbose', '--max-turns', '-1']);
    expect(check(['@kt/creature', '--', '--anything'])).toEqual(['@kt/creature', '--', '--anything']);
  });

  it('reads -h as --help', () => {
    expect(check(['-h'])).toEqual(['--help']);
  });
});
