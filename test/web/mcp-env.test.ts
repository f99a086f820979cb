import { describe, expect, it } from 'vitest';
import { parseEnvLines } from '../../source/web/components/mcp-settings.js';

describe('MCP env lines', () => {
  it('reads KEY=value lines, keeping = inside values and skipping blank lines', () => {
    expect(parseEnvLines('A=1\n\n  B = x=y \n')).toEqual({ A: '1', B: ' x=y' });
  });

  it('refuses a line without a key, naming its line number', () => {
    expect(() => parseEnvLines('A=1\njust-text')).toThrow('env line 2 is not KEY=value: just-text');
    expect(() => parseEnvLines('=value')).toThrow('env line 1');
  });
});
