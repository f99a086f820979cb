/**
 * Building the SDK client: authentication, the single retry layer, logging.
 *
 * Authentication. The SDK (1.x, API version 2026-10-21) documents `apiKey` as
 * "sent as `Authorization: Bearer <key>`", so bearer is what the official API
 * expects and our default. Anthropic-compatible endpoints that still want the
 * older `x-api-key` header get it with `auth: 'x-api-key'`.
 *
 * The key is always passed as `apiKey`, even for `x-api-key`: a client given
 * no credential falls back to `ANTHROPIC_AUTH_TOKEN` and the Anthropic
 * profiles on disk, which could add a second, unrelated credential to
 * requests meant for another provider. For `x-api-key` the bearer header the
 * SDK derives from `apiKey` is then removed (`null` deletes a default header).
 */
import Anthropic from '@anthropic-ai/sdk';

export type AnthropicAuth = 'bearer' | 'x-api-key';

export interface ClientSettings {
  apiKey: string;
  baseURL: string;
  auth: AnthropicAuth;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

export function createClient(settings: ClientSettings): Anthropic {
  // The SDK refuses an empty key; keyless local proxies accept any value.
  const key = settings.apiKey || 'no-key';
  return new Anthropic({
    apiKey: key,
    // Explicit, so ANTHROPIC_BASE_URL (meant for the official backend) never redirects another provider.
    baseURL: settings.baseURL,
    // The controller's retry policy is the only retry layer; SDK retries would multiply it.
    maxRetries: 0,
    ...(settings.auth === 'x-api-key' ? { defaultHeaders: { 'x-api-key': key, authorization: null } } : {}),
    ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    // SDK console logging would scribble over the terminal UI; ANTHROPIC_LOG still turns it on.
    ...(process.env['ANTHROPIC_LOG'] ? {} : { logLevel: 'off' as const }),
  });
}
