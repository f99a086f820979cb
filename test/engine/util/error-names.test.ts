/**
 * Typed errors carry their class's name as written, whatever the bundler did
 * to the identifier: esbuild names a class that refers to itself
 * `_ConfigError`, and one that clashes with another `ConfigError2`.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, KTError } from '../../../source/engine/errors.js';

describe('error names', () => {
  it('are the source names, not the names bundling gives renamed classes', () => {
    const renamed = { _ConfigError: class extends KTError {}, ConfigError2: class extends KTError {}, __Both3: class extends KTError {} };
    expect(new renamed._ConfigError('x').name).toBe('ConfigError');
    expect(new renamed.ConfigError2('x').name).toBe('ConfigError');
    expect(new renamed.__Both3('x').name).toBe('Both');
    expect(new ConfigError('x').name).toBe('ConfigError');
    expect(new ConfigError('x').toJSON().name).toBe('ConfigError');
  });
});
