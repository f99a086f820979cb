import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../source/engine/creature/bus.js';
import { ProviderError } from '../../../source/engine/errors.js';
import { forgetSecrets, redact, redactDeep, rememberSecret } from '../../../source/engine/util/redact.js';

const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

afterEach(() => forgetSecrets());

describe('redact', () => {
  it('masks every remembered secret, keeping only the last four characters of long ones', () => {
    rememberSecret(KEY);
    rememberSecret('short-token-1');
    const out = redact(`Incorrect API key provided: ${KEY}. Also ${KEY} and short-token-1.`);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain('short-token-1');
    expect(out).toContain('[redacted …6789]');
    expect(out).toContain('[redacted]');
  });

  it('ignores values too short to be credentials', () => {
    rememberSecret('abc');
    rememberSecret('');
    rememberSecret(undefined);
    expect(redact('abc abc')).toBe('abc abc');
  });

  it('masks a longer secret whole even when it contains a shorter one', () => {
    rememberSecret('inner-secret');
    rememberSecret('outer-inner-secret-value');
    expect(redact('x outer-inner-secret-value y')).toBe('x [redacted …alue] y');
  });

  it('walks objects and arrays and leaves untouched values as the same object', () => {
    rememberSecret(KEY);
    const clean = { a: 'fine', b: [1, 'ok'] };
    expect(redactDeep(clean)).toBe(clean);
    const dirty = { a: 'fine', nested: { list: ['x', `key=${KEY}`] } };
    const out = redactDeep(dirty);
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(out.a).toBe('fine');
    expect(dirty.nested.list[1]).toContain(KEY); // the input is not mutated
  });

  it('typed errors and bus events never carry a remembered secret', () => {
    rememberSecret(KEY);
    const error = new ProviderError(`401 Incorrect API key provided: ${KEY}`, { provider: 'openai', errorClass: 'auth', status: 401 });
    expect(error.message).not.toContain(KEY);
    const bus = new EventBus({ sessionId: 's', creatureId: 'c', agentPath: ['c'] });
    const seen: string[] = [];
    bus.subscribe((event) => seen.push(JSON.stringify(event)));
    bus.emit({ type: 'warning', message: `bad key ${KEY}`, code: 'X' }, null);
    expect(seen[0]).not.toContain(KEY);
    expect(seen[0]).toContain('[redacted');
  });
});
