// The baseline for the per-round figures: a careful hand-written agent loop
// on the same Node, with nothing but fetch and child_process — the same
// streaming request, SSE and tool-argument parsing, and the shell command
// run in its own process group. Run as a process:
//   node bench/raw-shell-loop.mjs <baseURL>
import { spawn } from 'node:child_process';
import { readStream } from './raw-loop.mjs';

const baseURL = process.argv[2];
const tools = [{ type: 'function', function: { name: 'bash', description: 'Run a shell command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } }];
const messages = [{ role: 'system', content: 'You run commands.' }, { role: 'user', content: 'go' }];

function run(command) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve(`${Buffer.concat(out).toString('utf8')}${code ? `\n[exit ${code}]` : ''}`));
  });
}

for (;;) {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify({ model: 'bench', messages, tools, stream: true, stream_options: { include_usage: true } }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { text, calls } = await readStream(response.body);
  messages.push({ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}) });
  if (!calls.length) {
    process.stdout.write(`${text}\n`);
    break;
  }
  for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: await run(JSON.parse(call.arguments).command) });
}
