/**
 * The built-in tools, one per file; this one lists them and puts them in
 * the catalog. Grouped as a creature author thinks of them: files, search,
 * shell, the web, the creature's own state and history, jobs, help, the
 * creature's schedule and its team.
 */
import { type ToolCatalog, type ToolFactory, toolCatalog } from '../../engine/tools/catalog.js';
import { askUserTool } from './ask-user.js';
import { bashTool } from './bash.js';
import { editTool } from './edit.js';
import { globTool } from './glob.js';
import { groupChannelTool, groupStatusTool, groupWireTool } from './group-graph.js';
import { groupSendTool, sendChannelTool } from './group-messages.js';
import { groupAddNodeTool, groupRemoveNodeTool, groupStartNodeTool, groupStopNodeTool } from './group-nodes.js';
import { grepTool } from './grep.js';
import { infoTool } from './info.js';
import { jobsTool, readJobTool, stopTaskTool, waitTool } from './jobs.js';
import { jsonReadTool } from './json-read.js';
import { jsonWriteTool } from './json-write.js';
import { mcpCallTool, mcpConnectTool, mcpDisconnectTool, mcpListTool } from './mcp-meta.js';
import { mcpReadResourceTool } from './mcp-resource.js';
import { multiEditTool } from './multi-edit.js';
import { notebookEditTool } from './notebook-edit.js';
import { notebookReadTool } from './notebook-read.js';
import { pythonTool } from './python.js';
import { readTool } from './read.js';
import { scratchpadTool } from './scratchpad.js';
import { searchMemoryTool } from './search-memory.js';
import { sendMessageTool } from './send-message.js';
import { showCardTool } from './show-card.js';
import { skillTool } from './skill.js';
import { todoTool } from './todo.js';
import { treeTool } from './tree.js';
import { deleteTriggerTool, listTriggersTool } from './trigger-manage.js';
import { addScheduleTool, addTimerTool, watchChannelTool } from './trigger-setup.js';
import { webFetchTool } from './web-fetch.js';
import { webSearchTool } from './web-search.js';
import { writeTool } from './write.js';

export {
  addScheduleTool,
  addTimerTool,
  askUserTool,
  deleteTriggerTool,
  listTriggersTool,
  watchChannelTool,
  bashTool,
  editTool,
  globTool,
  grepTool,
  groupAddNodeTool,
  groupChannelTool,
  groupRemoveNodeTool,
  groupSendTool,
  groupStartNodeTool,
  groupStatusTool,
  groupStopNodeTool,
  groupWireTool,
  infoTool,
  jobsTool,
  jsonReadTool,
  jsonWriteTool,
  mcpCallTool,
  mcpConnectTool,
  mcpDisconnectTool,
  mcpListTool,
  mcpReadResourceTool,
  multiEditTool,
  notebookEditTool,
  notebookReadTool,
  pythonTool,
  readJobTool,
  readTool,
  scratchpadTool,
  searchMemoryTool,
  sendChannelTool,
  sendMessageTool,
  showCardTool,
  skillTool,
  stopTaskTool,
  todoTool,
  treeTool,
  waitTool,
  webFetchTool,
  webSearchTool,
  writeTool,
};

export const builtinToolFactories: ToolFactory[] = [
  // files
  readTool,
  writeTool,
  editTool,
  multiEditTool,
  jsonReadTool,
  jsonWriteTool,
  notebookReadTool,
  notebookEditTool,
  // search
  globTool,
  grepTool,
  treeTool,
  // shell
  bashTool,
  pythonTool,
  // the web
  webFetchTool,
  webSearchTool,
  // the creature's own state and history
  scratchpadTool,
  todoTool,
  searchMemoryTool,
  // background jobs
  jobsTool,
  readJobTool,
  waitTool,
  stopTaskTool,
  // help and the user
  infoTool,
  skillTool,
  askUserTool,
  showCardTool,
  // the creature's own schedule (setup tools: `type: trigger` entries)
  addTimerTool,
  addScheduleTool,
  watchChannelTool,
  listTriggersTool,
  deleteTriggerTool,
  // the creature's team, when a terrarium hosts it (the terrarium gives members these by name)
  sendChannelTool,
  groupSendTool,
  sendMessageTool,
  groupStatusTool,
  groupAddNodeTool,
  groupRemoveNodeTool,
  groupStartNodeTool,
  groupStopNodeTool,
  groupChannelTool,
  groupWireTool,
  // MCP servers (bound by themselves when a creature has mcp_servers:)
  mcpListTool,
  mcpCallTool,
  mcpConnectTool,
  mcpDisconnectTool,
  mcpReadResourceTool,
];

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
