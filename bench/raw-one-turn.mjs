// The baseline for the one-turn figure: a hand-written client on the same
// Node — one streamed chat-completions request, its text to stdout.
//   node bench/raw-one-turn.mjs <baseURL>
const response = await fetch(`${process.argv[2]}/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
  body: JSON.stringify({ model: 'bench', messages: [{ role: 'system', content: 'You help.' }, { role: 'user', content: 'hi' }], stream: true }),
});
if (!response.ok) throw new Error(`HTTP ${response.status}`);
const decoder = new TextDecoder();
let text = '';
let buffer = '';
for await (const bytes of response.body) {
  buffer += decoder.decode(bytes, { stream: true });
  let end;
  while ((end = buffer.indexOf('\n\n')) >= 0) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    if (line.startsWith('data: ') && line !== 'data: [DONE]') text += JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '';
  }
}
process.stdout.write(`${text}\n`);
