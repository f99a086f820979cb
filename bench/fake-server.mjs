// The fake OpenAI server in its own process, so the client being measured
// never shares an event loop (or a core, on two cores) with it.
//   node bench/fake-server.mjs text          → every request answers with text
//   node bench/fake-server.mjs loop <rounds> → tool calls until <rounds> results, then text
// Prints `READY <baseURL>` on stdout; exits when stdin closes.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startFakeOpenAI } = await import(join(root, 'dist', 'testing.js'));
const [mode = 'text', roundsArg = '100'] = process.argv.slice(2);
const rounds = Number(roundsArg);

const responder =
  mode === 'loop'
    ? (request) => {
        const done = (request.body?.messages ?? []).filter((m) => m.role === 'tool').length;
        return done < rounds
          ? { toolCalls: [{ name: 'add', arguments: { a: done, b: 1 } }], usage: { prompt_tokens: 100 + done, completion_tokens: 5 } }
          : { text: 'finished', usage: { prompt_tokens: 200, completion_tokens: 2 } };
      }
    : () => ({ text: 'Hello from the fake model.', usage: { prompt_tokens: 50, completion_tokens: 6 } });

const server = await startFakeOpenAI({ responder });
process.stdout.write(`READY ${server.baseURL}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
