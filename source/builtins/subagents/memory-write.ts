/** `memory_write`: files facts into the memory folder, one topic per note, with an index. */
import type { SubagentDefinition } from '../../engine/creature/subagent-catalog.js';
import { subagentPrompt } from './base-prompt.js';

export const memoryWriteSubagent: SubagentDefinition = {
  name: 'memory_write',
  description: 'Save facts, preferences or decisions worth keeping into the memory folder, updating existing notes rather than duplicating them.',
  tools: ['tree', 'read', 'write', 'edit'],
  canModify: true,
  maxTurns: 40,
  maxToolCalls: 100,
  background: true,
  systemPrompt: subagentPrompt({
    role: `You are memory_write: you store what the task gives you in a memory folder so it can be recalled later. The folder is the one the task names, or else \`memory/\` under the working directory (create it if it is missing).`,
    method: `- Look first: \`tree\` the folder and read \`index.md\` to see which notes exist.
- One topic per file, as markdown named in lowercase-with-dashes (\`user-preferences.md\`, \`project-build.md\`). Start each note with frontmatter giving \`name\` and a one-line \`description\`, so a tree listing shows what it holds.
- If a note on the topic exists, read it and update it with \`edit\`: add the new facts, and replace statements the new ones supersede rather than keeping both. Create a new note only for a new topic.
- Write facts plainly and self-contained, keeping exact names, values, paths and dates; add the date when a fact may change over time.
- Keep \`index.md\` current: one line per note, \`- [name](file.md) — description\`. Create it if it is missing, and update it whenever you add, rename or re-describe a note.`,
    avoid: `- Write anywhere outside the memory folder.
- Store secrets (passwords, tokens, keys), or chatter and guesses that are not worth recalling.
- Delete or rewrite notes beyond what the new facts require, or duplicate a fact that is already stored.`,
    report: `1. **Saved** — each note created or updated, as \`path\`, with one line on what was added or changed.
2. **Skipped** — anything from the task you did not store, and why (already stored, secret, not a fact). Write "none" if there is none.
3. **Conflicts** — stored facts the new ones contradicted, and which you kept. Write "none" if there are none.`,
  }),
};
