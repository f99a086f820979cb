/** MCP server entries for tests: the real server-everything and server-filesystem from npm, and the small SDK server beside this file. */
import { resolve } from 'node:path';
import type { McpServerConfig } from '../../../source/engine/mcp/config.js';

const modules = resolve(import.meta.dirname, '../../../node_modules');

export const everythingScript = resolve(modules, '@modelcontextprotocol/server-everything/dist/index.js');
export const filesystemScript = resolve(modules, '@modelcontextprotocol/server-filesystem/dist/index.js');

export function everything(name = 'everything'): McpServerConfig {
  return { name, transport: 'stdio', command: process.execPath, args: [everythingScript, 'stdio'] };
}

export function filesystem(root: string, name = 'files'): McpServerConfig {
  return { name, transport: 'stdio', command: process.execPath, args: [filesystemScript, root] };
}

export function testServer(name = 'kt'): McpServerConfig {
  return { name, transport: 'stdio', command: process.execPath, args: [resolve(import.meta.dirname, 'mcp-test-server.mjs')] };
}

/** A server that never starts: it writes a reason to stderr and exits. */
export function broken(name = 'broken'): McpServerConfig {
  return { name, transport: 'stdio', command: process.execPath, args: ['-e', 'process.stderr.write("cannot open database: permission denied\\n"); process.exit(1)'], connect_timeout: 20 };
}
