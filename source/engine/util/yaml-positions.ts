/**
 * Where each key and item of a YAML document starts, as plain data the
 * build can store with a parse (known-yaml.ts). Reading a bundled file then
 * needs no syntax tree even when a position is asked for: the tool entries
 * of a config, for one, record theirs as each creature loads.
 *
 * A step into a mapping lands on the key (that is where a reader looks), a
 * step into a sequence on the item; a path that goes past what exists stops
 * at the deepest node it reached.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

export interface PositionNode {
  /** 1-based line and column, when the node has a range. */
  at?: [number, number];
  map?: Record<string, PositionNode>;
  seq?: PositionNode[];
}

export function positionTree(doc: Document, lines: LineCounter): PositionNode {
  const at = (node: unknown): [number, number] | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return undefined;
    const pos = lines.linePos(range[0]);
    return [pos.line, pos.col];
  };
  const shape = (node: unknown, position: [number, number] | undefined): PositionNode => {
    const out: PositionNode = position ? { at: position } : {};
    if (isMap(node)) {
      const map: Record<string, PositionNode> = Object.create(null) as Record<string, PositionNode>;
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (!Object.hasOwn(map, key)) map[key] = shape(pair.value, at(pair.key) ?? position);
      }
      out.map = map;
    } else if (isSeq(node)) {
      out.seq = node.items.map((item) => shape(item, at(item) ?? position));
    }
    return out;
  };
  return shape(doc.contents, at(doc.contents));
}

/** The position `path` reaches in a tree from `positionTree`. */
export function positionAt(tree: PositionNode, path: ReadonlyArray<string | number>): { line: number; column: number } | undefined {
  let node = tree;
  let at = tree.at;
  for (const segment of path) {
    let next: PositionNode | undefined;
    if (node.map) next = Object.hasOwn(node.map, String(segment)) ? node.map[String(segment)] : undefined;
    else if (node.seq && typeof segment === 'number') next = node.seq[segment];
    if (!next) break;
    at = next.at ?? at;
    node = next;
  }
  return at ? { line: at[0], column: at[1] } : undefined;
}
