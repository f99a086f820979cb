/**
 * What `notebook_read` and `notebook_edit` share: loading a Jupyter notebook
 * (nbformat 4) under the path guard, its cells' sources, and finding a cell by
 * id or position.
 */
import type { Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ToolError } from '../../engine/errors.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import { describeFsError, looksBinary } from './fs-util.js';
import { detectIndent, parseJson } from './json-util.js';
import { locateFile } from './path-guard.js';

/** Notebooks bigger than this are mostly embedded outputs; refuse rather than parse them whole. */
const MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Cell {
  cell_type?: Json;
  id?: Json;
  source?: Json;
  metadata?: Json;
  outputs?: Json;
  execution_count?: Json;
  [key: string]: Json | undefined;
}

export interface Notebook {
  cells: Cell[];
  nbformat: number;
  nbformat_minor?: Json;
  metadata?: Json;
  [key: string]: Json | Cell[] | undefined;
}

export interface LoadedNotebook {
  absolute: string;
  shown: string;
  stats: Stats;
  notebook: Notebook;
  /** Indentation of the file, kept when it is written back. */
  indent: string;
  trailingNewline: boolean;
}

export async function loadNotebook(ctx: ToolContext, input: string, tool: string): Promise<LoadedNotebook> {
  const fail = (message: string): never => {
    throw new ToolError(message, { tool });
  };
  const { absolute, shown, stats } = await locateFile(ctx, input, tool);
  if (stats.size > MAX_NOTEBOOK_BYTES) fail(`${shown} is ${(stats.size / 1024 / 1024).toFixed(1)} MB; notebooks over ${MAX_NOTEBOOK_BYTES / 1024 / 1024} MB are refused.`);
  const bytes = await readFile(absolute).catch((error: unknown) => fail(describeFsError(error, shown)));
  if (looksBinary(bytes)) fail(`${shown} is a binary file, not a Jupyter notebook.`);
  const text = bytes.toString('utf8');
  if (text.trim() === '') fail(`${shown} is empty, not a Jupyter notebook.`);
  const parsed = parseJson(text);
  if (!parsed.ok) fail(`${shown} is not valid JSON, so not a notebook: ${parsed.error}`);
  const value = (parsed as { value: unknown }).value;
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Array.isArray((value as { cells?: unknown }).cells)) {
    fail(`${shown} is JSON but not a Jupyter notebook (there is no "cells" list).`);
  }
  const notebook = value as Notebook;
  if (notebook.nbformat !== 4) {
    fail(`${shown} is nbformat ${String(notebook.nbformat ?? 'unknown')}; only nbformat 4 notebooks are supported. Convert it with: jupyter nbconvert --to notebook --nbformat 4`);
  }
  if (notebook.cells.some((cell) => !cell || typeof cell !== 'object' || Array.isArray(cell))) fail(`${shown} has a cell that is not an object.`);
  return { absolute, shown, stats, notebook, indent: detectIndent(text), trailingNewline: text.endsWith('\n') };
}

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function sourceText(cell: Cell): string {
  const source = cell.source;
  if (typeof source === 'string') return source;
  if (Array.isArray(source)) return source.map((part) => (typeof part === 'string' ? part : '')).join('');
  return '';
}

/** Source in the form nbformat tools write: a list of lines, each but the last ending in a newline. */
export function sourceLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

export function cellType(cell: Cell): string {
  return typeof cell.cell_type === 'string' ? cell.cell_type : 'unknown';
}

export function cellId(cell: Cell): string | undefined {
  return typeof cell.id === 'string' ? cell.id : undefined;
}

/**
 * The index of the cell `ref` names: its id, or else its position counting
 * from 1 (as notebook_read numbers cells, for notebooks without ids).
 */
export function findCell(notebook: Notebook, ref: string, shown: string, tool: string): number {
  const byId = notebook.cells.findIndex((cell) => cellId(cell) === ref);
  if (byId !== -1) return byId;
  const position = /^(?:cell[-_ ]?)?#?(\d+)$/i.exec(ref.trim());
  if (position) {
    const index = Number(position[1]) - 1;
    if (index >= 0 && index < notebook.cells.length) return index;
  }
  const ids = notebook.cells.map(cellId).filter((id): id is string => id !== undefined);
  const known = ids.length > 0 ? ` Its cell ids: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}.` : '';
  throw new ToolError(
    `no cell "${ref}" in ${shown}, which has ${notebook.cells.length} cells. Give a cell id, or a position from 1 to ${notebook.cells.length}.${known}`,
    { tool },
  );
}

/** "4.5" */
export function formatVersion(notebook: Notebook): string {
  return typeof notebook.nbformat_minor === 'number' ? `${notebook.nbformat}.${notebook.nbformat_minor}` : String(notebook.nbformat);
}
