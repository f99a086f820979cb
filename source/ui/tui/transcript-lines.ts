/**
 * The transcript as lines for a scrolling pane: each finished item is drawn
 * once per width (Ink's renderToString) and cached, so scrolling and new
 * items never redraw what is already laid out.
 */
import { renderToString } from 'ink';
import { createElement } from 'react';
import { RenderContext, type TextRenderer } from '../components/render-context.js';
import { TranscriptItem } from '../components/transcript-item.js';
import type { Item } from '../state/view.js';

export class TranscriptLines {
  private cache = new Map<number, string[]>();
  private width = 0;

  constructor(private readonly renderer: TextRenderer) {}

  /** Every line of `items` at `width`; only items not seen at this width are drawn. */
  linesOf(items: readonly Item[], width: number): string[] {
    if (width !== this.width) {
      this.cache = new Map();
      this.width = width;
    }
    const out: string[] = [];
    for (const item of items) {
      let lines = this.cache.get(item.id);
      if (!lines) {
        const element = createElement(RenderContext.Provider, { value: this.renderer }, createElement(TranscriptItem, { item, width }));
        lines = renderToString(element, { columns: width }).split('\n');
        this.cache.set(item.id, lines);
      }
      for (const line of lines) out.push(line);
    }
    return out;
  }
}
