/**
 * What both screens (cli and tui) are given: what the prompt area needs, and
 * how to turn finished text into terminal text.
 */
import type { PromptAreaProps } from './prompt-area.js';
import type { TextRenderer } from './render-context.js';

export type AppProps = Omit<PromptAreaProps, 'onScroll' | 'onLayoutKey' | 'mode'> & { renderer: TextRenderer };
