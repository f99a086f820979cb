/**
 * Loading the terminal app module, once, however many callers ask (the
 * early draw of `kt run`, the prefetch while a creature builds, the
 * hand-off after it). Light: no engine, no Ink until called.
 */
type TerminalApp = typeof import('../ui/cli/run.js');

let loading: Promise<TerminalApp> | undefined;

export function loadTerminalApp(): Promise<TerminalApp> {
  if (loading) return loading;
  // Ink's colour detection ignores NO_COLOR (https://no-color.org); tell it before it loads.
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  loading = import('../ui/cli/run.js');
  // Callers may await it later, or never (a build that fails first): a failed load must not
  // also surface as an unhandled rejection.
  loading.catch(() => undefined);
  return loading;
}
