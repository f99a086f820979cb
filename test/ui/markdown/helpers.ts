/** Shared by the markdown renderer tests: plain text of styled output, and its widest line. */
import stringWidth from 'string-width';
import { stripVTControlCharacters } from 'node:util';
import { renderMarkdown } from '../../../source/ui/markdown/renderer.js';

export const ESC = '\u001b';

export const plain = (text: string): string => stripVTControlCharacters(text);

/** Rendered without colour, as lines. */
export function linesOf(markdown: string, width = 80): string[] {
  return renderMarkdown(markdown, { width, color: false }).split('\n');
}

export function widest(text: string): number {
  return Math.max(0, ...text.split('\n').map((line) => stringWidth(line)));
}
