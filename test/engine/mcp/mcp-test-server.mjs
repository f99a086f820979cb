// A small MCP server over stdio, built with the official SDK, for what
// server-everything cannot be made to do on cue: add a tool (tools/list_changed),
// crash in the middle of a call, notice a cancellation, start a grandchild.
import { spawn } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'kt-test', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
let cancelled = 0;
let grandchild;

server.registerTool('add_tool', { description: 'Adds the tool `extra`', inputSchema: {} }, async () => {
  server.registerTool('extra', { description: 'Appeared later', inputSchema: { word: z.string() } }, async ({ word }) => ({ content: [{ type: 'text', text: `extra ${word}` }] }));
  return { content: [{ type: 'text', text: 'added' }] };
});
server.registerTool('crash', { description: 'Exits in the middle of the call', inputSchema: {} }, async () => {
  process.stderr.write('about to crash: disk on fire\n');
  setImmediate(() => process.exit(3));
  return new Promise(() => undefined);
});
server.registerTool('wait', { description: 'Reports that it started, then waits until cancelled', inputSchema: {} }, (_args, extra) =>
  new Promise((resolve) => {
    extra.signal.addEventListener('abort', () => {
      cancelled++;
      resolve({ content: [{ type: 'text', text: 'cancelled' }] });
    });
    // The client cancels on this, so the cancellation surely follows the request.
    const token = extra._meta?.progressToken;
    if (token !== undefined) void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 0, message: 'waiting' } });
  }),
);
server.registerTool('cancelled_count', { description: 'How many calls were cancelled', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({ content: [{ type: 'text', text: String(cancelled) }] }));
server.registerTool('spawn_grandchild', { description: 'Starts a long-lived child process and returns its pid', inputSchema: {} }, async () => {
  grandchild ??= spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return { content: [{ type: 'text', text: String(grandchild.pid) }] };
});

// For tests of kt's exit: say who we are (and start a grandchild) in a file the test reads.
if (process.env.KT_MCP_PID_FILE) {
  const { writeFileSync } = await import('node:fs');
  grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  writeFileSync(process.env.KT_MCP_PID_FILE, `${process.pid} ${grandchild.pid}`);
}

await server.connect(new StdioServerTransport());
