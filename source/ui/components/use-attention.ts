/**
 * Wires `Attention` to the app: turns the terminal's focus reports on while
 * the app runs, watches stdin for them (the key parser drops them, so this
 * listener only looks and never takes input), and hears the creature's
 * events. Settings: `notifications` in the project's .kt/settings.json, and
 * `KT_NOTIFY=auto|bell|osc9|off` over it.
 */
import { useStdin, useStdout } from 'ink';
import { useEffect } from 'react';
import { NOTIFY_CHANNELS, readProjectSettings } from '../../builtins/permissions/project-settings.js';
import type { Agent } from '../../index.js';
import { Attention, DEFAULT_ATTENTION, FOCUS_REPORTS_OFF, FOCUS_REPORTS_ON, type AttentionSettings, type NotifyChannel } from './attention.js';

export function attentionSettings(cwd: string, env: NodeJS.ProcessEnv): AttentionSettings {
  let settings = { ...DEFAULT_ATTENTION };
  try {
    const configured = readProjectSettings(cwd).notifications;
    if (configured) settings = { channel: configured.channel, afterSeconds: configured.after_seconds };
  } catch {
    // A broken settings file is reported by the approval gate; notifications keep their defaults.
  }
  const override = env['KT_NOTIFY'];
  if (override && (NOTIFY_CHANNELS as readonly string[]).includes(override)) settings.channel = override as NotifyChannel;
  return settings;
}

export function useAttention(agent: Agent | undefined): void {
  const { stdin } = useStdin();
  const { stdout } = useStdout();
  useEffect(() => {
    if (!agent) return;
    const settings = attentionSettings(agent.cwd, process.env);
    if (settings.channel === 'off') return;
    const attention = new Attention(settings, () => agent.name, { write: (bytes) => stdout.write(bytes) });
    const onData = (chunk: string | Buffer) => attention.input(String(chunk));
    stdin.on('data', onData);
    stdout.write(FOCUS_REPORTS_ON);
    const off = agent.on((event) => attention.handle(event));
    return () => {
      off();
      stdin.off('data', onData);
      attention.dispose();
      stdout.write(FOCUS_REPORTS_OFF);
    };
  }, [agent, stdin, stdout]);
}
