/**
 * Reading kohaku.yaml: the data plus a way to find a key's line for errors
 * found later. Kept here rather than borrowed from engine/config, which
 * imports this folder (package references), so the two never import each other.
 */
import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { knownYamlParse } from '../util/known-yaml.js';
import { positionAt, positionTree, type PositionNode } from '../util/yaml-positions.js';
import { ManifestError } from './errors.js';

/** The kind under which engine/util/known-yaml.ts holds manifest parses (the data, by text). */
export const MANIFEST_KIND = 'manifest';

/** Aliases a manifest may expand; far beyond any real one, far below an alias bomb. */
const MAX_ALIASES = 100;

export interface ManifestText {
  data: unknown;
  lineOf(keyPath: ReadonlyArray<string | number>): number | undefined;
}

export function readManifestYaml(file: string): ManifestText {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { file });
  }
  const known = knownYamlParse<{ data: unknown; positions: PositionNode }>(MANIFEST_KIND, text);
  if (known) return { data: known.data, lineOf: (path) => positionAt(known.positions, path)?.line };
  return parseManifestText(text, file);
}

/** A manifest as the build's table stores it. */
export function parsedManifest(text: string, file: string): { data: unknown; positions: PositionNode } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { data: parseManifestText(text, file).data, positions: positionTree(doc, lines) };
}

/** Parse a manifest's text. */
function parseManifestText(text: string, file: string): ManifestText {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    throw new ManifestError(`invalid YAML: ${reason}`, { file, line: lines.linePos(first.pos[0]).line });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new ManifestError(`invalid YAML: ${(error as Error).message}`, { file });
  }
  const lineOf = (path: ReadonlyArray<string | number>): number | undefined => {
    let node: unknown = doc.contents;
    let offset = start(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        offset = start(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        offset = start(node) ?? offset;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : lines.linePos(offset).line;
  };
  return { data, lineOf };
}

function start(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}
