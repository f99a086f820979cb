/**
 * Where a Gemini client connects, without the SDK: the adapter needs these
 * when it is constructed, and loads the SDK only with its first request.
 */
export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * Path version; `v1beta`, where Google ships function calling, thinking
 * config and thought signatures first (the SDK's own default, `v1`, lags
 * behind on those fields).
 */
export const DEFAULT_API_VERSION = 'v1beta';

/** Trailing slashes dropped: the SDK joins `/<version>/...` onto the root, and messages quote it. */
export function trimBaseURL(baseURL: string | undefined): string | undefined {
  return baseURL?.replace(/\/+$/, '');
}
