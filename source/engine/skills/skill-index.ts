/**
 * The `## Skills` section of the system prompt: one line per skill the model
 * may invoke, cut to a byte budget so a large skill collection cannot crowd
 * out the conversation.
 */
import type { SkillRegistry } from './registry.js';
import { oneLine } from './skill.js';

/** The default of `skill_index_budget_bytes`. */
export const DEFAULT_SKILL_INDEX_BUDGET = 4096;

/** A description longer than this is shortened in the index; `skill` shows it all. */
const DESCRIPTION_CHARS = 240;

const HEADER = [
  '## Skills',
  '',
  'Skills are instructions for particular tasks. When a task matches a skill below, load it with the `skill` tool first and follow it.',
  '',
].join('\n');

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function leftOutLine(count: number): string {
  return `- (${count} more ${count === 1 ? 'skill is' : 'skills are'} left out of this list for space; \`info\` lists every skill and \`skill\` loads one by name.)`;
}

/**
 * The section, or '' when no skill is invocable or the budget is 0. Skills
 * appear by name; when they do not all fit in `budgetBytes` (UTF-8, whole
 * section), the list stops at the first that does not fit and a last line
 * says how many were left out. The header and that line are always kept,
 * even when a tiny budget cannot hold them.
 */
export function skillIndex(registry: SkillRegistry, budgetBytes = DEFAULT_SKILL_INDEX_BUDGET): string {
  const skills = registry.invocable();
  if (skills.length === 0 || budgetBytes <= 0) return '';
  const lines = skills.map((skill) => {
    const description = oneLine(skill.description, DESCRIPTION_CHARS);
    return description ? `- ${skill.name}: ${description}` : `- ${skill.name}`;
  });
  const whole = [HEADER, ...lines].join('\n');
  if (bytes(whole) <= budgetBytes) return whole;

  let used = bytes(HEADER);
  let kept = 0;
  for (const line of lines) {
    // +1 for each newline; the closing line must still fit after this one.
    const after = used + 1 + bytes(line) + 1 + bytes(leftOutLine(lines.length - kept - 1));
    if (after > budgetBytes) break;
    used += 1 + bytes(line);
    kept++;
  }
  return [HEADER, ...lines.slice(0, kept), leftOutLine(lines.length - kept)].join('\n');
}
