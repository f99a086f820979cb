/**
 * The framework hints as named blocks, so a creature (or a package) can
 * replace the framework's wording of one block without forking the rest.
 *
 * Two blocks are in every prompt that has hints:
 *   - `framework.execution_model.<mode>`: how to call tools. `native` when
 *     the provider's function calling is used; otherwise the text format's
 *     rules, keyed by `skill_mode` (`dynamic`, the default, or `static`);
 *   - `framework.output_model`: what happens to a call's output. The native
 *     hint says it in its one line, so natively this block is empty unless
 *     overridden.
 * An override replaces a block's text; an empty override drops the block.
 */

export const FRAMEWORK_HINT_KEYS = [
  'framework.output_model',
  'framework.execution_model.dynamic',
  'framework.execution_model.static',
  'framework.execution_model.native',
] as const;

export type FrameworkHintKey = (typeof FRAMEWORK_HINT_KEYS)[number];

export function isFrameworkHintKey(key: string): key is FrameworkHintKey {
  return (FRAMEWORK_HINT_KEYS as readonly string[]).includes(key);
}

export interface HintBlock {
  key: FrameworkHintKey;
  /** The framework's own text for this block ('' for none). */
  text: string;
}

/**
 * The hints section: each block's text, or its override. The framework's
 * blocks follow each other line by line (they continue one list); a block
 * whose text was overridden is a paragraph of its own, since it is prose.
 */
export function composeHints(blocks: readonly HintBlock[], overrides: Readonly<Record<string, string>> = {}): string {
  let out = '';
  let previousOverridden = false;
  for (const block of blocks) {
    const overridden = Object.hasOwn(overrides, block.key);
    const text = (overridden ? (overrides[block.key] as string) : block.text).trim();
    if (!text) continue;
    if (out) out += overridden || previousOverridden ? '\n\n' : '\n';
    out += text;
    previousOverridden = overridden;
  }
  return out;
}
