/**
 * JSON text helpers for `json_read`, `json_write` and the notebook tools:
 * parse errors with a line, a column and the offending line, and
 * re-indentation that works on the text, so numbers, key order and escapes
 * stay exactly as written.
 */

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

/** Parse JSON text (a leading BOM is allowed); the error names the line and column and shows the spot. */
export function parseJson(text: string): JsonParse {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    const found = findJsonError(body);
    if (found) return { ok: false, error: describeAt(body, found.position, found.message) };
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    return { ok: false, error: position ? describeAt(body, Number(position[1]), message) : message };
  }
}

/** "<message> at line L, column C:" then the line and a caret under the spot. */
function describeAt(text: string, position: number, message: string): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = position - lineStart + 1;
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd === -1) lineEnd = text.length;
  // Long (minified) lines are shown as a window around the spot.
  const from = Math.max(lineStart, position - 60);
  const to = Math.min(lineEnd, position + 60);
  const excerpt = `${from > lineStart ? '…' : ''}${text.slice(from, to).replace(/\r$/, '')}${to < lineEnd ? '…' : ''}`;
  const caret = ' '.repeat(position - from + (from > lineStart ? 1 : 0));
  return `${message} at line ${line}, column ${column}:\n  ${excerpt}\n  ${caret}^`;
}

class JsonSyntax {
  constructor(
    readonly position: number,
    readonly message: string,
  ) {}
}

/** The first syntax error in `text`, in words; undefined if it finds none. */
function findJsonError(text: string): { position: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntax(at, message);
  };
  const what = () => (i >= text.length ? 'end of input' : `character ${JSON.stringify(text[i])}`);
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string (it needs four hex digits)');
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) fail(`bad escape \\${next ?? ''} in string`);
        i += 2;
        continue;
      }
      if (c < ' ') fail('unescaped control character in string (write \\n, \\t, … instead)');
      i++;
    }
    fail('unterminated string', start);
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      number.lastIndex = i;
      const match = number.exec(text);
      if (!match) fail('invalid number');
      i += match![0].length;
      return;
    }
    if (c === "'") fail('strings must use double quotes');
    fail(`unexpected ${what()}; expected a value`);
  };
  const object = () => {
    i++;
    space();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      space();
      if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before }' : `expected a property name in double quotes, found ${what()}`);
      string();
      space();
      if (text[i] !== ':') fail(`expected ':' after the property name, found ${what()}`);
      i++;
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`expected ',' or '}', found ${what()}`);
    }
  };
  const array = () => {
    i++;
    space();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      space();
      if (text[i] === ']') fail('trailing comma before ]');
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`expected ',' or ']', found ${what()}`);
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${what()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntax) return { position: error.position, message: error.message };
    throw error;
  }
}

/**
 * Re-indent valid JSON text: one value or member per line, `indent` per
 * level (a number of spaces or the indent string itself), empty objects and
 * arrays kept as `{}` and `[]`. Strings and numbers are copied as written.
 */
export function reindentJson(text: string, indent: number | string = 2): string {
  const unit = typeof indent === 'number' ? ' '.repeat(indent) : indent;
  const body = text.replace(/^\uFEFF/, '');
  let out = '';
  let depth = 0;
  const newline = () => `\n${unit.repeat(depth)}`;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') {
      let end = i + 1;
      while (end < body.length && body[end] !== '"') end += body[end] === '\\' ? 2 : 1;
      out += body.slice(i, end + 1);
      i = end;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      let next = i + 1;
      while (next < body.length && ' \t\n\r'.includes(body[next]!)) next++;
      if (body[next] === close) {
        out += c + close;
        i = next;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += `,${newline()}`;
    } else if (c === ':') {
      out += ': ';
    } else if (!' \t\n\r'.includes(c)) {
      out += c;
    }
  }
  return out;
}

/** The indentation a JSON file uses: the leading whitespace of its first indented line (default one space, as Jupyter writes). */
export function detectIndent(text: string, fallback = ' '): string {
  const match = /\n([ \t]+)\S/.exec(text);
  return match ? match[1]! : fallback;
}
