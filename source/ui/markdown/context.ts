/** What every block and inline renderer needs besides the tokens: how to style, and whether to. */
import type { Theme } from './theme.js';

export interface Context {
  readonly theme: Theme;
  readonly color: boolean;
}
