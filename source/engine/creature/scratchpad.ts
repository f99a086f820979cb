/**
 * A creature's scratchpad: short named notes that tools keep across turns
 * (a plan, a counter, a path). It lives in the tool session, so any tool can
 * reach it through `ctx.session`, and a session file keeps it across resume.
 */
import type { ToolSession } from '../tools/tool.js';

const KEY = 'scratchpad';

export function scratchpadOf(session: ToolSession): Map<string, string> {
  let pad = session.state.get(KEY) as Map<string, string> | undefined;
  if (!pad) {
    pad = new Map();
    session.state.set(KEY, pad);
  }
  return pad;
}
