/**
 * `loginWithCodex`: both sign-in flows at once. The device code is shown
 * (it works anywhere, SSH included) next to the browser link (one click on a
 * desktop); whichever completes first wins and the other is cancelled. The
 * device code's lifetime is the deadline for the whole sign-in.
 */
import { AbortReason } from '../../errors.js';
import { startBrowserFlow, type BrowserFlow } from './auth-browser.js';
import { completeDeviceFlow, requestDeviceCode } from './auth-device.js';
import { openInBrowser } from './auth-open.js';
import { CODEX_BROWSER_PORT, resolveAuthOptions, type CodexAuthOptions } from './auth-options.js';
import { saveCodexTokens } from './auth-store.js';
import { throwIfAborted } from '../../util/abort.js';
import type { CodexTokens } from './tokens.js';

/**
 * Sign in to ChatGPT, save the tokens to `<KT_CONFIG_DIR>/codex-auth.json`
 * and return them. `onPrompt` receives the code and links to show the user.
 * Rejects with the signal's reason when `signal` fires, with
 * `CODEX_LOGIN_EXPIRED` / `CODEX_LOGIN_DENIED` errors, or with a
 * `ProviderError` naming the endpoint that failed.
 */
export async function loginWithCodex(options: CodexAuthOptions = {}): Promise<CodexTokens> {
  const resolved = resolveAuthOptions(options);
  throwIfAborted(resolved.signal);
  // Cancels the losing flow once the race is decided (and everything on the way out).
  const done = new AbortController();
  const signal = resolved.signal ? AbortSignal.any([resolved.signal, done.signal]) : done.signal;
  let browser: BrowserFlow | undefined;
  try {
    const device = await requestDeviceCode(resolved, signal);
    const port = options.browserPort ?? CODEX_BROWSER_PORT;
    if (port !== false) browser = await startBrowserFlow(resolved, port, signal);
    throwIfAborted(resolved.signal);

    const prompt = { verificationUrl: device.verificationUrl, userCode: device.userCode, expiresInMs: device.expiresInMs };
    options.onPrompt?.(browser ? { ...prompt, authorizeUrl: browser.authorizeUrl } : prompt);
    if (browser && options.openBrowser) openInBrowser(browser.authorizeUrl, resolved.env);

    const flows = [completeDeviceFlow(resolved, device, signal)];
    if (browser) flows.push(browser.tokens);
    // Stop the loser at once, so it cannot redeem a second code while we save.
    const tokens = await Promise.race(flows).finally(() => done.abort(new AbortReason('cancelled', 'the other sign-in flow finished first')));
    throwIfAborted(resolved.signal);
    await saveCodexTokens(tokens, resolved.env);
    return { ...tokens, source: 'kt' };
  } catch (error) {
    // Whatever a flow rejected with, a user abort reports as the user's reason.
    if (resolved.signal?.aborted) throw resolved.signal.reason;
    throw error;
  } finally {
    done.abort(new AbortReason('cancelled', 'ChatGPT sign-in finished'));
    await browser?.close();
  }
}
