/**
 * The instructions the summary model gets. The sections are fixed so a
 * summary of a summary keeps the same shape, and so the working model can
 * find its goal, its progress and the exact names it needs after the cut.
 */

export const SUMMARY_SYSTEM_PROMPT = `You condense the earlier part of a working session between a user and an AI agent so the agent can carry on without it.

Write these sections, in this order, as Markdown headings:
## Current Goal
What the user wants now, in one or two sentences.
## Key Decisions
Choices made and why, one bullet each.
## Progress
Bullets marked [DONE], [IN PROGRESS] or [PENDING].
## Files Modified
Paths touched and what changed in each.
## Key Facts
Facts learned that the agent will need again: commands that work, versions, names, constraints.
## Keywords
Identifiers, error codes and terms worth searching for later, comma-separated.
## Key Sentences
Up to five sentences from the user quoted exactly when their wording matters.

Rules:
- Copy paths, line numbers, identifiers, commands and error codes exactly.
- Keep the reason behind each decision, not only the decision.
- Say when things happened relative to each other ("after the tests failed"), never clock times.
- Leave out raw tool output; state what it showed.
- When the text begins with an earlier summary, merge it in: the result replaces it.
- Write only the summary.`;

/** The user message carrying the zone to summarise. */
export function summaryRequest(zone: string): string {
  return `Summarise this part of the session:\n\n${zone}`;
}

/** How a summary message begins (it is recognised by this). */
export const SUMMARY_MARKER = '[Previous context summary (compact round ';

/** The message that stands for the summarised part in the conversation. */
export function summaryMessageText(round: number, summary: string): string {
  return `${SUMMARY_MARKER}${round})]\n\n${summary}`;
}
