/**
 * What every built-in sub-agent's system prompt shares: a preamble saying
 * what being a sub-agent means (one task, nobody to ask, the last message is
 * the report), then the sub-agent's own sections in a fixed order that always
 * ends with the shape of its report.
 */

/** The heading of the closing section every built-in prompt has. */
export const REPORT_HEADING = '## Your report';

/** The opening every built-in sub-agent's prompt starts with. */
export const SUBAGENT_PREAMBLE = `You are a sub-agent working for another agent (your parent). It gave you one task, in its message to you, and is waiting for your report.
- The task message is all you know about what is wanted. If it is ambiguous, take the most reasonable reading, say which one you took, and carry on.
- You cannot ask the user or the parent questions, and nobody answers mid-task. Never stop to ask for confirmation.
- Your turns and tool calls are limited. Work straight toward the answer and stop once you have enough.
- Your last message is your report. It is the only thing the parent sees: not your tool calls, not their output, not your earlier messages. Make it self-contained (name the files, values and facts; never "see above"), concise, and honest about what you checked, what you inferred, and what you could not find or finish.`;

export interface SubagentPromptParts {
  /** Who it is and what it is for: a short paragraph. */
  role: string;
  /** How to go about the task: bullet lines. */
  method: string;
  /** What it must not do: bullet lines. */
  avoid: string;
  /** The exact shape of the final message: the closing section. */
  report: string;
}

/** Assemble a built-in sub-agent's system prompt: preamble, role, method, limits, report shape. */
export function subagentPrompt(parts: SubagentPromptParts): string {
  return [
    SUBAGENT_PREAMBLE,
    parts.role.trim(),
    `## How to work\n${parts.method.trim()}`,
    `## Do not\n${parts.avoid.trim()}`,
    `${REPORT_HEADING}\n${parts.report.trim()}`,
  ].join('\n\n');
}
