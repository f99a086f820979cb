/**
 * Tool results in text mode. Without native tool calling there is no tool
 * role, so the results of one round go back as ONE user message: a section
 * per call, in call order, each a heading line and the output.
 *
 *   ## bash - OK
 *   total 8
 *   -rw-r--r-- 1 kt kt 12 a.txt
 *
 *   ## job_3 - exit=2
 *   ls: cannot access 'nope': No such file or directory
 *   [exit code 2]
 *
 * Heading: `## <label> - <STATUS>`, the label being the job id when the
 * model can refer to it (a background job) and the tool name otherwise.
 * STATUS: `OK`, `ERROR`, `exit=N` (an ok or error result with a non-zero
 * exit code), `INTERRUPTED`, `CANCELLED`, `TIMEOUT`. The output follows on
 * the next lines with trailing newlines removed; an empty output reads
 * `(no output)`; images become `[image]`. Sections are separated by one
 * blank line; the message has no trailing newline.
 */
/** A result part as this file reads it (text, or anything else shown as an image marker); structural, so parsing/ stays a leaf. */
type ContentPart = { type: 'text'; text: string } | { type: 'image'; url?: string };

/**
 * A tool call's outcome. The same strings as `ToolResultStatus` in
 * `engine/events` (which this folder does not import; a test checks they
 * stay equal).
 */
export type TextResultStatus = 'ok' | 'error' | 'interrupted' | 'cancelled' | 'timeout';

export interface TextToolResult {
  /** The tool's name; the label when there is no job id. */
  name: string;
  status: TextResultStatus;
  output: string | readonly ContentPart[];
  /** A job id the model can use (`read_job`); only for results it may refer to later. */
  jobId?: string;
  /** A process's exit code (bash); non-zero shows as `exit=N`. */
  exitCode?: number | null;
}

const FIXED: Readonly<Record<TextResultStatus, string>> = {
  ok: 'OK',
  error: 'ERROR',
  interrupted: 'INTERRUPTED',
  cancelled: 'CANCELLED',
  timeout: 'TIMEOUT',
};

export function resultStatusWord(result: Pick<TextToolResult, 'status' | 'exitCode'>): string {
  const { status, exitCode } = result;
  if ((status === 'ok' || status === 'error') && typeof exitCode === 'number' && exitCode !== 0) return `exit=${exitCode}`;
  return FIXED[status];
}

function outputText(output: string | readonly ContentPart[]): string {
  const text = typeof output === 'string' ? output : output.map((p) => (p.type === 'text' ? p.text : '[image]')).join('');
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  const trimmed = text.slice(0, end);
  return trimmed === '' ? '(no output)' : trimmed;
}

/** One round's results as the text of a single user message. */
export function renderToolResults(results: readonly TextToolResult[]): string {
  return results.map((r) => `## ${r.jobId ?? r.name} - ${resultStatusWord(r)}\n${outputText(r.output)}`).join('\n\n');
}
