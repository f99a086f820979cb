import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../source/engine/errors.js';
import { retryInfoDelay, toProviderError } from '../../../../source/engine/llm/gemini/error-mapping.js';

const ctx = { provider: 'gem', model: 'gemini-x', baseURL: 'http://host' };

/** An ApiError as the SDK builds it from an HTTP error: the JSON body as message. */
const httpError = (status: number, error: Record<string, unknown>) => new ApiError({ status, message: JSON.stringify({ error }) });

describe('toProviderError: API errors', () => {
  it('403 → auth with the login hint', () => {
    const e = toProviderError(httpError(403, { code: 403, message: 'Permission denied', status: 'PERMISSION_DENIED' }), ctx);
    expect(e).toMatchObject({ errorClass: 'auth', status: 403, retryable: false });
    expect(e.message).toBe('the key for gem was rejected (403 PERMISSION_DENIED): Permission denied');
    expect(e.hint).toBe('run `kt login gem` to set a valid key');
  });

  it('an in-stream error event (the SDK prefixes the message) is parsed too', () => {
    const body = JSON.stringify({ error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } });
    const e = toProviderError(new ApiError({ status: 500, message: `got status: INTERNAL. ${body}` }), ctx);
    expect(e).toMatchObject({ errorClass: 'server', status: 500 });
    expect(e.message).toBe('gem had a server error (500 INTERNAL): Internal error encountered.');
  });

  it('RESOURCE_EXHAUSTED → rate_limit; the header delay wins over RetryInfo', () => {
    const error = httpError(429, {
      code: 429,
      message: 'Quota exceeded',
      status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
    });
    expect(toProviderError(error, ctx).retryAfterMs).toBe(1500);
    expect(toProviderError(error, { ...ctx, retryAfterMs: 40 }).retryAfterMs).toBe(40);
  });

  it('a body that is not JSON still gives a message', () => {
    const e = toProviderError(new ApiError({ status: 502, message: 'Bad Gateway' }), ctx);
    expect(e).toMatchObject({ errorClass: 'server', status: 502 });
    expect(e.message).toBe('gem had a server error (502): Bad Gateway');
  });

  it('other 400s → user; a 429 mentioning tokens is still a rate limit', () => {
    expect(toProviderError(httpError(400, { code: 400, message: 'Invalid JSON payload', status: 'INVALID_ARGUMENT' }), ctx).errorClass).toBe('user');
    const tpm = httpError(429, { code: 429, message: 'input tokens per minute exceeds the maximum number of tokens', status: 'RESOURCE_EXHAUSTED' });
    expect(toProviderError(tpm, ctx).errorClass).toBe('rate_limit');
  });
});

describe('toProviderError: other failures', () => {
  it('keeps ProviderErrors as they are', () => {
    const original = new ProviderError('x', { provider: 'gem', errorClass: 'protocol' });
    expect(toProviderError(original, ctx)).toBe(original);
  });

  it('SyntaxError → protocol; an incomplete last event → transient', () => {
    expect(toProviderError(new SyntaxError('Unexpected token'), ctx).errorClass).toBe('protocol');
    expect(toProviderError(new Error('Incomplete JSON segment at the end'), ctx).errorClass).toBe('transient');
    expect(toProviderError(new Error('Response body is empty'), ctx).errorClass).toBe('protocol');
  });

  it('network failures → transient, naming the innermost cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const e = toProviderError(new TypeError('fetch failed', { cause: refused }), ctx);
    expect(e).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(e.message).toBe('no response from gem at http://host: connect ECONNREFUSED 127.0.0.1:1');
    expect(toProviderError(new TypeError('terminated', { cause: new Error('other side closed') }), ctx).message).toBe(
      'the connection to gem broke mid-response: other side closed',
    );
  });

  it('an abort from below us → transient; anything else → unknown', () => {
    expect(toProviderError(new DOMException('aborted', 'AbortError'), ctx).errorClass).toBe('transient');
    expect(toProviderError('weird', ctx)).toMatchObject({ errorClass: 'unknown', message: 'gem: the request failed: weird' });
  });
});

describe('retryInfoDelay', () => {
  it('reads protobuf durations in both JSON shapes and ignores other details', () => {
    const info = (retryDelay: unknown) => [{ '@type': 'x' }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }];
    expect(retryInfoDelay(info('12s'))).toBe(12_000);
    expect(retryInfoDelay(info('0.250s'))).toBe(250);
    expect(retryInfoDelay(info({ seconds: 2, nanos: 500_000_000 }))).toBe(2500);
    expect(retryInfoDelay(info('soon'))).toBeUndefined();
    expect(retryInfoDelay([])).toBeUndefined();
  });
});
