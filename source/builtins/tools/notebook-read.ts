/**
 * `notebook_read`: a Jupyter notebook as numbered cells with their ids,
 * sources and (summarised) outputs, instead of the JSON a plain read shows.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { plural, recordFileStamp } from './fs-util.js';
import { type Cell, type Json, type Notebook, cellId, cellType, findCell, formatVersion, loadNotebook, sourceText } from './notebook.js';

const DEFAULT_LIMIT = 50;
const DEFAULT_SOURCE_CHARS = 8000;
const DEFAULT_OUTPUT_CHARS = 4000;

const input = builtinInput('notebook-read', () =>
  z.object({
  path: z.string().min(1).describe('The .ipynb file. Relative paths start at the working directory.'),
  cell_id: z.string().min(1).optional().describe('Show only this cell: its id, or its position counting from 1.'),
  offset: z.number().int().min(1).default(1).describe('Cell position to start at, counting from 1. Default: 1.'),
  limit: z.number().int().min(1).default(DEFAULT_LIMIT).describe(`Most cells to show. Default: ${DEFAULT_LIMIT}.`),
  include_outputs: z
    .enum(['none', 'summary', 'all'])
    .default('summary')
    .describe('Outputs of code cells: "none", "summary" (one line each, the default) or "all" (their text).'),
  include_metadata: z.boolean().default(false).describe('Also show notebook and cell metadata. Default: false.'),
  max_source_chars: z.number().int().min(1).default(DEFAULT_SOURCE_CHARS).describe(`Cut each cell's source after this many characters. Default: ${DEFAULT_SOURCE_CHARS}.`),
  max_output_chars: z.number().int().min(1).default(DEFAULT_OUTPUT_CHARS).describe(`Cut each cell's outputs after this many characters. Default: ${DEFAULT_OUTPUT_CHARS}.`),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Read a Jupyter notebook as numbered cells with ids, sources and output summaries; required before notebook_edit.';

const DOC = `Read the Jupyter notebook (nbformat 4) at \`path\`.

- Each cell is shown as \`[position] type id=<id>\` (code cells add their execution count), then its source as written.
- \`cell_id\` shows one cell, by id or by position (counting from 1); otherwise \`limit\` cells (default ${DEFAULT_LIMIT}) from position \`offset\` (default 1), with a note when more follow.
- \`include_outputs\`: \`none\`; \`summary\` (default): one line per output (stream name and lines, MIME types, error name and message); \`all\`: the outputs' text (text/plain, streams, error tracebacks without colour codes). Images and other binary outputs are named with their size, not shown.
- \`max_source_chars\` (default ${DEFAULT_SOURCE_CHARS}) and \`max_output_chars\` (default ${DEFAULT_OUTPUT_CHARS}) cut each cell's source and outputs, with a note.
- \`include_metadata\` adds the notebook's and each cell's metadata.
- A notebook must be read with this tool (or \`read\`) before \`notebook_edit\` may change it.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const notebookReadTool: ToolFactory = {
  name: 'notebook_read',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'notebook_read',
      description: DESCRIPTION,
      doc: DOC,
      input,
      async execute(args, ctx) {
        const loaded = await loadNotebook(ctx, args.path, 'notebook_read');
        const { notebook, shown } = loaded;
        recordFileStamp(ctx.session, loaded.absolute, loaded.stats);

        const lines = [`${shown}: ${overview(notebook)}`];
        if (args.include_metadata && notebook.metadata !== undefined) lines.push(`metadata: ${JSON.stringify(notebook.metadata)}`);
        const total = notebook.cells.length;
        if (total === 0) return `${lines.join('\n')}\n\nThe notebook has no cells.`;

        let first: number;
        let last: number;
        if (args.cell_id !== undefined) {
          first = findCell(notebook, args.cell_id, shown, 'notebook_read');
          last = first;
        } else {
          first = args.offset - 1;
          if (first >= total) return `${lines.join('\n')}\n\n[offset ${args.offset} is past the last cell; the notebook has ${plural(total, 'cell')}.]`;
          last = Math.min(total, first + args.limit) - 1;
        }
        for (let index = first; index <= last; index++) lines.push('', ...formatCell(notebook.cells[index]!, index, args));
        if (args.cell_id === undefined && last < total - 1) {
          lines.push('', `[${plural(total - last - 1, 'more cell')}; read again with offset=${last + 2} to continue.]`);
        }
        return lines.join('\n');
      },
    }),
};

/** "nbformat 4.5, kernel Python 3 (python3), 12 cells (8 code, 4 markdown)" */
function overview(notebook: Notebook): string {
  const counts = new Map<string, number>();
  for (const cell of notebook.cells) counts.set(cellType(cell), (counts.get(cellType(cell)) ?? 0) + 1);
  const kinds = [...counts].map(([type, count]) => `${count} ${type}`).join(', ');
  const parts = [`nbformat ${formatVersion(notebook)}`];
  const meta = isObject(notebook.metadata) ? notebook.metadata : {};
  const kernel = isObject(meta['kernelspec']) ? meta['kernelspec'] : undefined;
  if (kernel) {
    const display = typeof kernel['display_name'] === 'string' ? kernel['display_name'] : undefined;
    const name = typeof kernel['name'] === 'string' ? kernel['name'] : undefined;
    if (display || name) parts.push(`kernel ${display ?? name}${display && name && display !== name ? ` (${name})` : ''}`);
  }
  parts.push(`${plural(notebook.cells.length, 'cell')}${kinds ? ` (${kinds})` : ''}`);
  return parts.join(', ');
}

