/**
 * How finished text becomes terminal text: markdown and diffs are rendered
 * by functions the entry loads before the first frame (the markdown
 * libraries stay out of startup), handed down through this context. The
 * default renders plain text, which is also what tests get unless they ask.
 */
import { createContext, useContext } from 'react';

export interface TextRenderer {
  color: boolean;
  markdown(text: string, width: number): string;
  diff(patch: string, width: number, maxLines: number): string;
}

export const plainRenderer: TextRenderer = {
  color: false,
  markdown: (text) => text,
  diff: (patch, _width, maxLines) => {
    const lines = patch.split('\n');
    return lines.length > maxLines ? [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more lines`].join('\n') : patch;
  },
};

export const RenderContext = createContext<TextRenderer>(plainRenderer);

export const useRenderer = (): TextRenderer => useContext(RenderContext);
