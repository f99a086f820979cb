/**
 * `kt doctor`'s privacy check: the config folder and the sessions folder
 * hold conversations, prompt history and keys, so nobody but their owner
 * should be able to list or read them. kt creates them 0700; a folder made
 * before (or by hand) may be open to the group or everyone — that is a
 * warning with the chmod that fixes it, not a failure: kt still works.
 */
import { statSync } from 'node:fs';
import { configHome, openToOthers, sessionHome } from '../../engine/home.js';
import type { Check } from './doctor.js';

export function privacyCheck(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Check | undefined {
  // Windows has no POSIX modes; its ACLs are another matter.
  if (platform === 'win32') return undefined;
  const folders = [...new Set([configHome(env), sessionHome(env)])];
  const loose: Array<{ dir: string; mode: number }> = [];
  for (const dir of folders) {
    let mode: number;
    try {
      mode = statSync(dir).mode & 0o777;
    } catch {
      continue; // not created yet: kt will create it private
    }
    if (openToOthers(mode)) loose.push({ dir, mode });
  }
  if (!loose.length) return { name: 'privacy', ok: true, detail: 'config and session folders are private to you' };
  const list = loose.map((l) => `${l.dir} (mode ${l.mode.toString(8)})`).join(', ');
  return {
    name: 'privacy',
    ok: true,
    warn: true,
    detail: `other users can open ${list}: it holds your conversations and keys`,
    fix: `chmod 700 ${loose.map((l) => shellQuote(l.dir)).join(' ')}`,
  };
}

/** A path as one shell word. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