function formatCell(cell: Cell, index: number, args: Args): string[] {
  const type = cellType(cell);
  const id = cellId(cell);
  let header = `[${index + 1}] ${type}`;
  if (id !== undefined) header += ` id=${id}`;
  if (type === 'code') header += ` execution_count=${typeof cell.execution_count === 'number' ? cell.execution_count : 'none'}`;
  const lines = [header];
  if (args.include_metadata && isObject(cell.metadata) && Object.keys(cell.metadata).length > 0) lines.push(`metadata: ${JSON.stringify(cell.metadata)}`);

  const source = sourceText(cell);
  if (source === '') lines.push('(empty)');
  else if (source.length <= args.max_source_chars) lines.push(source.replace(/\n$/, ''));
  else {
    lines.push(cutAt(source, args.max_source_chars));
    lines.push(`[source cut: ${source.length} characters in all; read this cell with cell_id and a larger max_source_chars to see more]`);
  }

  const outputs = Array.isArray(cell.outputs) ? cell.outputs.filter(isObject) : [];
  if (type !== 'code' || args.include_outputs === 'none' || outputs.length === 0) return lines;
  if (args.include_outputs === 'summary') {
    lines.push(`outputs: ${outputs.map(summarizeOutput).join('; ')}`);
    return lines;
  }
  let budget = args.max_output_chars;
  for (const [n, output] of outputs.entries()) {
    if (budget <= 0) {
      lines.push(`[${plural(outputs.length - n, 'more output')} not shown: max_output_chars reached]`);
      break;
    }
    lines.push(`--- output ${n + 1}: ${summarizeOutput(output)}`);
    const text = outputText(output);
    if (text === '') continue;
    if (text.length <= budget) {
      lines.push(text.replace(/\n$/, ''));
      budget -= text.length;
    } else {
      lines.push(cutAt(text, budget));
      lines.push(`[output cut: ${text.length} characters in all; raise max_output_chars to see more]`);
      budget = 0;
    }
  }
  return lines;
}

/** One line: "stream stdout (3 lines)", "execute_result [text/plain, text/html]", "error ValueError: bad value". */
function summarizeOutput(output: { [key: string]: Json }): string {
  const type = typeof output['output_type'] === 'string' ? output['output_type'] : 'output';
  if (type === 'stream') {
    const text = joinText(output['text']);
    const name = typeof output['name'] === 'string' ? output['name'] : 'stream';
    return `stream ${name} (${plural(lineCount(text), 'line')})`;
  }
  if (type === 'error') {
    const name = typeof output['ename'] === 'string' ? output['ename'] : 'Error';
    const value = typeof output['evalue'] === 'string' ? output['evalue'] : '';
    return `error ${name}${value ? `: ${oneLine(value)}` : ''}`;
  }
  const data = isObject(output['data']) ? output['data'] : {};
  const types = Object.entries(data).map(([mime, value]) => (isTextType(mime) ? mime : `${mime} ${formatSize(joinText(value).length)}`));
  return `${type}${types.length > 0 ? ` [${types.join(', ')}]` : ''}`;
}

/** The readable text of an output: stream text, text/plain (or another text type), or the traceback. */
function outputText(output: { [key: string]: Json }): string {
  const type = output['output_type'];
  if (type === 'stream') return joinText(output['text']);
  if (type === 'error') return stripAnsi(Array.isArray(output['traceback']) ? output['traceback'].map((line) => (typeof line === 'string' ? line : '')).join('\n') : '');
  const data = isObject(output['data']) ? output['data'] : {};
  const mime = ['text/plain', 'text/markdown', 'application/json', 'text/html'].find((candidate) => data[candidate] !== undefined);
  if (!mime) return '';
  const value = data[mime];
  return mime === 'application/json' && typeof value !== 'string' && !Array.isArray(value) ? JSON.stringify(value, null, 2) : joinText(value);
}

function isTextType(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'application/json' || mime.endsWith('+json');
}

function joinText(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === 'string' ? part : '')).join('');
  return value === undefined ? '' : JSON.stringify(value);
}

function lineCount(text: string): number {
  if (text === '') return 0;
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? lines - 1 : lines;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function formatSize(base64Chars: number): string {
  const bytes = Math.round((base64Chars * 3) / 4);
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

// ANSI colour and cursor codes, as IPython puts in tracebacks.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The first `max` characters, not splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  let end = Math.min(max, text.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
