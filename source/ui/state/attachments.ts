/**
 * Files a prompt attaches with `@path`: the model gets their text in
 * `<file>` blocks after the prompt; the transcript shows one line per file
 * (`@notes.txt (12 lines)`), so a long file never floods the scrollback.
 */
import type { UserContent } from '../../index.js';

/** The block a mentioned file's text is sent in. */
export function fileBlock(path: string, content: string): string {
  return `<file path="${path}">\n${content.replace(/\n$/, '')}\n</file>`;
}

/** The prompt followed by its files' blocks, as sent to the model. */
export function withFiles(prompt: string, blocks: readonly string[]): string {
  return blocks.length ? `${prompt}\n\n${blocks.join('\n\n')}` : prompt;
}

const TRAILING_BLOCKS = /(?:\n\n<file path="[^"\n]*">\n[\s\S]*?\n<\/file>)+$/;
const BLOCK = /<file path="([^"\n]*)">\n([\s\S]*?)\n<\/file>/g;

/** What the transcript shows for a user message: the prompt, then `@path (n lines)` for each attached file. */
export function shownInput(input: UserContent): string {
  const text = typeof input === 'string' ? input : input.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n');
  const tail = TRAILING_BLOCKS.exec(text);
  if (!tail) return text;
  const files = [...tail[0].matchAll(BLOCK)].map(([, path, content]) => {
    const lines = content!.split('\n').length;
    return `@${path} (${lines} ${lines === 1 ? 'line' : 'lines'})`;
  });
  return `${text.slice(0, tail.index)}\n${files.join('\n')}`;
}
