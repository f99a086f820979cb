/**
 * Where streaming markdown can be cut so the part before the cut is finished
 * and renders the same however the rest turns out. A UI renders that prefix
 * once, for good, and re-renders only the tail as tokens arrive.
 *
 * Safe places are block boundaries that more text cannot undo:
 *  - just after a blank line that is not inside a fenced code block;
 *  - just before the opening line of a fenced code block (a fence ends any
 *    paragraph before it), which is where the cut lands while a fence is
 *    still open at the end of the text;
 *  - just after a fence's closing line.
 * The answer is the last of these, or 0 when none has any text before it.
 * Because every candidate stays a candidate as text is appended, the answer
 * never moves backwards while a message streams in.
 *
 * This is a line scan for fences and blank lines only, not a markdown parser:
 * it is deliberately generous about what opens a fence (any line starting with
 * three backticks or tildes, at any indentation, so fences in list items
 * count) and strict about what closes one (a complete line holding only the
 * same marker, at least as long), so it errs towards cutting less, never
 * towards a prefix with an unclosed fence.
 */

interface Fence {
  readonly marker: string; // '`' or '~'
  readonly length: number;
}

export function findSafeSplitPoint(markdown: string): number {
  let best = 0;
  let fence: Fence | undefined;
  let hasContent = false; // whether anything but whitespace precedes the current line
  let offset = 0;
  for (;;) {
    const newline = markdown.indexOf('\n', offset);
    // The last line may still be growing: it can open a fence but not close one or count as blank.
    const complete = newline !== -1;
    const end = complete ? newline : markdown.length;
    const line = markdown.slice(offset, end);

    if (fence) {
      if (complete && closes(line, fence)) {
        fence = undefined;
        best = end + 1;
      }
    } else {
      const opened = opens(line);
      if (opened) {
        if (hasContent) best = offset;
        fence = opened;
      } else if (complete && hasContent && line.trim() === '') {
        best = end + 1;
      }
    }

    hasContent ||= line.trim() !== '';
    if (!complete) return best;
    offset = end + 1;
  }
}

function opens(line: string): Fence | undefined {
  const match = /^\s*(`{3,}|~{3,})/.exec(line);
  const run = match?.[1];
  return run ? { marker: run[0] as string, length: run.length } : undefined;
}

function closes(line: string, fence: Fence): boolean {
  const match = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
  const run = match?.[1];
  return run !== undefined && run[0] === fence.marker && run.length >= fence.length;
}
