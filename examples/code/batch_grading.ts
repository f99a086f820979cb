/**
 * Batch grading: one terrarium, one grader creature per submission, every
 * grader working at the same time. Sixty answers to one exam question are
 * graded in about the time one takes, then printed as a table.
 *
 *   npm run build
 *   node examples/code/batch_grading.ts --llm openai/gpt-4o-mini
 *   node examples/code/batch_grading.ts            # the model `kt config` set as default
 *
 * The graders share nothing but the terrarium (one process, one channel
 * hub); each has its own conversation, so one answer never colours the
 * grade of another. Node runs this file as is (type stripping), so it uses
 * only TypeScript that erases to JavaScript.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Terrarium, type Provider } from 'kohakuterrarium';

export const QUESTION = 'Why is the sky blue on a clear day? Answer in one or two sentences.';

export interface Submission {
  id: string;
  answer: string;
}

export interface Grade {
  submission: string;
  /** A to F, or `?` when the grader's reply could not be read. */
  grade: string;
  reason: string;
}

export interface GradingOptions {
  /** A model id (`openai/gpt-4o-mini`) or a Provider; default: the configured default model. */
  llm?: string | Provider;
  submissions?: Submission[];
  /** Where the table goes (default: stdout). */
  print?: (line: string) => void;
  /** The graders' working folder (they use no tools; default: the current folder). */
  pwd?: string;
}

/** The grader: no tools, one short reply in a fixed form that is easy to read back. */
const GRADER = {
  name: 'grader',
  system_prompt: [
    'You grade one student answer to an exam question.',
    'A: correct and complete (sunlight scattered by air molecules, shorter blue wavelengths scattered much more).',
    'B: correct idea, something missing. C: partly right. D: mostly wrong. F: wrong or empty.',
    'Reply with exactly one line: `<grade> | <one short reason>`, for example `B | names scattering but not wavelength`.',
  ].join('\n'),
};

const ANSWERS = [
  'Air molecules scatter short wavelengths far more than long ones (Rayleigh scattering), so blue light reaches us from all over the sky.',
  'Sunlight is scattered by the air, and blue is scattered the most.',
  'Because the atmosphere scatters light.',
  'The sky reflects the colour of the ocean.',
  'Blue light has more energy so it bounces off clouds.',
  '',
];

/** Sixty answers of mixed quality (a fixed list, so runs compare). */
export function sampleSubmissions(count = 60): Submission[] {
  return Array.from({ length: count }, (_, i) => ({ id: `s${String(i + 1).padStart(2, '0')}`, answer: ANSWERS[i % ANSWERS.length] as string }));
}

export function gradingPrompt(submission: Submission): string {
  return `Question: ${QUESTION}\n\nStudent answer (${submission.id}):\n${submission.answer || '(no answer)'}`;
}

/** `B | reason` → grade and reason; anything else is kept as the reason with grade `?`. */
export function readGrade(submission: string, reply: string): Grade {
  const line = reply.split('\n').find((l) => l.trim()) ?? '';
  const match = /^\s*`?\s*([A-DF][+-]?)\s*\|\s*(.+?)`?\s*$/.exec(line);
  return match ? { submission, grade: match[1] as string, reason: match[2] as string } : { submission, grade: '?', reason: line.trim() || '(no reply)' };
}

export function gradeTable(grades: readonly Grade[]): string[] {
  const rows = [['submission', 'grade', 'reason'], ...grades.map((g) => [g.submission, g.grade, g.reason])];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  return rows.map((r) => `${(r[0] as string).padEnd(widths[0] as number)}  ${(r[1] as string).padEnd(widths[1] as number)}  ${r[2]}`);
}

/** Grade every submission, each by its own creature, all at once; print and return the grades in submission order. */
export async function gradeAll(options: GradingOptions = {}): Promise<Grade[]> {
  const submissions = options.submissions ?? sampleSubmissions();
  const print = options.print ?? ((line: string) => console.log(line));
  await using team = new Terrarium({
    name: 'batch_grading',
    ...(options.llm ? { llm: options.llm } : {}),
    ...(options.pwd ? { pwd: options.pwd } : {}),
    build: { projectInstructions: false },
  });
  const graders = await Promise.all(submissions.map((s) => team.addCreature(GRADER, { name: `grader_${s.id}` })));
  const replies = await Promise.all(graders.map((grader, i) => grader.run(gradingPrompt(submissions[i] as Submission))));
  const grades = replies.map((result, i) => {
    const id = (submissions[i] as Submission).id;
    return result.status === 'completed' ? readGrade(id, result.text) : { submission: id, grade: '?', reason: `grader ${result.status}` };
  });
  for (const line of gradeTable(grades)) print(line);
  return grades;
}

/** The command line: `--llm <model>`, `--count <n>` (default 60). */
export async function main(argv: string[], options: Omit<GradingOptions, 'submissions'> = {}): Promise<Grade[]> {
  const { values } = parseArgs({ args: argv, options: { llm: { type: 'string' }, count: { type: 'string' } } });
  const count = values.count ? Number(values.count) : 60;
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive whole number, not '${values.count}'`);
  const llm = options.llm ?? values.llm;
  return gradeAll({ ...options, ...(llm ? { llm } : {}), submissions: sampleSubmissions(count) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
