// MCP figures for `npm run bench` (MCP issue target: a tool call round trip
// over stdio ≤ 2 ms median, against server-everything's `echo`). Measured
// in-process through kt's McpManager (the path flat and meta tools use):
// call → JSON-RPC over the child's stdin/stdout → result. Also: how long
// connecting the server takes (spawn, initialize, tools/list).
//
// Run alone: node bench/mcp.mjs [--quick]   (after `npm run build`)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const everything = join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

export async function mcpFigures({ quick = false } = {}) {
  const { McpManager } = await import(join(root, 'dist', 'index.js'));
  const calls = quick ? 200 : 1000;
  const connects = [];
  let samples = [];
  for (let run = 0; run < (quick ? 2 : 5); run++) {
    const manager = new McpManager({ retryDelaysMs: [] });
    const started = performance.now();
    await manager.connectAll([{ name: 'everything', transport: 'stdio', command: process.execPath, args: [everything, 'stdio'] }]);
    connects.push(performance.now() - started);
    if (manager.status()[0]?.state !== 'connected') throw new Error(`bench/mcp: server-everything did not connect: ${manager.status()[0]?.lastError}`);
    if (run === 0) {
      // Warm up the JIT on both sides, then time each call on its own.
      for (let i = 0; i < 100; i++) await manager.call('everything', 'echo', { message: `warm ${i}` });
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        await manager.call('everything', 'echo', { message: `call ${i}` });
        samples.push(performance.now() - t0);
      }
    }
    await manager.close();
  }
  samples = samples.sort((a, b) => a - b);
  return { calls, medianMs: median(samples), p95Ms: samples[Math.floor(samples.length * 0.95)], connectMs: median(connects) };
}

/** Rows for the bench table; one call gives the figures and the rows. */
export async function mcpRows({ quick = false, fmt }) {
  const m = await mcpFigures({ quick });
  return [
    ['MCP echo round trip, stdio (server-everything)', `${fmt(m.medianMs, 3)} ms`, `p95 ${fmt(m.p95Ms, 3)} ms`, `target ≤ 2 ms median; ${m.calls} calls`],
    ['MCP server connect (spawn, initialize, tools/list)', `${fmt(m.connectMs)} ms`, '', 'median of runs'],
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await mcpFigures({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(figures, null, 2));
}
