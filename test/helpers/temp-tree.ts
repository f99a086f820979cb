/**
 * Files on disk for tests that read configuration: a fresh temp folder per
 * call, so tests never see each other's files or the user's real ones.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Write `files` (relative path → text) under a fresh temp folder; returns the folder. */
export function tempTree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'kt-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/**
 * An environment whose config home holds `files` and nothing else. HOME
 * points there too, so no real login (e.g. the Codex CLI's) leaks in.
 */
export function configHome(files: Record<string, string> = {}): { KT_CONFIG_DIR: string; HOME: string } {
  const dir = tempTree(files);
  return { KT_CONFIG_DIR: dir, HOME: dir };
}
