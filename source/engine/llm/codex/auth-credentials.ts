/**
 * `codexCredentials`: what the Codex model provider calls before every
 * request. Loads the saved tokens, refreshes them when they are about to
 * expire, and says `kt login codex` whenever a new sign-in is the only fix.
 */
import { ConfigError } from '../../errors.js';
import { refreshCodexTokens } from './auth-exchange.js';
import { resolveAuthOptions, type CodexAuthOptions, type ResolvedAuthOptions } from './auth-options.js';
import { codexAuthPath, loadCodexTokens, saveCodexTokens } from './auth-store.js';
import { raceAbort, throwIfAborted } from '../../util/abort.js';
import { needsRefresh, type CodexTokens } from './tokens.js';

/** What a Codex request needs: the bearer token and the `chatgpt-account-id` header. */
export interface CodexCredentials {
  accessToken: string;
  accountId?: string;
}

/**
 * Refreshes in flight, per token file. OpenAI rotates refresh tokens, so two
 * concurrent refreshes with the same token would make the second one fail;
 * concurrent callers in this process share one instead. (Separate kt
 * processes can still race; the loser gets a "sign in again" error.)
 */
const refreshing = new Map<string, Promise<CodexTokens>>();

/**
 * A valid access token and the ChatGPT account id. Throws a `ConfigError`
 * with code `CODEX_NOT_LOGGED_IN` when there are no tokens, and a
 * `ProviderError` of class `auth` when the refresh token was refused; both
 * messages say to run `kt login codex`.
 */
export async function codexCredentials(options: CodexAuthOptions = {}): Promise<CodexCredentials> {
  const resolved = resolveAuthOptions(options);
  throwIfAborted(resolved.signal);
  let tokens = await loadCodexTokens(resolved.env);
  if (!tokens) {
    throw new ConfigError('not signed in to ChatGPT: run `kt login codex` first', {}, { code: 'CODEX_NOT_LOGGED_IN' });
  }
  if (needsRefresh(tokens, resolved.now())) tokens = await raceAbort(sharedRefresh(resolved, tokens), resolved.signal);
  return tokens.accountId ? { accessToken: tokens.accessToken, accountId: tokens.accountId } : { accessToken: tokens.accessToken };
}

function sharedRefresh(options: ResolvedAuthOptions, tokens: CodexTokens): Promise<CodexTokens> {
  const key = codexAuthPath(options.env);
  let pending = refreshing.get(key);
  if (!pending) {
    // No caller's signal here: one caller giving up must not fail the others' shared refresh.
    pending = refreshAndSave(options, tokens).finally(() => refreshing.delete(key));
    refreshing.set(key, pending);
  }
  return pending;
}

/**
 * Tokens taken from the Codex CLI's cache are saved to kt's own file after
 * the refresh; the Codex CLI's file is never written.
 */
async function refreshAndSave(options: ResolvedAuthOptions, tokens: CodexTokens): Promise<CodexTokens> {
  const fresh = await refreshCodexTokens(options, tokens);
  await saveCodexTokens(fresh, options.env);
  return { ...fresh, source: 'kt' };
}
