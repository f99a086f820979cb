/**
 * `read`: a text file with numbered lines, a window at a time. The file is
 * streamed, so a huge log costs one pass and only the window stays in memory.
 * Images (recognised by their first bytes, not their name) come back as
 * image parts the model can look at.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ContentPart } from '../../engine/llm/messages.js';
import {
  MAX_LINE_CHARS,
  closeMatch,
  describeFsError,
  displayPath,
  looksBinary,
  numberedLine,
  plural,
  readHead,
  recordFileStamp,
  statIfExists,
} from './fs-util.js';
import { detectImage, imageSize } from './image.js';
import { locate } from './path-guard.js';

const DEFAULT_LIMIT = 2000;
/** Bigger images cost too many tokens, and most providers refuse them anyway. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const input = builtinInput('read', () => z.object({
  path: z.string().min(1).describe('The file to read. Relative paths start at the working directory.'),
  offset: z.number().int().min(1).optional().describe('Line number to start at, counting from 1. Default: 1.'),
  limit: z
    .number()
    .int()
    .min(1)
    .default(DEFAULT_LIMIT)
    .describe(`How many lines to return at most. Default: ${DEFAULT_LIMIT}.`),
}));

const DOC = `Read a text file. Each line comes back as \`cat -n\` shows it: the line number, a tab, then the text. The number and tab are not part of the file; leave them out when you quote text to \`edit\`.

- Returns at most \`limit\` lines (default ${DEFAULT_LIMIT}) starting at line \`offset\` (default 1). When lines remain, a closing note says how many, and the offset to continue from.
- Lines longer than ${MAX_LINE_CHARS} characters are cut, with a note giving their full length.
- Images (PNG, JPEG, GIF, WebP, recognised by content, not by name) come back as an image you can see, up to ${MAX_IMAGE_BYTES / 1024 / 1024} MB; offset and limit do not apply to them.
- Other binary files and directories are refused: use \`tree\` or \`glob\` to list a directory.
- Relative paths start at the working directory; \`~\` is the home directory. Paths outside the working directory are refused unless they are in the creature's allowed paths (\`allowed_paths\`, \`kt run --add-dir\`).
- Reading a file is what allows \`write\` and \`edit\` to change it afterwards.`;

const DESCRIPTION = 'Read a text file with numbered lines (offset and limit page through long files), or look at an image.';

export const readTool: ToolFactory = {
  name: 'read',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'read',
      description: DESCRIPTION,
      doc: DOC,
      input,
      async execute(args, ctx) {
        const { absolute, shown } = await locate(ctx, args.path, 'read');
        const stats = await statIfExists(absolute).catch((error: unknown) => {
          throw new ToolError(describeFsError(error, shown), { tool: 'read' });
        });
        if (!stats) {
          const near = await closeMatch(absolute);
          const hint = near ? ` Did you mean ${displayPath(ctx.cwd, near)}?` : '';
          throw new ToolError(`file not found: ${shown}.${hint}`, { tool: 'read' });
        }
        if (stats.isDirectory()) {
          throw new ToolError(`${shown} is a directory, not a file. Use tree or glob (with path "${shown}") to see its files.`, { tool: 'read' });
        }
        // FIFOs and devices would block or never end.
        if (!stats.isFile()) throw new ToolError(`${shown} is not a regular file.`, { tool: 'read' });

        if (stats.size === 0) {
          recordFileStamp(ctx.session, absolute, stats);
          return `${shown} is empty (0 bytes).`;
        }
        const head = await readHead(absolute).catch((error: unknown) => {
          throw new ToolError(describeFsError(error, shown), { tool: 'read' });
        });
        const mediaType = detectImage(head);
        if (mediaType) {
          if (stats.size > MAX_IMAGE_BYTES) {
            throw new ToolError(
              `${shown} is an image (${mediaType}) of ${formatBytes(stats.size)}; read only shows images up to ${MAX_IMAGE_BYTES / 1024 / 1024} MB. Make a smaller copy first (for example with a command-line image tool).`,
              { tool: 'read' },
            );
          }
          const bytes = await readFile(absolute);
          recordFileStamp(ctx.session, absolute, stats);
          const size = imageSize(bytes, mediaType);
          const dimensions = size ? `, ${size.width}×${size.height} pixels` : '';
          const parts: ContentPart[] = [
            { type: 'text', text: `Image ${shown} (${mediaType}, ${formatBytes(stats.size)}${dimensions}):` },
            { type: 'image', url: `data:${mediaType};base64,${bytes.toString('base64')}`, mediaType },
          ];
          return { output: parts, metadata: { mediaType, bytes: stats.size, ...size } };
        }
        if (looksBinary(head)) {
          throw new ToolError(
            `${shown} looks like a binary file (it contains NUL bytes); read only shows text files and PNG, JPEG, GIF or WebP images.`,
            { tool: 'read' },
          );
        }

        const first = args.offset ?? 1;
        const { lines, total } = await readWindow(absolute, first, args.limit, ctx.signal);
        recordFileStamp(ctx.session, absolute, stats);
        if (first > total) {
          throw new ToolError(`offset ${first} is past the end of ${shown}, which has ${plural(total, 'line')}.`, { tool: 'read' });
        }
        const body = lines.map((line, i) => numberedLine(first + i, line.text, line.length)).join('\n');
        const next = first + lines.length;
        if (next > total) return body;
        return `${body}\n\n[${plural(total - next + 1, 'more line')} in ${shown}; read again with offset=${next} to continue.]`;
      },
    }),
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface WindowLine {
  /** The line's start: at most MAX_LINE_CHARS + 1 characters, line ending removed. */
  text: string;
  /** The line's full length. */
  length: number;
}

/**
 * Lines `first .. first + count - 1` (1-based) and the file's line count.
 * Lines outside the window are counted, not kept, and a window line keeps
 * only what `numberedLine` will show, so one giant line cannot blow up memory.
 */
async function readWindow(file: string, first: number, count: number, signal: AbortSignal): Promise<{ lines: WindowLine[]; total: number }> {
  const keep = MAX_LINE_CHARS + 1;
  const lines: WindowLine[] = [];
  let lineNumber = 0;
  let text = '';
  let length = 0;
  let endsWithCR = false;
  const finishLine = () => {
    lineNumber++;
    if (lineNumber >= first && lines.length < count) {
      // CRLF files: the \r belongs to the line ending, not to the text.
      const stripped = endsWithCR && length <= keep ? text.slice(0, -1) : text;
      lines.push({ text: stripped, length: endsWithCR ? length - 1 : length });
    }
    text = '';
    length = 0;
    endsWithCR = false;
  };

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024, signal });
  for await (const chunk of stream as AsyncIterable<string>) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', start);
      const end = newline === -1 ? chunk.length : newline;
      if (end > start) {
        const inWindow = lineNumber + 1 >= first && lines.length < count;
        if (inWindow && text.length < keep) text += chunk.slice(start, Math.min(end, start + keep - text.length));
        length += end - start;
        endsWithCR = chunk.charCodeAt(end - 1) === 13;
      }
      if (newline === -1) break;
      finishLine();
      start = newline + 1;
    }
  }
  if (length > 0) finishLine();
  return { lines, total: lineNumber };
}
