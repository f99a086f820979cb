/**
 * The system prompt, assembled from its parts in one fixed order:
 *
 *   1. base prompt (the creature's own)
 *   2. `## Tools` (index or full docs)
 *   3. `## Tool guidance`
 *   4. `## Skills` (from `skillIndex`)
 *   5. framework hints (the tool-call format's notes)
 *   6. `## Named outputs` (where `[/output_<name>]` blocks go)
 *   7. `## Environment`
 *   8. `## Project instructions` (from `loadProjectInstructions`)
 *
 * The function is pure: the same parts give the same bytes, so the prompt
 * is a stable prefix that provider prompt caches can reuse. What changes
 * most often (the date, the project's files) sits at the end. Empty
 * sections are left out; line endings become `\n`, trailing spaces are
 * removed from every line, and sections are separated by one blank line.
 */
import { environmentSection, type PromptEnvironment } from './environment.js';
import { guidanceSection, orderTools, type PromptTool, type ToolDocMode, type ToolGuidance, toolsSection } from './tools-section.js';

export interface SystemPromptParts {
  /** The creature's prompt (already rendered). */
  base: string;
  /** The creature's tools; see `toolOrder`. */
  tools?: Iterable<PromptTool> | ReadonlyMap<string, PromptTool>;
  /** The creature's tool order (names as in its config). Unlisted tools follow by name. */
  toolOrder?: readonly string[];
  toolGuidance?: readonly ToolGuidance[];
  /** The `## Skills` section (`skillIndex`). */
  skills?: string;
  /** Framework hints for the active tool-call format. */
  hints?: string;
  /** The `## Named outputs` section (`namedOutputsSection`). */
  outputs?: string;
  environment?: PromptEnvironment;
  /** The `## Project instructions` section (`loadProjectInstructions(...).text`). */
  projectInstructions?: string;
}

export interface SystemPromptOptions {
  /** Include the `## Tools` section (`include_tools_in_prompt`). Default true. */
  includeTools?: boolean;
  /** Include the framework hints (`include_hints_in_prompt`). Default true. */
  includeHints?: boolean;
  /** `skill_mode`: a tool index (default) or every tool's full doc. */
  skillMode?: ToolDocMode;
}

export type SystemPromptSectionKind = 'base' | 'tools' | 'guidance' | 'skills' | 'hints' | 'outputs' | 'environment' | 'project';

export interface SystemPromptSection {
  kind: SystemPromptSectionKind;
  text: string;
}

/** `\n` line endings, no trailing spaces on any line, no blank lines at either end. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** The non-empty sections, in prompt order (for inspection and tests). */
export function systemPromptSections(parts: SystemPromptParts, options: SystemPromptOptions = {}): SystemPromptSection[] {
  const includeTools = options.includeTools ?? true;
  const includeHints = options.includeHints ?? true;
  const candidates: SystemPromptSection[] = [
    { kind: 'base', text: parts.base },
    { kind: 'tools', text: includeTools && parts.tools ? toolsSection(orderTools(parts.tools, parts.toolOrder), options.skillMode ?? 'dynamic') : '' },
    { kind: 'guidance', text: guidanceSection(parts.toolGuidance ?? []) },
    { kind: 'skills', text: parts.skills ?? '' },
    { kind: 'hints', text: includeHints ? (parts.hints ?? '') : '' },
    { kind: 'outputs', text: parts.outputs ?? '' },
    { kind: 'environment', text: parts.environment ? environmentSection(parts.environment) : '' },
    { kind: 'project', text: parts.projectInstructions ?? '' },
  ];
  return candidates.map((s) => ({ kind: s.kind, text: tidy(s.text) })).filter((s) => s.text.length > 0);
}

/** The whole system prompt. */
export function buildSystemPrompt(parts: SystemPromptParts, options: SystemPromptOptions = {}): string {
  return systemPromptSections(parts, options)
    .map((s) => s.text)
    .join('\n\n');
}
