/**
 * `notebook_edit`: replace, insert or delete one cell of a Jupyter notebook.
 * Everything else in the file is written back as it was: unknown fields,
 * key order, the file's indentation and its final newline.
 */
import { randomBytes } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { describeFsError, recordFileStamp, staleReadRefusal } from './fs-util.js';
import { type Cell, type Json, type Notebook, cellId, cellType, findCell, loadNotebook, sourceLines } from './notebook.js';

const input = builtinInput('notebook-edit', () =>
  z
  .object({
    path: z.string().min(1).describe('The .ipynb file. Relative paths start at the working directory.'),
    cell_id: z
      .string()
      .min(1)
      .optional()
      .describe('The cell to replace or delete, or to insert next to: its id, or its position counting from 1.'),
    new_source: z.string().optional().describe('The cell source (replace and insert).'),
    cell_type: z.enum(['code', 'markdown', 'raw']).optional().describe('Type of the new cell (default code), or the new type of a replaced cell (default: unchanged).'),
    edit_mode: z.enum(['replace', 'insert', 'delete']).default('replace').describe('"replace" (default), "insert" or "delete".'),
    insert_location: z
      .enum(['after', 'before', 'beginning', 'end'])
      .optional()
      .describe('For insert: "after" or "before" cell_id, or at the "beginning" or "end" of the notebook. Default: after cell_id if given, else end.'),
    clear_outputs: z.boolean().default(true).describe('When replacing a code cell, clear its outputs and execution count. Default: true.'),
  })
  .superRefine((args, issues) => {
    const problem = (message: string) => issues.addIssue({ code: 'custom', message });
    const location = args.insert_location;
    if (args.edit_mode === 'replace') {
      if (args.cell_id === undefined) problem('replace needs cell_id');
      if (args.new_source === undefined) problem('replace needs new_source');
    } else if (args.edit_mode === 'delete') {
      if (args.cell_id === undefined) problem('delete needs cell_id');
    } else {
      if (args.new_source === undefined) problem('insert needs new_source');
      if ((location === 'after' || location === 'before') && args.cell_id === undefined) problem(`insert_location "${location}" needs cell_id`);
    }
    if (location !== undefined && args.edit_mode !== 'insert') problem('insert_location only applies to edit_mode "insert"');
  }));

const DESCRIPTION = 'Replace, insert or delete a cell in a Jupyter notebook; read it with notebook_read first.';

const DOC = `Change one cell of the Jupyter notebook (nbformat 4) at \`path\`.

- \`edit_mode: "replace"\` (default): set the source of \`cell_id\` to \`new_source\`; \`cell_type\` changes its type. For code cells, \`clear_outputs\` (default true) empties the outputs and execution count, which no longer match the code.
- \`edit_mode: "insert"\`: add a cell of \`cell_type\` (default code) with \`new_source\`, \`insert_location\` \`after\` (default when cell_id is given) or \`before\` \`cell_id\`, or at the \`beginning\` or \`end\` (default without cell_id).
- \`edit_mode: "delete"\`: remove \`cell_id\`.
- \`cell_id\` is a cell's id as notebook_read shows it, or its position counting from 1.
- New cells get a fresh id when the notebook uses ids (nbformat 4.5 and later). The rest of the file is kept: other cells, metadata, unknown fields, key order, indentation.
- The notebook must have been read (with \`notebook_read\`) and not changed since; otherwise the edit is refused.
- Paths outside the working directory are refused unless they are in the creature's allowed paths.`;

