/**
 * Wires `Attention` to the app: turns the terminal's focus reports on while
 * the app runs, watches stdin for them (the key parser drops them, so this
 * listener only looks and never takes input), and hears the creature's
 * events. Settings: `notifications` in the project's .kt/settings.json, and
 * `KT_NOTIFY=auto|bell|osc9|off` over it.
 */
import { useStdin, useStdout } from 'ink';
import { useEffect } from 'react';
import type { Agent } from '../../index.js';
import { Attention, DEFAULT_ATTENTION, FOCUS_REPORTS_OFF, FOCUS_REPORTS_ON, type AttentionSettings, type NotifyChannel } from './attention.js';

const CHANNELS: readonly NotifyChannel[] = ['auto', 'bell', 'osc9', 'off'];

/** Loaded once the creature is there (the settings module brings zod, which the first frame does without). */
export async function attentionSettings(cwd: string, env: NodeJS.ProcessEnv): Promise<AttentionSettings> {
  const { readProjectSettings } = await import('../../builtins/permissions/project-settings.js');
  let settings = { ...DEFAULT_ATTENTION };
  try {
    const configured = readProjectSettings(cwd).notifications;
    if (configured) settings = { channel: configured.channel, afterSeconds: configured.after_seconds };
  } catch {
    // A broken settings file is reported by the approval gate; notifications keep their defaults.
  }
  const override = env['KT_NOTIFY'];
  if (override && (CHANNELS as readonly string[]).includes(override)) settings.channel = override as NotifyChannel;
  return settings;
}

export function useAttention(agent: Agent | undefined): void {
  const { stdin } = useStdin();
  // Ink's `write` puts bytes out and redraws the frame after them, so a notification never leaves the frame half-drawn.
  const { stdout, write } = useStdout();
  useEffect(() => {
    if (!agent) return;
    let stop: (() => void) | undefined;
    let live = true;
    void attentionSettings(agent.cwd, process.env).then((settings) => {
      if (!live || settings.channel === 'off') return;
      const attention = new Attention(settings, () => agent.name, { write });
      const onData = (chunk: string | Buffer) => attention.input(String(chunk));
      stdin.on('data', onData);
      write(FOCUS_REPORTS_ON);
      const off = agent.on((event) => attention.handle(event));
      stop = () => {
        off();
        stdin.off('data', onData);
        attention.dispose();
        // Raw: this may run while Ink unmounts, when its `write` no longer writes.
        stdout.write(FOCUS_REPORTS_OFF);
      };
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [agent, stdin, stdout, write]);
}
