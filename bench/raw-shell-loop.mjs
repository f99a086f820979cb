// The baseline for the per-round figures: a careful hand-written agent loop
// on the same Node, with nothing but fetch and child_process — the same
// streaming request, SSE and tool-argument parsing, and the shell command
// run in its own process group. Run as a process:
//   node bench/raw-shell-loop.mjs <baseURL>
import { spawn } from 'node:child_process';

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

async function readStream(body) {
  const decoder = new TextDecoder();
  const calls = [];
  let text = '';
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      const delta = JSON.parse(line.slice(6)).choices?.[0]?.delta;
      if (!delta) continue;
      if (delta.content) text += delta.content;
      for (const part of delta.tool_calls ?? []) {
        const slot = (calls[part.index] ??= { id: '', name: '', arguments: '' });
        if (part.id) slot.id = part.id;
        if (part.function?.name) slot.name = part.function.name;
        if (part.function?.arguments) slot.arguments += part.function.arguments;
      }
    }
  }
  return { text, calls };
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
