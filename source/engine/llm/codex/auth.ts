/**
 * Signing in with a ChatGPT subscription (OpenAI's Codex OAuth), the way the
 * Codex CLI does: `loginWithCodex` for `kt login codex`, `codexCredentials`
 * for the Codex model provider, and the token file helpers.
 *
 * Flows: device code (`{issuer}/codex/device`) and browser PKCE with a
 * loopback callback on port 1455, run side by side. Tokens live in
 * `<KT_CONFIG_DIR>/codex-auth.json` (0600); the Codex CLI's
 * `~/.codex/auth.json` is read as a fallback and never written.
 */
export { loginWithCodex } from './auth-login.js';
export { codexCredentials, type CodexCredentials } from './auth-credentials.js';
export { codexAuthPath, codexCliAuthPath, deleteCodexTokens, loadCodexTokens, saveCodexTokens } from './auth-store.js';
export { CODEX_BROWSER_PORT, CODEX_CLIENT_ID, CODEX_ISSUER, type CodexAuthOptions, type CodexPrompt } from './auth-options.js';
export type { CodexTokens } from './tokens.js';
