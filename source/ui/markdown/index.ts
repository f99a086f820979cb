/**
 * Terminal rendering of finished transcript items: an assistant's markdown
 * and a tool's diff. `renderDiff` and `findSafeSplitPoint` are light and
 * ready at once; markdown needs the lexer and highlighter, loaded on demand
 * by `loadMarkdown()` so that commands which never show markdown
 * (`kt --version`) never load them.
 */
import type { MarkdownOptions } from './renderer.js';

export type { MarkdownOptions } from './renderer.js';
export type { DiffOptions } from './diff.js';
export type { Theme } from './theme.js';
export type { Attribute, Style } from './ansi.js';
export { defaultTheme } from './theme.js';
export { renderDiff } from './diff.js';
import { renderDiff } from './diff.js';
import type { TextRenderer } from '../components/render-context.js';
export { findSafeSplitPoint } from './split.js';

export interface MarkdownRenderer {
  /** Synchronous once loaded: `markdown` as terminal lines joined by `\n`. */
  renderMarkdown(markdown: string, options: MarkdownOptions): string;
}

let loading: Promise<MarkdownRenderer> | undefined;
let loaded: MarkdownRenderer | undefined;

/** Loads the markdown renderer once; later calls return the same promise. */
export function loadMarkdown(): Promise<MarkdownRenderer> {
  loading ??= import('./renderer.js').then(
    ({ renderMarkdown }) => (loaded = { renderMarkdown }),
    (error: unknown) => {
      // Let a later call try again rather than keep a failure forever.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The renderer if `loadMarkdown()` has finished, for synchronous render paths; else undefined. */
export function markdownRenderer(): MarkdownRenderer | undefined {
  return loaded;
}

/** How a terminal app draws model text: markdown and diffs, in colour unless NO_COLOR is set or the output is not a terminal. */
export function terminalRenderer(stdout: NodeJS.WriteStream): TextRenderer {
  const color = !process.env.NO_COLOR && Boolean(stdout.isTTY);
  return {
    color,
    markdown: (text, width) => markdownRenderer()?.renderMarkdown(text, { width, color }) ?? text,
    diff: (patch, width, maxLines) => renderDiff(patch, { width, color, maxLines }),
  };
}
