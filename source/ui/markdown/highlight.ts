/**
 * Syntax highlighting for fenced code blocks: highlight.js tokenizes, this
 * module turns its output into styled terminal lines.
 *
 * Only highlight.js's core and a curated set of languages are loaded (the full
 * bundle registers ~190 grammars and costs far more start-up time). This module
 * is part of the lazily imported renderer; nothing loads it at start-up.
 */
import hljsCore from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { paint, type Style } from './ansi.js';
import { decodeEntities } from './entities.js';
import type { Theme } from './theme.js';

// A private instance: configuring the shared singleton would change it for
// any other code in the process that uses highlight.js.
const hljs = hljsCore.newInstance();
// Bare scope names as classes (`keyword`, not `hljs-keyword`): they are the theme's keys.
hljs.configure({ classPrefix: '' });

// Aliases come with the grammars: `ts`, `js`, `py`, `sh`, `html`, `yml`,
// `toml` (ini), `rs`, `golang`, `patch`, ...
const LANGUAGES = { bash, c, cpp, css, diff, go, ini, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, grammar] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, grammar);

/** Whether `language` (a fence's info word) has a grammar here. */
export function knowsLanguage(language: string): boolean {
  return hljs.getLanguage(language) !== undefined;
}

/**
 * `code` as highlighted terminal lines, one per source line, or `undefined`
 * when the language is unknown (the caller shows it plain). Each line opens
 * and closes its own styles, so lines can be wrapped or dropped independently.
 */
export function highlightLines(code: string, language: string, theme: Theme, color: boolean): string[] | undefined {
  if (!knowsLanguage(language)) return undefined;
  const { value } = hljs.highlight(code, { language, ignoreIllegals: true });
  return spansToLines(value, theme, color);
}

/**
 * highlight.js emits escaped text inside nested `<span class="scope">`
 * elements and nothing else, so a scan for those three shapes is enough.
 * Styles are a stack: a span whose scope the theme doesn't style inherits
 * its parent's, and a multi-line span (a block comment) keeps its style on
 * every line.
 */
function spansToLines(html: string, theme: Theme, color: boolean): string[] {
  const styles: (Style | undefined)[] = [];
  const lines: string[] = [''];
  for (const match of html.matchAll(/<span class="([^"]*)">|<\/span>|[^<]+/g)) {
    const [whole, classes] = match;
    if (classes !== undefined) {
      const scope = classes.split(' ')[0] ?? '';
      styles.push(theme.syntax[scope] ?? styles.at(-1));
    } else if (whole === '</span>') {
      styles.pop();
    } else {
      const pieces = decodeEntities(whole).split('\n');
      pieces.forEach((piece, i) => {
        if (i > 0) lines.push('');
        lines[lines.length - 1] += paint(piece, styles.at(-1), color);
      });
    }
  }
  return lines;
}
