/**
 * The `@google/genai` client constructor writes to the console on its own
 * (e.g. "Both GOOGLE_API_KEY and GEMINI_API_KEY are set" when both variables
 * exist, even though we pass the key explicitly). We build the client lazily,
 * in the middle of a turn, where console output would corrupt the terminal UI.
 */

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Run `build` with the console muted. Only for synchronous code: no other
 * code can run until it returns, so nothing else loses output.
 */
export function withQuietConsole<T>(build: () => T): T {
  const saved = METHODS.map((method) => [method, console[method]] as const);
  const mute = () => undefined;
  for (const method of METHODS) console[method] = mute;
  try {
    return build();
  } finally {
    for (const [method, original] of saved) console[method] = original;
  }
}
