import { describe, expect, it } from 'vitest';
import { splitNamedBlocks } from '../../../source/engine/io/named-blocks.js';

describe('splitNamedBlocks', () => {
  it('leaves an answer without blocks untouched', () => {
    expect(splitNamedBlocks('  plain [/write] text  ')).toEqual({ main: '  plain [/write] text  ', blocks: [] });
  });

  it('takes each block out in order; the first exact close ends a block', () => {
    const { main, blocks } = splitNamedBlocks('a[/output_x]one [output_y/] still one[output_x/]b[/output_y]\ntwo\n[output_y/]c');
    expect(blocks).toEqual([
      { name: 'x', text: 'one [output_y/] still one' },
      { name: 'y', text: 'two' },
    ]);
    expect(main).toBe('abc');
  });

  it('a block left open, a bare prefix and other tags are text', () => {
    expect(splitNamedBlocks('[/output_]x[output_/] and [/output_a] never closed')).toEqual({ main: '[/output_]x[output_/] and [/output_a] never closed', blocks: [] });
  });
});
