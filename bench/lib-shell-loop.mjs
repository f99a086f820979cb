// The library side of the per-round figures, as its own process:
//   node bench/lib-shell-loop.mjs <baseURL> <rounds>
// Agent.build of @kt-biome/creatures/swe (its real `bash` tool) against the
// turnaround server, one run of <rounds> tool rounds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [baseURL, roundsArg = '100'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const { Agent } = await import(join(root, 'dist', 'index.js'));
const { OpenAICompatibleProvider } = await import(join(root, 'dist', 'providers.js'));
const llm = new OpenAICompatibleProvider({ model: 'bench', apiKey: 'sk-bench', baseURL });
const agent = await Agent.build('@kt-biome/creatures/swe', { llm, pwd: mkdtempSync(join(tmpdir(), 'kt-bench-lib-')), maxTurns: rounds + 5 });
const result = await agent.run('go');
await agent.stop();
if (result.status !== 'completed' || result.steps !== rounds + 1) throw new Error(`library run ended ${result.status} after ${result.steps} steps`);
