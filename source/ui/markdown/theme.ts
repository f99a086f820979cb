/**
 * What each kind of text looks like, by meaning rather than by colour, so the
 * renderers never name a colour and a UI can swap the whole palette at once.
 * Colours stay within the 16 basic ones: they follow the user's terminal
 * palette, light or dark.
 */
import type { Style } from './ansi.js';

export interface Theme {
  /** Headings by depth; deeper levels reuse the last entry. */
  heading: readonly Style[];
  strong: Style;
  emphasis: Style;
  strike: Style;
  /** Inline `code`. */
  code: Style;
  /** Link text; the URL after it uses `dim`. */
  link: Style;
  quote: Style;
  /** The bar in front of quoted lines. */
  quoteBar: Style;
  bullet: Style;
  rule: Style;
  tableBorder: Style;
  tableHeader: Style;
  /** Secondary text: URLs, code-block language labels, diff gutters. */
  dim: Style;
  diffAdd: Style;
  diffRemove: Style;
  diffHunk: Style;
  diffFile: Style;
  /**
   * Syntax highlighting, keyed by highlight.js scope (`keyword`, `string`, ...).
   * Scopes not listed keep the surrounding style.
   */
  syntax: Readonly<Record<string, Style>>;
}

export const defaultTheme: Theme = {
  heading: [['bold', 'underline', 'magenta'], ['bold', 'magenta'], ['bold']],
  strong: ['bold'],
  emphasis: ['italic'],
  strike: ['strikethrough'],
  code: ['cyan'],
  link: ['blue', 'underline'],
  quote: ['italic'],
  quoteBar: ['gray'],
  bullet: ['yellow'],
  rule: ['gray'],
  tableBorder: ['gray'],
  tableHeader: ['bold'],
  dim: ['gray'],
  diffAdd: ['green'],
  diffRemove: ['red'],
  diffHunk: ['cyan', 'dim'],
  diffFile: ['bold'],
  syntax: {
    keyword: ['magenta'],
    built_in: ['cyan'],
    type: ['cyan'],
    literal: ['blue'],
    number: ['yellow'],
    string: ['green'],
    regexp: ['red'],
    subst: [],
    symbol: ['yellow'],
    comment: ['gray', 'italic'],
    doctag: ['gray'],
    meta: ['gray'],
    title: ['blue'],
    params: [],
    attr: ['yellow'],
    attribute: ['yellow'],
    property: ['blue'],
    variable: ['red'],
    'template-variable': ['red'],
    tag: ['gray'],
    name: ['red'],
    'selector-tag': ['magenta'],
    'selector-class': ['yellow'],
    'selector-id': ['yellow'],
    section: ['bold', 'magenta'],
    bullet: ['yellow'],
    emphasis: ['italic'],
    strong: ['bold'],
    link: ['blue', 'underline'],
    quote: ['gray', 'italic'],
    addition: ['green'],
    deletion: ['red'],
  },
};
