// A fake model server in its own process, so the client being measured
// never shares an event loop (or a core, on two cores) with it.
//   node bench/fake-server.mjs <protocol> text          → every request answers with text
//   node bench/fake-server.mjs <protocol> loop <rounds> → tool calls until <rounds> results, then text
//   node bench/fake-server.mjs openai stream <lines> <tokens/s> → a letters-only answer of <lines> lines,
//     4-character chunks paced to <tokens/s> (0 = as fast as possible), ending with END-OF-ANSWER
// <protocol>: openai | anthropic | gemini | responses.
// Prints `READY <baseURL>` on stdout; exits when stdin closes.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kit = await import(join(root, 'dist', 'testing.js'));
const [protocol = 'openai', mode = 'text', roundsArg = '100', rateArg = '0'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const rate = Number(rateArg);

/** How many tool results the request already carries, in each protocol's own shape. */
const resultsIn = {
  openai: (body) => (body?.messages ?? []).filter((m) => m.role === 'tool').length,
  anthropic: (body) => (body?.messages ?? []).flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b) => b.type === 'tool_result').length,
  gemini: (body) => (body?.contents ?? []).flatMap((c) => c.parts ?? []).filter((p) => p.functionResponse).length,
  responses: (body) => (Array.isArray(body?.input) ? body.input : []).filter((i) => i.type === 'function_call_output').length,
}[protocol];

const responder =
  mode === 'loop'
    ? (request) => {
        const done = resultsIn(request.body);
        return done < rounds ? { toolCalls: [{ name: 'add', arguments: { a: done, b: 1 } }] } : { text: 'finished' };
      }
    : mode === 'stream'
      ? () => ({
          // Letters only, so a bench can spot typed digits in the terminal output.
          text: `${Array.from({ length: rounds }, (_, i) => `Line ${letters(i)} of the streamed answer keeps going here.`).join('\n')}\nEND-OF-ANSWER`,
          chunkSize: 4,
          ...(rate > 0 ? { delayMs: 1000 / rate } : {}),
        })
      : () => ({ text: 'Hello from the fake model.' });

function letters(n) {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

const start = { openai: kit.startFakeOpenAI, anthropic: kit.startFakeAnthropic, gemini: kit.startFakeGemini, responses: kit.startFakeResponses }[protocol];
const server = await start({ responder });
process.stdout.write(`READY ${server.baseURL}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
