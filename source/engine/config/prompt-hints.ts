/**
 * `framework_hint_overrides` (alias `framework_hints`): hint block key →
 * the prose to use instead. Keys outside the canonical blocks warn with
 * file, key path and line (a typo must not silently do nothing); a null or
 * empty value drops the block.
 */
import { formatKeyPath } from '../errors.js';
import { FRAMEWORK_HINT_KEYS, isFrameworkHintKey } from '../prompt/hint-blocks.js';
import { didYouMean } from '../util/close-match.js';
import type { ConfigWarning } from './validate.js';
import type { YamlSource } from './yaml-source.js';

export function hintOverridesOf(
  value: unknown,
  keyPath: ReadonlyArray<string | number>,
  source: Pick<YamlSource, 'file' | 'locate'>,
  warnings: ConfigWarning[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const warn = (path: Array<string | number>, message: string) => {
    const pos = source.locate(path);
    warnings.push({ message, file: source.file, keyPath: path, ...(pos ? { line: pos.line } : {}) });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    warn([...keyPath], `'${formatKeyPath(keyPath)}' should map hint block keys to text; ignored`);
    return out;
  }
  for (const [key, text] of Object.entries(value)) {
    const path = [...keyPath, key];
    if (!isFrameworkHintKey(key)) {
      warn(path, `unknown framework hint block '${key}' in '${formatKeyPath(keyPath)}' is ignored${didYouMean(key, FRAMEWORK_HINT_KEYS)} (known: ${FRAMEWORK_HINT_KEYS.join(', ')})`);
      continue;
    }
    if (text !== null && typeof text !== 'string') {
      warn(path, `framework hint '${key}' should be text; ignored`);
      continue;
    }
    out[key] = text ?? '';
  }
  return out;
}
