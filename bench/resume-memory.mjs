// Peak memory of resuming a long session (issue 18): a conversation of
// `messages` messages recorded through a real Agent (user prompt, a tool
// call, its result — now and then a few KB, as a file read is — and the
// answer), then resumed
//   - as a user does: `kt resume <file> --mode plain -p hi` against the fake
//     OpenAI server, peak RSS from /usr/bin/time;
//   - as a library does: Agent.build on the file in a child process, peak RSS
//     from the child's own resource usage.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nodeArgsFor } from './kt-launch.mjs';
import { median } from './stats.mjs';

/** A deterministic pseudo-random generator (mulberry32), so every run records the same session. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A tool output of about `bytes` bytes that reads like source code. */
function fileText(n, bytes) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${String(i + 1).padStart(4)}  export function step${n}_${i}(input: Input): Output { return transform(input, ${i}); }`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/**
 * Record a session holding `messages` messages (plus the system prompt): four
 * a turn. Returns its path.
 */
export async function recordConversation(lib, dir, messages, name = 'long.kohakutr') {
  const { Agent, ScriptedLLM, tool, z } = lib;
  const path = join(dir, name);
  const turns = Math.ceil(messages / 4);
  const random = seeded(18);
  const sizes = Array.from({ length: turns }, () => (random() < 0.25 ? 2_000 + Math.floor(random() * 4_000) : 200 + Math.floor(random() * 400)));
  const read = tool({
    name: 'read_file',
    description: 'Read a file.',
    input: z.object({ n: z.number() }),
    execute: ({ n }) => fileText(n, sizes[n]),
  });
  const steps = [];
  for (let i = 0; i < turns; i++) {
    steps.push({ text: `Let me read module_${i}.ts to see how the step is wired before I change anything.`, toolCalls: [{ name: 'read_file', args: { n: i } }], chunkSize: 64 });
    steps.push({ text: `Module ${i} wires step ${i} through transform(). ${'The edge cases are handled and the tests cover them. '.repeat(1 + (i % 6))}Nothing needs to change here.`, chunkSize: 64 });
  }
  const agent = await Agent.build({ name: 'coder', system_prompt: 'You are a careful coding assistant.' }, { llm: new ScriptedLLM(steps), tools: [read], session: path, pwd: dir });
  for (let i = 0; i < turns; i++) await agent.run(`Please check step ${i} of the plan and tell me whether anything must change.`);
  await agent.stop();
  return path;
}

/** Peak RSS (MB) and wall ms of `node <args>` under /usr/bin/time. */
function measured(args, env, cwd) {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...nodeArgsFor(args[0]), ...args.slice(1)], { env, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { wallMs, rssMb: Number(run.stderr.trim().split('\n').at(-1)) / 1024, stdout: run.stdout };
}

/**
 * `resume5kPeakRssMb` / `resume5kWallMs`: the kt process; `resume5kLibraryPeakRssMb` /
 * `resume5kLibraryWallMs`: Agent.build resuming it in a child process (median of runs).
 * Each run resumes its own copy, so the file does not grow between runs.
 */
export async function resumeMemoryFigures(lib, { quick, ktBin, env, dir, messages = 5_000, recorded }) {
  if (!existsSync('/usr/bin/time')) return {};
  const source = recorded ?? (await recordConversation(lib, dir, messages));
  const runs = quick ? 2 : 5;
  const cli = [];
  const library = [];
  const index = join(ktBin, '..', 'index.js');
  const child = `const { Agent } = await import(${JSON.stringify(index)});
const agent = await Agent.build({ name: 'coder', system_prompt: 'You are a careful coding assistant.' }, { llm: 'openai/bench', session: process.argv[1], pwd: ${JSON.stringify(dir)} });
if (agent.messages.length < ${messages}) throw new Error('resumed ' + agent.messages.length + ' messages');
await agent.stop();`;
  for (let i = 0; i < runs; i++) {
    const copy = join(dir, `resume-cli-${i}.kohakutr`);
    lib.forkSession(source, copy);
    cli.push(measured([ktBin, 'resume', copy, '--llm', 'openai/bench', '--mode', 'plain', '-p', 'hi'], env, dir));
    const own = join(dir, `resume-lib-${i}.kohakutr`);
    lib.forkSession(source, own);
    library.push(measured(['--input-type=module', '-e', child, own], env, dir));
  }
  return {
    resume5kMessages: messages,
    resume5kPeakRssMb: median(cli.map((r) => r.rssMb)),
    resume5kWallMs: median(cli.map((r) => r.wallMs)),
    resume5kLibraryPeakRssMb: median(library.map((r) => r.rssMb)),
    resume5kLibraryWallMs: median(library.map((r) => r.wallMs)),
  };
}
