// The baseline for the tool-loop benchmark: what a careful hand-written
// agent loop does with nothing but fetch. Same requests, same streaming,
// same SSE and tool-argument parsing, same tool work; no framework.

/** Run the loop until a response has no tool calls. Returns how many requests it made. */
export async function rawToolLoop({ baseURL, apiKey, model, tool }) {
  const messages = [
    { role: 'system', content: 'You add numbers.' },
    { role: 'user', content: 'go' },
  ];
  const tools = [{ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }];
  let rounds = 0;
  for (;;) {
    rounds++;
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model, messages, tools, stream: true, stream_options: { include_usage: true } }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { text, calls } = await readStream(response.body);
    const assistant = { role: 'assistant', content: text || null };
    if (calls.length) assistant.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    messages.push(assistant);
    if (!calls.length) return { rounds, text };
    for (const call of calls) {
      const args = JSON.parse(call.arguments || '{}');
      messages.push({ role: 'tool', tool_call_id: call.id, content: await tool.run(args) });
    }
  }
}

/** A chat-completions SSE stream → its text and tool calls (the baselines' whole parser). */
export async function readStream(body) {
  const decoder = new TextDecoder();
  const calls = [];
  let text = '';
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of frame.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice(6);
        if (data === '[DONE]') continue;
        const chunk = JSON.parse(data);
        const delta = chunk.choices?.[0]?.delta;
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
  }
  return { text, calls };
}