export const notebookEditTool: ToolFactory = {
  name: 'notebook_edit',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'notebook_edit',
      description: DESCRIPTION,
      doc: DOC,
      concurrency: 'exclusive',
      effect: 'edit',
      input,
      async execute(args, ctx) {
        const loaded = await loadNotebook(ctx, args.path, 'notebook_edit');
        const { notebook, shown } = loaded;
        const refusal = staleReadRefusal(ctx.session, loaded.absolute, loaded.stats, shown, 'notebook_read');
        if (refusal) fail(refusal);
        const cells = notebook.cells;

        let message: string;
        if (args.edit_mode === 'delete') {
          const index = findCell(notebook, args.cell_id!, shown, 'notebook_edit');
          const [removed] = cells.splice(index, 1);
          message = `Deleted ${describe(removed!, index)} from ${shown}; ${cells.length} cells remain.`;
        } else if (args.edit_mode === 'insert') {
          const location = args.insert_location ?? (args.cell_id !== undefined ? 'after' : 'end');
          let at: number;
          if (location === 'beginning') at = 0;
          else if (location === 'end') at = cells.length;
          else {
            const index = findCell(notebook, args.cell_id!, shown, 'notebook_edit');
            at = location === 'after' ? index + 1 : index;
          }
          const cell = newCell(notebook, args.cell_type ?? 'code', args.new_source!);
          cells.splice(at, 0, cell);
          message = `Inserted ${describe(cell, at)} into ${shown} (${cells.length} cells now).`;
        } else {
          const index = findCell(notebook, args.cell_id!, shown, 'notebook_edit');
          const cell = cells[index]!;
          const changes: string[] = [];
          if (args.cell_type !== undefined && args.cell_type !== cellType(cell)) {
            changes.push(`type ${cellType(cell)} → ${args.cell_type}`);
            cells[index] = retype(cell, args.cell_type);
          }
          const target = cells[index]!;
          target.source = typeof target.source === 'string' ? args.new_source! : sourceLines(args.new_source!);
          if (cellType(target) === 'code' && args.clear_outputs) {
            const had = Array.isArray(target.outputs) && target.outputs.length > 0;
            target.outputs = [];
            target.execution_count = null;
            if (had) changes.push('outputs cleared');
          }
          message = `Replaced the source of ${describe(target, index)} in ${shown}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}.`;
        }

        const text = JSON.stringify(notebook, null, loaded.indent) + (loaded.trailingNewline ? '\n' : '');
        await writeFile(loaded.absolute, text, 'utf8').catch((error: unknown) => fail(`could not write ${shown}: ${describeFsError(error, shown)}`));
        recordFileStamp(ctx.session, loaded.absolute, await stat(loaded.absolute));
        return message;
      },
    }),
};

function fail(message: string): never {
  throw new ToolError(message, { tool: 'notebook_edit' });
}

/** "code cell 3 (id=ab12cd34)" */
function describe(cell: Cell, index: number): string {
  const id = cellId(cell);
  return `${cellType(cell)} cell ${index + 1}${id !== undefined ? ` (id=${id})` : ''}`;
}

/** Whether cells carry ids: nbformat 4.5 and later require them. */
function usesIds(notebook: Notebook): boolean {
  const minor = typeof notebook.nbformat_minor === 'number' ? notebook.nbformat_minor : 0;
  return minor >= 5 || notebook.cells.some((cell) => cellId(cell) !== undefined);
}

function freshId(notebook: Notebook): string {
  const taken = new Set(notebook.cells.map(cellId));
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (!taken.has(id)) return id;
  }
}

/** A cell as Jupyter writes one (keys sorted), with the source in the notebook's own form. */
function newCell(notebook: Notebook, type: 'code' | 'markdown' | 'raw', source: string): Cell {
  const asString = notebook.cells.length > 0 && notebook.cells.every((cell) => typeof cell.source === 'string');
  const cell: Cell = { cell_type: type };
  if (type === 'code') cell.execution_count = null;
  if (usesIds(notebook)) cell.id = freshId(notebook);
  cell.metadata = {};
  if (type === 'code') cell.outputs = [];
  cell.source = asString ? source : sourceLines(source);
  return cell;
}

/** The cell with another type: code-only fields dropped or added; other fields kept in their order. */
function retype(cell: Cell, type: 'code' | 'markdown' | 'raw'): Cell {
  const out: Cell = {};
  for (const [key, value] of Object.entries(cell)) {
    if (value === undefined) continue;
    if (type !== 'code' && (key === 'outputs' || key === 'execution_count')) continue;
    out[key] = key === 'cell_type' ? type : (value as Json);
  }
  if (type === 'code') {
    out.execution_count ??= null;
    out.outputs ??= [];
  }
  return out;
}
