/**
 * Splitting a markdown file into YAML frontmatter and body.
 *
 * The rule, strictly:
 * - A leading UTF-8 byte-order mark is ignored; CRLF line endings read as LF.
 * - Frontmatter exists only when the very first line is `---` (trailing
 *   spaces allowed, nothing else). Otherwise the whole file is body.
 * - It ends at the next line that is exactly `---` (same allowance). If no
 *   such line follows, the frontmatter is malformed (reported at line 1).
 * - The lines in between are parsed as one YAML document, which must be a
 *   mapping (or empty). The body is everything after the closing line, trimmed.
 */
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { knownYamlParse } from '../util/known-yaml.js';

/** The kind under which engine/util/known-yaml.ts holds frontmatter parses (the whole result, by the file's text). */
export const FRONTMATTER_KIND = 'frontmatter';

export interface Frontmatter {
  /** Whether the file had a frontmatter block at all. */
  present: boolean;
  /** The parsed mapping; empty when absent or empty. */
  data: Record<string, unknown>;
  /** 1-based line in the file of each top-level key, for warnings. */
  keyLines: Record<string, number>;
  body: string;
}

/** Malformed frontmatter; `line` is 1-based in the whole file. */
export class FrontmatterError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'FrontmatterError';
  }
}

const FENCE = /^---[ \t]*$/;

/** Parse a file's text; throws `FrontmatterError` when the frontmatter is malformed. */
export function parseFrontmatter(text: string): Frontmatter {
  const known = knownYamlParse<Frontmatter>(FRONTMATTER_KIND, text);
  if (known) return known;
  const source = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { present: false, data: {}, keyLines: {}, body: source.trim() };
  const close = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (close < 0) throw new FrontmatterError('frontmatter opened with `---` is never closed (no second `---` line)', 1);

  const yamlText = lines.slice(1, close).join('\n');
  const body = lines.slice(close + 1).join('\n').trim();
  // Lines inside the YAML are offset by the opening fence.
  const toFileLine = (yamlLine: number) => yamlLine + 1;
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new FrontmatterError(`invalid YAML in frontmatter: ${firstLine(error.message)}`, toFileLine(line));
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { present: true, data: {}, keyLines: {}, body };
  }
  if (!isMap(doc.contents)) {
    const start = doc.contents.range?.[0] ?? 0;
    throw new FrontmatterError('frontmatter must be a mapping of keys to values', toFileLine(lineCounter.linePos(start).line));
  }
  const keyLines: Record<string, number> = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (key !== undefined && start !== undefined) keyLines[key] = toFileLine(lineCounter.linePos(start).line);
  }
  const data = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  return { present: true, data, keyLines, body };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}
