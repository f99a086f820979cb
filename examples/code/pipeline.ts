/**
 * Pipelines of creatures and plain functions with the composition algebra:
 * a coder whose code is cut out and reviewed, an expert tried twice before a
 * generalist takes over, three specialists at once, and a writer revising
 * under a reviewer until the draft is approved.
 *
 *   npm run build
 *   node examples/code/pipeline.ts --llm openai/gpt-4o-mini
 *   node examples/code/pipeline.ts            # the model `kt config` set as default
 *
 * Node runs this file as is (type stripping), so it uses only TypeScript
 * that erases to JavaScript.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { agent, factory, par, retry, type AgentRunnable } from 'kohakuterrarium/compose';
import type { Provider, Usage } from 'kohakuterrarium';

export interface PipelineOptions {
  /** A model id (`openai/gpt-4o-mini`) or a Provider; default: the configured default model. */
  llm?: string | Provider;
  /** Where the report goes (default: stdout). */
  print?: (line: string) => void;
  /** The creatures' working folder (they use no tools; default: the current folder). */
  pwd?: string;
  /** Most writer/reviewer rounds before giving up (default 3). */
  maxRounds?: number;
}

export interface PipelineReport {
  review: string;
  answer: string;
  specialists: [string, string, string];
  drafts: string[];
  approved: boolean;
  usage: Usage;
}

/** The role each creature plays; no tools, short answers. */
export const ROLES = {
  coder: 'You write code. Answer with one short fenced code block and nothing else.',
  reviewer: 'You review work. If it is good, reply with APPROVED and one sentence. Otherwise reply with one sentence saying what to change.',
  expert: 'You are a domain expert. If you are not sure, reply with exactly UNSURE. Otherwise answer in one sentence.',
  generalist: 'You answer any question in one plain sentence.',
  analyst: 'You are an analyst. Give the single most important consideration, in one sentence.',
  writer: 'You write copy. Reply with one short paragraph; when given feedback, rewrite it accordingly.',
  designer: 'You are a designer. Describe one visual idea, in one sentence.',
} as const;

/** The first fenced code block of a reply, or the reply itself when there is none. */
export function extractCode(text: string): string {
  const match = /```[\w-]*\n([\s\S]*?)```/.exec(text);
  return match ? (match[1] as string).trim() : text.trim();
}

export async function runPipeline(options: PipelineOptions = {}): Promise<PipelineReport> {
  const print = options.print ?? ((line: string) => console.log(line));
  const build = { projectInstructions: false, ...(options.llm ? { llm: options.llm } : {}), ...(options.pwd ? { pwd: options.pwd } : {}) };
  const make = (name: keyof typeof ROLES): Promise<AgentRunnable> => agent({ name, system_prompt: ROLES[name] }, build);
  const usage: Usage = { input: 0, output: 0, cached: 0 };
  const add = (u: Usage) => {
    usage.input += u.input;
    usage.output += u.output;
    usage.cached += u.cached;
  };

  // Persistent creatures: each keeps its conversation for the whole run, and `await using` stops it.
  await using coder = await make('coder');
  await using reviewer = await make('reviewer');
  await using expert = await make('expert');
  await using analyst = await make('analyst');
  await using writer = await make('writer');
  await using designer = await make('designer');
  // A fresh generalist per call: nothing it answered before colours the next answer.
  const generalist = factory({ name: 'generalist', system_prompt: ROLES.generalist }, build);

  // 1. Sequence: creature → plain function → creature.
  const reviewed = await coder.pipe(extractCode).pipe(reviewer).run('Write a TypeScript function isPrime(n: number): boolean.');
  add(reviewed.usage);
  print(`review: ${reviewed.output}`);

  // 2. Retry, then fall back: "UNSURE" counts as a failure, so the expert gets two tries before the generalist.
  const careful = retry(expert.failsWhen((text) => text.trim() === 'UNSURE'), 2).or(generalist);
  const answered = await careful.run('What is the boiling point of water at the top of Mount Everest?');
  add(answered.usage);
  print(`answer: ${answered.output}`);

  // 3. Parallel: the same brief to three creatures at once; a typed tuple back.
  const brief = 'A landing page for a small bakery that delivers bread at dawn.';
  const specialists = await par(analyst, writer, designer).run(brief);
  add(specialists.usage);
  const [analysis, copy, visual] = specialists.output;
  print(`analyst: ${analysis}`);
  print(`writer: ${copy}`);
  print(`designer: ${visual}`);

  // 4. Iterate: the reviewer's feedback goes back to the writer until the draft is approved.
  const drafts: string[] = [];
  const rounds = writer.pipe(reviewer).iterate(`Write the headline and one line of copy for: ${brief}`);
  for await (const verdict of rounds) {
    drafts.push(verdict);
    print(`round ${drafts.length}: ${verdict}`);
    if (verdict.includes('APPROVED') || drafts.length >= (options.maxRounds ?? 3)) break;
  }
  add(rounds.usage);
  const approved = drafts.at(-1)?.includes('APPROVED') ?? false;
  print(`${approved ? 'approved' : 'not approved'} after ${drafts.length} round(s); tokens in ${usage.input}, out ${usage.output}`);
  return { review: reviewed.output, answer: answered.output, specialists: [analysis, copy, visual], drafts, approved, usage };
}

/** The command line: `--llm <model>`. */
export async function main(argv: string[], options: PipelineOptions = {}): Promise<PipelineReport> {
  const { values } = parseArgs({ args: argv, options: { llm: { type: 'string' } } });
  const llm = options.llm ?? values.llm;
  return runPipeline({ ...options, ...(llm ? { llm } : {}) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
