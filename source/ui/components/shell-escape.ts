/**
 * `!cmd` at the prompt: run a shell command in the creature's folder and
 * show its output, without a model round. Bounded in time and output.
 *
 * The model sees what was run too: each command and its output become a
 * `<bash-input>`/`<bash-stdout>` block that rides with the user's next
 * message (as Claude Code does), so "fix that" after `!npm test` works.
 */
const TIMEOUT_MS = 60_000;
const MAX_LINES = 40;
/** What the model gets of one command's output at most (the tail: a failing test run ends with the summary). */
const CONTEXT_CHARS = 20_000;

export interface ShellEscapeResult {
  /** What the transcript shows. */
  text: string;
  ok: boolean;
  /** The block the next message carries to the model. */
  context: string;
}

export async function runShellEscape(command: string, cwd: string, signal?: AbortSignal): Promise<ShellEscapeResult> {
  const { execa } = await import('execa');
  const result = await execa(command, { shell: process.env.KT_SHELL_PATH ?? process.env.SHELL ?? true, cwd, all: true, reject: false, timeout: TIMEOUT_MS, ...(signal ? { cancelSignal: signal } : {}), stdin: 'ignore' });
  const output = (result.all ?? '').replace(/\n$/, '');
  const lines = output.split('\n');
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `… ${lines.length - MAX_LINES} more lines`] : lines;
  const status = result.timedOut ? `timed out after ${TIMEOUT_MS / 1000}s` : result.exitCode === 0 ? '' : `exit ${result.exitCode ?? result.signal}`;
  return {
    text: [`$ ${command}`, ...shown.filter((l, i) => l || i > 0), ...(status ? [`(${status})`] : [])].join('\n'),
    ok: !status,
    context: shellContext(command, output, status),
  };
}

/** One command and its output as the model reads it. */
export function shellContext(command: string, output: string, status: string): string {
  const cut = output.length > CONTEXT_CHARS ? `[… first ${output.length - CONTEXT_CHARS} characters cut]\n${output.slice(-CONTEXT_CHARS)}` : output;
  return `<bash-input>${command}</bash-input>\n<bash-stdout>${cut}${status ? `\n(${status})` : ''}</bash-stdout>`;
}

/**
 * The user's message with the shell blocks run since the last one in front,
 * as a part of its own so the transcript can show the message alone.
 */
export function withShellContext(text: string, blocks: readonly string[]): string | Array<{ type: 'text'; text: string }> {
  if (!blocks.length) return text;
  return [
    { type: 'text', text: `${blocks.join('\n')}\n\n` },
    { type: 'text', text },
  ];
}
