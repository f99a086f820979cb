/**
 * A parsed YAML (or JSON) file that remembers where each key came from, so
 * every later error can name the file, the key path and the line.
 */
import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { ConfigError } from '../errors.js';
import { knownYamlParse } from '../util/known-yaml.js';
import { positionAt, positionTree, type PositionNode } from '../util/yaml-positions.js';

export interface Position {
  line: number;
  column: number;
}

/** What `YamlSource` keeps of a parse, as the build stores it for the bundled pack (engine/util/known-yaml.ts). */
export interface ParsedYaml {
  data: unknown;
  empty: boolean;
  positions: PositionNode;
}

/** The kind under which known-yaml.ts holds YamlSource parses. */
export const YAML_SOURCE_KIND = 'yaml-source';

interface Tree {
  doc: Document;
  lines: LineCounter;
}

export class YamlSource {
  private constructor(
    readonly file: string,
    readonly data: unknown,
    /** True when the file holds no document at all (blank or only comments). */
    readonly empty: boolean,
    private readonly where: Tree | PositionNode,
  ) {}

  /** Read and parse a file. Syntax errors become a ConfigError with the line. */
  static read(file: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { file });
    }
    return YamlSource.parse(text, file);
  }

  static parse(text: string, file: string): YamlSource {
    const known = knownYamlParse<ParsedYaml>(YAML_SOURCE_KIND, text);
    if (known) return new YamlSource(file, known.data, known.empty, known.positions);
    const tree = parseTree(text, file);
    return new YamlSource(file, expand(tree.doc, tree.lines, file), tree.doc.contents === null, tree);
  }

  /** The parse as the build's table stores it (from a fresh parse only). */
  toParsed(): ParsedYaml {
    if (!('doc' in this.where)) throw new Error('toParsed() needs a parsed file');
    return { data: this.data, empty: this.empty, positions: positionTree(this.where.doc, this.where.lines) };
  }

  /**
   * Position of the deepest node on `path` that exists: the key itself for
   * map entries (that is where a reader looks), the item for sequences.
   */
  locate(path: ReadonlyArray<string | number>): Position | undefined {
    if (!('doc' in this.where)) return positionAt(this.where, path);
    const { doc, lines } = this.where;
    let node: unknown = doc.contents;
    let offset: number | undefined = rangeStart(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    if (offset === undefined) return undefined;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }
}

/** Parse to a syntax tree. Syntax errors become a ConfigError with the line. */
function parseTree(text: string, file: string): Tree {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    throw new ConfigError(`invalid YAML: ${reason}`, { file, line: pos.line, column: pos.col });
  }
  return { doc, lines };
}

/** Aliases a file may expand; a few hundred is far beyond any real config, and "billion laughs" files need millions. */
const MAX_ALIAS_EXPANSIONS = 100;

/**
 * The document as plain data, or null when empty. Aliases are expanded with
 * a cap: the yaml package throws a bare ReferenceError past it (and for an
 * alias without its anchor), which becomes a ConfigError at the first alias.
 */
function expand(doc: Document, lines: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) ?? null;
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let offset: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        offset = rangeStart(node);
        return visit.BREAK;
      },
    });
    const pos = offset === undefined ? undefined : lines.linePos(offset);
    const reason = /resource exhaustion/.test(error.message)
      ? `too many alias expansions (more than ${MAX_ALIAS_EXPANSIONS}); the file looks like an alias bomb`
      : error.message;
    throw new ConfigError(`invalid YAML: ${reason}`, { file, ...(pos ? { line: pos.line, column: pos.col } : {}) });
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}
