// A minimal OpenAI chat-completions server (streaming) for the per-round
// figures: it answers with a `bash` tool call (`echo hi`) until a request
// carries <rounds> tool results, then with text. It notes when each reply
// finished leaving and when the next request arrived: that gap is the
// client's whole turnaround (SSE parsing, tool run, bookkeeping, encoding
// the next request), measured outside the client so every client is
// judged the same way.
//   node bench/turnaround-server.mjs <rounds> [tool-name]
// Prints `READY <baseURL>`; GET /__stats → {turnaroundsMs}, POST /__reset.
// Exits when stdin closes.
import { createServer } from 'node:http';

const rounds = Number(process.argv[2] ?? 100);
const toolName = process.argv[3] ?? 'bash';
let turnarounds = [];
let lastReplyEnd = 0;

const frame = (data) => `data: ${JSON.stringify(data)}\n\n`;
const chunk = (delta, finish = null, extra = {}) => ({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'bench', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });

function reply(done) {
  const frames = [frame(chunk({ role: 'assistant', content: '' }))];
  if (done < rounds) {
    const args = JSON.stringify({ command: 'echo hi' });
    frames.push(frame(chunk({ tool_calls: [{ index: 0, id: `call_${done}`, type: 'function', function: { name: toolName, arguments: '' } }] })));
    frames.push(frame(chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] })));
    frames.push(frame(chunk({}, 'tool_calls')));
  } else {
    frames.push(frame(chunk({ content: 'finished' })));
    frames.push(frame(chunk({}, 'stop')));
  }
  frames.push(frame({ ...chunk({}), choices: [], usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } }));
  frames.push('data: [DONE]\n\n');
  return frames.join('');
}

const server = createServer((req, res) => {
  const arrived = performance.now();
  if (req.method === 'GET' && req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ turnaroundsMs: turnarounds }));
  }
  if (req.method === 'POST' && req.url === '/__reset') {
    turnarounds = [];
    lastReplyEnd = 0;
    return res.end('{}');
  }
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const done = (body.messages ?? []).filter((m) => m.role === 'tool').length;
    // The first request of a run has no tool results: no turnaround to count.
    if (done > 0 && lastReplyEnd > 0) turnarounds.push(arrived - lastReplyEnd);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': `req_${done}` });
    res.end(reply(done), () => {
      lastReplyEnd = done < rounds ? performance.now() : 0;
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY http://127.0.0.1:${server.address().port}/v1\n`));
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
