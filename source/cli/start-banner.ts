/**
 * What the start banner of an interactive run says, gathered from the built
 * creature and the run's options (the terminal app draws it).
 */
import { homedir } from 'node:os';
import { basename, sep } from 'node:path';
import type { StartBannerData } from '../ui/components/start-banner.js';

export function startBannerData(
  agent: { name: string; model: string; cwd: string; sessionPath: string | undefined },
  approvalMode: string,
  home = homedir(),
): StartBannerData {
  const cwd = agent.cwd === home ? '~' : agent.cwd.startsWith(home + sep) ? `~${agent.cwd.slice(home.length)}` : agent.cwd;
  return {
    creature: agent.name,
    model: agent.model,
    cwd,
    approvalMode,
    session: agent.sessionPath ? basename(agent.sessionPath, '.kohakutr') : undefined,
  };
}
