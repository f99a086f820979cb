/**
 * The few SGR (Select Graphic Rendition) attributes the renderers use, and
 * `paint`, which wraps text in them. A table of our own rather than a colour
 * library: it is a dozen numbers, and owning `paint` lets nested styles
 * survive (see below) and keeps the `color: false` path trivially escape-free.
 */

/** Each attribute's opening and closing SGR parameter. */
const SGR = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  inverse: [7, 27],
  strikethrough: [9, 29],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  brightRed: [91, 39],
  brightGreen: [92, 39],
  brightYellow: [93, 39],
  brightBlue: [94, 39],
  brightMagenta: [95, 39],
  brightCyan: [96, 39],
} as const satisfies Record<string, readonly [number, number]>;

export type Attribute = keyof typeof SGR;

/** A style is a list of attributes applied together, e.g. `['bold', 'cyan']`. */
export type Style = readonly Attribute[];

const code = (n: number): string => `\u001b[${n}m`;

/**
 * `text` wrapped in `style`'s escape codes, or `text` unchanged when colour is
 * off or the style is empty.
 *
 * Nesting: an inner span closes with the same code an outer one uses (inline
 * code inside a heading both end colour with 39), which would drop the outer
 * style for the rest of the text. So every closing code found inside `text`
 * is followed by this style's matching opening code again.
 */
export function paint(text: string, style: Style | undefined, color: boolean): string {
  if (!color || !style || style.length === 0 || text === '') return text;
  let body = text;
  let open = '';
  let close = '';
  for (const attribute of style) {
    const [on, off] = SGR[attribute];
    body = body.replaceAll(code(off), code(off) + code(on));
    open += code(on);
    close = code(off) + close;
  }
  return open + body + close;
}
