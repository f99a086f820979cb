/**
 * The built-in tools: shell, file reading and writing, search, and search of
 * the session's own history. Each file
 * here is one tool; this one lists them and puts them in the catalog.
 */
import { type ToolCatalog, type ToolFactory, toolCatalog } from '../../engine/tools/catalog.js';
import { bashTool } from './bash.js';
import { editTool } from './edit.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { readTool } from './read.js';
import { searchMemoryTool } from './search-memory.js';
import { writeTool } from './write.js';

export { bashTool, editTool, globTool, grepTool, readTool, searchMemoryTool, writeTool };

export const builtinToolFactories: ToolFactory[] = [bashTool, readTool, writeTool, editTool, globTool, grepTool, searchMemoryTool];

/**
 * Register every built-in tool in `catalog`. Safe to call more than once; a
 * name that is already taken (by an earlier call, or by a package that
 * replaced a built-in on purpose) is left as it is.
 */
export function registerBuiltinTools(catalog: ToolCatalog = toolCatalog): void {
  for (const factory of builtinToolFactories) {
    if (!catalog.has(factory.name)) catalog.register(factory);
  }
}
