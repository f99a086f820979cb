/**
 * `grep`: search file contents with a JavaScript regular expression.
 * Candidate files come from the gitignore-aware walk; their contents are
 * read in path order, so memory stays bounded, output is deterministic, and
 * the search stops as soon as enough results are found.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import { describeFsError, displayPath, looksBinary, plural, statIfExists } from './fs-util.js';
import { locate, notFound } from './path-guard.js';
import { findFiles } from './walk.js';

/** Bigger files are logs, dumps or bundles; scanning them costs much and tells little. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
/**
 * Files are read synchronously in slices of this many bytes (or files), with
 * a yield to the event loop and an abort check between slices. Synchronous
 * reads cost ~10 µs per small file against ~36 µs for fs/promises (thread-pool
 * round trips); the slices keep the UI responsive while a big tree is searched.
 */
const SLICE_BYTES = 4 * 1024 * 1024;
const SLICE_FILES = 256;
/** Matching lines longer than this are shown as a window around the match. */
const MAX_SHOWN_CHARS = 500;

const input = builtinInput('grep', () => z.object({
  pattern: z.string().min(1).describe('JavaScript regular expression to search for, without slashes, e.g. "function\\s+\\w+Tool".'),
  path: z.string().min(1).optional().describe('File or directory to search. Default: the working directory.'),
  glob: z.string().min(1).optional().describe('Only search files matching this glob, e.g. "*.ts" or "src/**/*.{js,jsx}". A pattern without "/" matches file names in any folder.'),
  ignore_case: z.boolean().default(false).describe('Match letters regardless of case. Default: false.'),
  output_mode: z
    .enum(['content', 'files_with_matches', 'count'])
    .default('content')
    .describe('"content" (default): matching lines as file:line:text. "files_with_matches": only the paths. "count": file:number of matching lines.'),
  context: z.number().int().min(0).max(50).default(0).describe('Lines to show before and after each match ("content" mode). Default: 0.'),
  head_limit: z
    .number()
    .int()
    .min(1)
    .default(250)
    .describe('Stop after this many results: matching lines in "content" mode, files otherwise. Default: 250.'),
  gitignore: z.boolean().default(true).describe('Skip files ignored by .gitignore. Default: true.'),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Search file contents with a regular expression; .gitignore is respected, binary and very large files are skipped.';

const DOC = `Search the files under \`path\` (default: the working directory) for lines matching \`pattern\`, a JavaScript regular expression (so \`\\d\`, \`\\b\`, \`(?:…)\` and lookarounds work; escape \`( ) [ ] { } . * + ? | \\\\\` to match them literally).

- Matching is per line. \`ignore_case\` makes it case-insensitive.
- \`glob\` narrows the files: \`*.ts\` matches in every folder, \`src/**/*.ts\` only under src.
- \`output_mode\`: \`content\` gives \`file:line:text\` (context lines as \`file-line-text\`, groups split by \`--\`); \`files_with_matches\` gives the paths; \`count\` gives \`file:count\`.
- Files are searched in path order; \`head_limit\` (default 250) caps matching lines in content mode and files otherwise, with a note when more exist.
- Paths are shown relative to the working directory. Files ignored by .gitignore (unless \`gitignore\` is false), binary files and files over ${MAX_FILE_BYTES / 1024 / 1024} MB are skipped; a file named directly in \`path\` is searched even if ignored. Symbolic links are not followed.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const grepTool: ToolFactory = {
  name: 'grep',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'grep',
      description: DESCRIPTION,
      doc: DOC,
      input,
      execute: (args, ctx) => grep(args, ctx),
    }),
};

interface Candidate {
  absolute: string;
}

async function grep(args: Args, ctx: ToolContext): Promise<string> {
  const { cwd, signal } = ctx;
  const flags = args.ignore_case ? 'i' : '';
  const matcher = compile(args.pattern, flags);
  const { absolute: target, shown } = await locate(ctx, args.path ?? '.', 'grep');
  const stats = await statIfExists(target).catch((error: unknown) => {
    throw new ToolError(describeFsError(error, shown), { tool: 'grep' });
  });
  if (!stats) throw new ToolError(await notFound(ctx, 'path', target, shown), { tool: 'grep' });

  let candidates: Candidate[];
  if (stats.isDirectory()) {
    // Sizes come from the read itself; the walk need not stat every file.
    candidates = await findFiles(target, fileFilter(args.glob), signal, { gitignore: args.gitignore, stats: false });
  } else {
    candidates = [{ absolute: target }];
  }

  const out: string[] = [];
  let results = 0;
  let more = false;
  let binary = 0;
  let tooLarge = 0;
  for await (const file of readInSlices(candidates, signal)) {
    if (file.binary) binary++;
    if (file.tooLarge) tooLarge++;
    if (file.text === undefined) continue;
    if (results === args.head_limit) {
      // The limit is reached; one more hit only tells us to say so.
      if (matcher.find(file.text, 1).hits.length > 0) {
        more = true;
        break;
      }
      continue;
    }
    const name = displayPath(cwd, file.absolute);
    const wanted = args.output_mode === 'content' ? args.head_limit - results + 1 : args.output_mode === 'count' ? Infinity : 1;
    const { lines, hits } = matcher.find(file.text, wanted);
    if (hits.length === 0) continue;
    if (args.output_mode === 'files_with_matches') {
      out.push(name);
      results++;
    } else if (args.output_mode === 'count') {
      out.push(`${name}:${hits.length}`);
      results++;
    } else {
      if (hits.length > args.head_limit - results) {
        hits.length = args.head_limit - results;
        more = true;
      }
      if (args.context > 0 && out.length > 0) out.push('--');
      for (const line of formatHits(name, lines, hits, args.context, matcher.regex)) out.push(line);
      results += hits.length;
      if (more) break;
    }
  }

  const notes: string[] = [];
  if (more) {
    const shownResults = args.output_mode === 'content' ? plural(args.head_limit, 'matching line') : plural(args.head_limit, 'file');
    notes.push(`[Stopped after ${shownResults}; more matches exist. Narrow the pattern, path or glob, or raise head_limit.]`);
  }
  // Skipping binaries is expected in a folder search; for a named file, say why nothing matched.
  if (binary > 0 && !stats.isDirectory()) notes.push(`[${shown} is a binary file; it was not searched.]`);
  if (tooLarge > 0) notes.push(`[Skipped ${plural(tooLarge, 'file')} over ${MAX_FILE_BYTES / 1024 / 1024} MB.]`);
  const noteText = notes.length > 0 ? `\n\n${notes.join('\n')}` : '';
  if (out.length === 0) {
    const where = shown === '.' ? 'the working directory' : shown;
    return `No matches for /${args.pattern}/${flags} in ${where}.${noteText}`;
  }
  return `${out.join('\n')}${noteText}`;
}

interface Matcher {
  regex: RegExp;
  /** Up to `limit` matching line indexes, and the file's lines when any matched. */
  find(text: string, limit: number): { lines: string[]; hits: number[] };
}

function compile(pattern: string, flags: string): Matcher {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolError(
      `invalid regular expression: ${reason}. The pattern is JavaScript regex syntax; escape ( ) [ ] { } . * + ? | \\ with a backslash to match them literally.`,
      { tool: 'grep' },
    );
  }
  // One test over the whole file rules most files out without splitting them
  // into lines. It agrees with per-line matching except for lookarounds, which
  // can see across line ends, and for \r before $; those skip the shortcut.
  const whole = /\(\?<?[=!]/.test(pattern) ? undefined : new RegExp(pattern, `${flags}m`);
  return {
    regex,
    find(text, limit) {
      const crlf = text.includes('\r');
      if (whole && !crlf && !whole.test(text)) return { lines: [], hits: [] };
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const hits: number[] = [];
      for (let i = 0; i < lines.length && hits.length < limit; i++) {
        let line = lines[i]!;
        if (crlf && line.endsWith('\r')) lines[i] = line = line.slice(0, -1);
        if (regex.test(line)) hits.push(i);
      }
      return { lines, hits };
    },
  };
}

/** A filter without a folder part matches file names anywhere, as in ripgrep's --glob. */
function fileFilter(glob: string | undefined): string {
  if (!glob) return '**/*';
  return glob.includes('/') ? glob : `**/${glob}`;
}

/** grep's layout: `file:line:text` for matches, `file-line-text` for context, `--` between separate groups. */
function formatHits(name: string, lines: string[], hits: number[], context: number, regex: RegExp): string[] {
  const out: string[] = [];
  const isHit = new Set(hits);
  let printed = -1;
  for (const hit of hits) {
    const from = Math.max(0, hit - context);
    const to = Math.min(lines.length - 1, hit + context);
    if (context > 0 && printed >= 0 && from > printed + 1) out.push('--');
    for (let i = Math.max(from, printed + 1); i <= to; i++) {
      const text = clip(lines[i]!, isHit.has(i) ? regex : undefined);
      out.push(`${name}${isHit.has(i) ? ':' : '-'}${i + 1}${isHit.has(i) ? ':' : '-'}${text}`);
    }
    printed = Math.max(printed, to);
  }
  return out;
}

/** Long lines (minified code) shown as a window that starts a little before the match. */
function clip(line: string, regex: RegExp | undefined): string {
  if (line.length <= MAX_SHOWN_CHARS) return line;
  const at = regex ? (regex.exec(line)?.index ?? 0) : 0;
  const start = Math.max(0, Math.min(at - 100, line.length - MAX_SHOWN_CHARS));
  const head = start > 0 ? '…' : '';
  const tail = start + MAX_SHOWN_CHARS < line.length ? '…' : '';
  return `${head}${line.slice(start, start + MAX_SHOWN_CHARS)}${tail} [line has ${line.length} characters]`;
}

interface Loaded {
  absolute: string;
  /** Undefined for binary, too large or unreadable files. */
  text: string | undefined;
  binary: boolean;
  tooLarge: boolean;
}

/**
 * One reused buffer for the common case: a source file fits, so a search
 * costs open, one read and close — no stat (readFileSync would stat twice).
 */
const SMALL = 256 * 1024;
const scratch = Buffer.allocUnsafe(SMALL);

/** Never throws: a file that vanished or cannot be read is simply not searched. */
function loadText(absolute: string): Loaded {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    const bytes = readUpTo(fd, MAX_FILE_BYTES + 1);
    if (bytes.length > MAX_FILE_BYTES) return { absolute, text: undefined, binary: false, tooLarge: true };
    if (looksBinary(bytes)) return { absolute, text: undefined, binary: true, tooLarge: false };
    return { absolute, text: bytes.toString('utf8'), binary: false, tooLarge: false };
  } catch {
    return { absolute, text: undefined, binary: false, tooLarge: false };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file's bytes, at most `limit` of them; a view of `scratch` when the file is small. */
function readUpTo(fd: number, limit: number): Buffer {
  let filled = readSync(fd, scratch, 0, SMALL, null);
  if (filled < SMALL) return scratch.subarray(0, filled);
  // Bigger than the scratch buffer: grow a private copy until EOF or the limit.
  let buffer = Buffer.allocUnsafe(SMALL * 4);
  scratch.copy(buffer);
  for (;;) {
    if (filled === buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit));
      buffer.copy(grown);
      buffer = grown;
    }
    const n = filled < limit ? readSync(fd, buffer, filled, buffer.length - filled, null) : 0;
    if (n === 0) return buffer.subarray(0, filled);
    filled += n;
  }
}

/** The files' contents in order, read in slices with a yield and an abort check between them. */
async function* readInSlices(files: readonly Candidate[], signal: AbortSignal): AsyncGenerator<Loaded> {
  let bytes = 0;
  let count = 0;
  for (const file of files) {
    if (bytes >= SLICE_BYTES || count >= SLICE_FILES) {
      await new Promise((resolve) => setImmediate(resolve));
      bytes = 0;
      count = 0;
    }
    signal.throwIfAborted();
    const loaded = loadText(file.absolute);
    bytes += loaded.text?.length ?? 0;
    count++;
    yield loaded;
  }
}
