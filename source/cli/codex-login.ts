/**
 * `kt login codex`: sign in with a ChatGPT subscription. Prints the device
 * code and the browser link, waits for either, and reports where the tokens
 * were saved. Tokens are never printed; the account id only masked.
 */
import { loginWithCodex } from '../engine/llm/codex/auth.js';
import { codexAuthPath } from '../engine/llm/codex/auth-store.js';
import type { CodexPrompt } from '../engine/llm/codex/auth-options.js';
import { isAbortError } from '../engine/errors.js';
import { EXIT, reportError } from './exit.js';

export interface CodexLoginIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Fired on Ctrl+C: the sign-in stops, the callback server closes, nothing is saved. */
  signal?: AbortSignal;
}

/**
 * Run the sign-in. Exit codes: 0 signed in, 1 sign-in failed, 2 bad
 * configuration (e.g. a malformed `KT_CODEX_ISSUER`), 130 interrupted.
 */
export async function codexLoginCommand(io: CodexLoginIO): Promise<number> {
  try {
    const tokens = await loginWithCodex({
      env: io.env,
      // Best effort and only on a desktop session; the link is printed regardless.
      openBrowser: true,
      ...(io.signal ? { signal: io.signal } : {}),
      onPrompt: (prompt) => io.stdout.write(promptText(prompt)),
    });
    io.stdout.write(`Signed in to ChatGPT (account ${maskAccountId(tokens.accountId)}).\nTokens saved to ${codexAuthPath(io.env)}\n`);
    return EXIT.ok;
  } catch (error) {
    if (io.signal?.aborted || isAbortError(error)) {
      io.stderr.write('kt: ChatGPT sign-in cancelled\n');
      return EXIT.interrupted;
    }
    return reportError(error, io.stderr);
  }
}

function promptText(prompt: CodexPrompt): string {
  const minutes = Math.max(1, Math.round(prompt.expiresInMs / 60_000));
  const lines = [
    'Sign in to ChatGPT to use your subscription with kt.',
    '',
    `  1. Open ${prompt.verificationUrl}`,
    `  2. Enter the code ${prompt.userCode}   (expires in ${minutes} min)`,
  ];
  if (prompt.authorizeUrl) lines.push('', 'Or, on this machine, open this link in a browser:', `  ${prompt.authorizeUrl}`);
  lines.push('', 'Waiting for sign-in... (Ctrl+C to cancel)', '');
  return lines.join('\n');
}

/** `abcd…wxyz`: enough to recognise the account, not enough to reuse it. */
export function maskAccountId(accountId: string | undefined): string {
  if (!accountId) return 'unknown';
  if (accountId.length <= 8) return `…${accountId.slice(-2)}`;
  return `${accountId.slice(0, 4)}…${accountId.slice(-4)}`;
}
