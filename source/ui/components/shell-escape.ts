/**
 * `!cmd` at the prompt: run a shell command in the creature's folder and
 * show its output, without a model round. Bounded in time and output.
 */
const TIMEOUT_MS = 60_000;
const MAX_LINES = 40;

export async function runShellEscape(command: string, cwd: string, signal?: AbortSignal): Promise<{ text: string; ok: boolean }> {
  const { execa } = await import('execa');
  const result = await execa(command, { shell: process.env.KT_SHELL_PATH ?? process.env.SHELL ?? true, cwd, all: true, reject: false, timeout: TIMEOUT_MS, ...(signal ? { cancelSignal: signal } : {}), stdin: 'ignore' });
  const lines = (result.all ?? '').replace(/\n$/, '').split('\n');
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `… ${lines.length - MAX_LINES} more lines`] : lines;
  const status = result.timedOut ? `timed out after ${TIMEOUT_MS / 1000}s` : result.exitCode === 0 ? '' : `exit ${result.exitCode ?? result.signal}`;
  return { text: [`$ ${command}`, ...shown.filter((l, i) => l || i > 0), ...(status ? [`(${status})`] : [])].join('\n'), ok: !status };
}
