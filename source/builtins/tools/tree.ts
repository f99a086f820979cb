/**
 * `tree`: a folder's layout at a glance, folders first, with a one-line
 * summary next to each markdown file (its frontmatter `name`/`description`,
 * or its first heading), so a docs or memory folder explains itself.
 */
import { open, readlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { describeFsError, plural, statIfExists } from './fs-util.js';
import { locate, notFound } from './path-guard.js';
import { type FoundEntry, findEntries } from './walk.js';

const DEFAULT_DEPTH = 3;
const MAX_DEPTH = 20;
const DEFAULT_LIMIT = 100;
/** Bytes of a markdown file read for its summary. */
const SUMMARY_BYTES = 4096;
const SUMMARY_CHARS = 100;
/** Markdown summaries read at once. */
const SUMMARY_BATCH = 16;

const input = builtinInput('tree', () => z.object({
  path: z.string().min(1).default('.').describe('Directory to show. Default: the working directory.'),
  depth: z.number().int().min(1).max(MAX_DEPTH).default(DEFAULT_DEPTH).describe(`Levels to descend (1: only the directory's own entries). Default: ${DEFAULT_DEPTH}.`),
  limit: z.number().int().min(0).default(DEFAULT_LIMIT).describe(`Most entry lines to show; 0 for no limit. Default: ${DEFAULT_LIMIT}.`),
  gitignore: z.boolean().default(true).describe('Leave out what .gitignore ignores. Default: true.'),
}));

const DESCRIPTION = 'Show a directory as a tree (folders first), with one-line summaries of markdown files.';

const DOC = `Show the files and folders under \`path\` (default: the working directory) as an indented tree.

- \`depth\` (default ${DEFAULT_DEPTH}) levels are shown; a folder at the last level says how many entries it holds.
- Folders come first, then files, each group sorted by name. Folders end in \`/\`; symbolic links show their target (\`name -> target\`) and are not followed.
- Markdown files get a short summary: the \`name\` and \`description\` of their YAML frontmatter, or else their first heading.
- At most \`limit\` entry lines (default ${DEFAULT_LIMIT}; 0 = no limit), with a note saying how many were left out.
- What .gitignore ignores is left out unless \`gitignore\` is false; the .git folder always is.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const treeTool: ToolFactory = {
  name: 'tree',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'tree',
      description: DESCRIPTION,
      doc: DOC,
      input,
      async execute(args, ctx) {
        const { absolute: root, shown } = await locate(ctx, args.path, 'tree');
        const stats = await statIfExists(root).catch((error: unknown) => {
          throw new ToolError(describeFsError(error, shown), { tool: 'tree' });
        });
        if (!stats) throw new ToolError(await notFound(ctx, 'directory', root, shown), { tool: 'tree' });
        if (!stats.isDirectory()) throw new ToolError(`${shown} is a file, not a directory; use read to see it.`, { tool: 'tree' });

        // One level more than shown, to count what the deepest folders hold.
        const entries = await findEntries(root, args.depth + 1, ctx.signal, { gitignore: args.gitignore });
        const top = buildTree(entries);
        const rows: Row[] = [];
        flatten(top, args.depth, '', rows);

        const limit = args.limit === 0 ? rows.length : args.limit;
        const shownRows = rows.slice(0, limit);
        await addSummaries(root, shownRows);
        const header = `${shown === '.' ? '.' : shown}/`.replace(/\/+$/, '/');
        const lines = [header, ...shownRows.map(formatRow)];
        if (rows.length === 0) lines.push('(empty)');
        const totals = count(top, args.depth);
        lines.push('');
        lines.push(`${plural(totals.directories, 'directory', 'directories')}, ${plural(totals.files, 'file')}`);
        if (rows.length > shownRows.length) {
          lines.push(`[Showing ${shownRows.length} of ${rows.length} entries; raise limit (0 = no limit), lower depth, or give a subfolder as path.]`);
        }
        return lines.join('\n');
      },
    }),
};

interface Node {
  name: string;
  /** Relative to the root, `/` separators. */
  path: string;
  kind: FoundEntry['kind'];
  children: Map<string, Node>;
}

interface Row {
  node: Node;
  /** Tree-drawing prefix, e.g. "│   └── ". */
  prefix: string;
  /** Entries inside a folder at the last level shown. */
  hidden?: number;
  summary?: string;
  target?: string;
}

function buildTree(entries: FoundEntry[]): Node {
  const root: Node = { name: '', path: '', kind: 'directory', children: new Map() };
  const ensure = (relative: string, kind: FoundEntry['kind']): Node => {
    let node = root;
    const parts = relative.split('/');
    parts.forEach((name, i) => {
      let child = node.children.get(name);
      if (!child) {
        child = { name, path: parts.slice(0, i + 1).join('/'), kind: i === parts.length - 1 ? kind : 'directory', children: new Map() };
        node.children.set(name, child);
      } else if (i === parts.length - 1) {
        child.kind = kind;
      }
      node = child;
    });
    return node;
  };
  for (const entry of entries) ensure(entry.path, entry.kind);
  return root;
}

function sorted(node: Node): Node[] {
  const byName = (a: Node, b: Node) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const children = [...node.children.values()];
  const folders = children.filter((child) => child.kind === 'directory').sort(byName);
  const others = children.filter((child) => child.kind !== 'directory').sort(byName);
  return [...folders, ...others];
}

function flatten(node: Node, depth: number, indent: string, rows: Row[]): void {
  const children = sorted(node);
  children.forEach((child, i) => {
    const last = i === children.length - 1;
    const row: Row = { node: child, prefix: `${indent}${last ? '└── ' : '├── '}` };
    rows.push(row);
    if (child.kind !== 'directory') return;
    if (depth > 1) flatten(child, depth - 1, `${indent}${last ? '    ' : '│   '}`, rows);
    else if (child.children.size > 0) row.hidden = child.children.size;
  });
}

function count(node: Node, depth: number): { directories: number; files: number } {
  let directories = 0;
  let files = 0;
  for (const child of node.children.values()) {
    if (child.kind === 'directory') {
      directories++;
      if (depth > 1) {
        const inner = count(child, depth - 1);
        directories += inner.directories;
        files += inner.files;
      }
    } else {
      files++;
    }
  }
  return { directories, files };
}

function formatRow(row: Row): string {
  const { node } = row;
  let text = `${row.prefix}${node.name}`;
  if (node.kind === 'directory') text += '/';
  if (row.hidden !== undefined) text += ` (${plural(row.hidden, 'entry', 'entries')})`;
  if (row.target !== undefined) text += ` -> ${row.target}`;
  if (row.summary) text += `  — ${row.summary}`;
  return text;
}

/** Read summaries for the markdown files and link targets among the shown rows, a batch at a time. */
async function addSummaries(root: string, rows: Row[]): Promise<void> {
  const wanted = rows.filter((row) => row.node.kind === 'symlink' || (row.node.kind === 'file' && /\.(md|markdown|mdx)$/i.test(row.node.name)));
  for (let i = 0; i < wanted.length; i += SUMMARY_BATCH) {
    await Promise.all(
      wanted.slice(i, i + SUMMARY_BATCH).map(async (row) => {
        const absolute = path.join(root, ...row.node.path.split('/'));
        if (row.node.kind === 'symlink') {
          row.target = await readlink(absolute).catch(() => '?');
          return;
        }
        const summary = await markdownSummary(absolute).catch(() => undefined);
        if (summary) row.summary = summary;
      }),
    );
  }
}

/** `name: description` from YAML frontmatter, else the first heading; cut to one short line. */
export async function markdownSummary(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(SUMMARY_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SUMMARY_BYTES, 0);
    head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').replaceAll('\r\n', '\n');
  } finally {
    await handle.close();
  }
  let body = head;
  const front = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\s*(?:\n|$)/.exec(head);
  if (front) {
    const name = frontmatterValue(front[1]!, 'name') ?? frontmatterValue(front[1]!, 'title');
    const description = frontmatterValue(front[1]!, 'description');
    const text = name && description ? `${name}: ${description}` : (name ?? description);
    if (text) return shorten(text);
    body = head.slice(front[0].length);
  }
  const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(body);
  return heading ? shorten(heading[1]!) : undefined;
}

/** A top-level scalar of simple YAML: `key: value` (quoted or not) or a `|`/`>` block. Lists and maps are skipped. */
function frontmatterValue(yaml: string, key: string): string | undefined {
  const lines = yaml.split('\n');
  const at = lines.findIndex((line) => new RegExp(`^${key}\\s*:`).test(line));
  if (at === -1) return undefined;
  let value = lines[at]!.slice(lines[at]!.indexOf(':') + 1).trim();
  if (/^[|>][+-]?$/.test(value)) {
    const block: string[] = [];
    for (const line of lines.slice(at + 1)) {
      if (line.trim() !== '' && !/^\s/.test(line)) break;
      block.push(line.trim());
    }
    value = block.join(' ').trim();
  }
  const quoted = /^(["'])(.*)\1$/.exec(value);
  if (quoted) value = quoted[2]!;
  return value === '' ? undefined : value;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= SUMMARY_CHARS) return line;
  return `${line.slice(0, SUMMARY_CHARS - 1).trimEnd()}…`;
}
