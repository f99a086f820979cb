/**
 * Keys the original accepts that this version validates but does not act on
 * yet. A config written for the original must still load, but a setting that
 * silently does nothing is a lie to its author: each one present warns, with
 * file, key path and line, like an unknown key.
 */
import { formatKeyPath } from '../errors.js';
import { SUBAGENT_PENDING_KEYS, type CreatureLayer } from './schema.js';
import type { ConfigWarning } from './validate.js';
import type { YamlSource } from './yaml-source.js';

interface InertKey {
  /** Key path; `*` stands for every index of a list. */
  path: readonly string[];
  /** Warn only for values this version does not honour (absent: any value). */
  unsupported?: (value: unknown) => boolean;
  /** What happens instead, when "it has no effect" is not the whole story. */
  instead?: string;
}

export const INERT_KEYS: readonly InertKey[] = [
  { path: ['controller', 'auth_mode'], instead: 'the provider decides how to authenticate (kt login)' },
  { path: ['controller', 'max_messages'] },
  { path: ['max_messages'] },
  { path: ['controller', 'ephemeral'] },
  { path: ['ephemeral'] },
  { path: ['termination', 'max_tokens'] },
  { path: ['sanitize_orphan_tool_calls'], unsupported: (v) => v === false, instead: 'tool calls without results are always repaired before sending' },
  { path: ['tools', '*', 'doc'] },
  { path: ['tools', '*', 'notify_controller_on_background_complete'] },
  ...SUBAGENT_PENDING_KEYS.map((key): InertKey =>
    key === 'budget_inherit'
      ? { path: ['subagents', '*', key], unsupported: (v) => v === false, instead: 'sub-agents always share the max_iterations budget' }
      : { path: ['subagents', '*', key] },
  ),
];

export function warnInert(layer: CreatureLayer, source: Pick<YamlSource, 'file' | 'locate'>, warnings: ConfigWarning[]): void {
  for (const inert of INERT_KEYS) {
    const found: Array<[Array<string | number>, unknown]> = [];
    present(layer, inert.path, 0, [], found);
    for (const [keyPath, value] of found) {
      if (inert.unsupported && !inert.unsupported(value)) continue;
      const pos = source.locate(keyPath);
      warnings.push({
        message: `'${formatKeyPath(keyPath)}' is accepted but not supported yet; it has no effect${inert.instead ? ` (${inert.instead})` : ''}`,
        file: source.file,
        keyPath,
        ...(pos ? { line: pos.line } : {}),
      });
    }
  }
}

/**
 * Add to `out` every concrete key path matching `pattern` (from `at`) that
 * holds a value, with the value. `prefix` is the path so far, copied only for
 * a hit: the ~20 patterns are walked over every tool and sub-agent entry of
 * every config a build reads, almost always finding nothing.
 */
function present(data: unknown, pattern: readonly string[], at: number, prefix: Array<string | number>, out: Array<[Array<string | number>, unknown]>): void {
  if (at === pattern.length) {
    if (data !== undefined) out.push([[...prefix], data]);
    return;
  }
  if (data === null || typeof data !== 'object') return;
  const head = pattern[at] as string;
  if (head !== '*') {
    prefix.push(head);
    present((data as Record<string, unknown>)[head], pattern, at + 1, prefix, out);
    prefix.pop();
    return;
  }
  if (!Array.isArray(data)) return;
  for (let index = 0; index < data.length; index++) {
    prefix.push(index);
    present(data[index], pattern, at + 1, prefix, out);
    prefix.pop();
  }
}
