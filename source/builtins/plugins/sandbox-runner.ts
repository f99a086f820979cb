/**
 * The `subprocess_runner` runtime service: a plugin's say in how a tool
 * starts a program. `bash` (and any tool that spawns commands) hands it the
 * program, arguments and environment it is about to use, and starts whatever
 * comes back instead.
 *
 * A runner may only wrap the program (`unshare -n <shell> -c …`) or narrow
 * the environment; the tool keeps starting the result itself, so its own
 * guarantees (own process group, kill on timeout or interrupt) still hold.
 * A wrapper must therefore `exec` the program in the same process (as
 * `unshare` without `--fork` does), or the group kill would miss it.
 */
import type { ToolRuntime } from '../../engine/tools/runtime.js';

/** The service's name in `ctx.runtime.services()`. */
export const SUBPROCESS_RUNNER = 'subprocess_runner';

/** A program about to be started. */
export interface SubprocessLaunch {
  /** The program (an absolute path or a name looked up on PATH). */
  file: string;
  args: readonly string[];
  /** The complete environment of the child (nothing else is inherited). */
  env: Readonly<Record<string, string>>;
}

export interface SubprocessRunner {
  /** How the launch should really happen; called once per command, just before it starts. */
  prepare(launch: SubprocessLaunch): SubprocessLaunch;
}

function isRunner(value: unknown): value is SubprocessRunner {
  return typeof value === 'object' && value !== null && typeof (value as { prepare?: unknown }).prepare === 'function';
}

/** The runner plugins offer to this tool call, if one does. */
export function subprocessRunner(runtime: ToolRuntime): SubprocessRunner | undefined {
  const service = runtime.services?.()[SUBPROCESS_RUNNER];
  return isRunner(service) ? service : undefined;
}
