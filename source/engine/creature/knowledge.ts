/**
 * What a creature knows about itself when it is built: its skills (found on
 * disk), its system prompt (assembled in the fixed order of
 * `engine/prompt`), and the documentation `info` serves for each tool,
 * sub-agent and skill.
 */
import type { CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import type { PackageIndex } from '../packages/registry.js';
import type { ToolSpec } from '../llm/provider.js';
import { contentArgFor } from '../parsing/content-arg.js';
import type { ToolCallFormat } from '../parsing/format.js';
import { frameworkHintParts, nativeHints } from '../parsing/hints.js';
import { buildSystemPrompt } from '../prompt/build.js';
import { namedOutputsSection } from '../io/prompt-section.js';
import { currentEnvironment } from '../prompt/environment.js';
import { fragmentLookup } from '../prompt/fragments.js';
import { composeHints, type HintBlock } from '../prompt/hint-blocks.js';
import { loadProjectInstructions } from '../prompt/project-instructions.js';
import { packageSkillDirs } from '../package-modules/skills.js';
import { renderPrompt } from '../prompt/template.js';
import type { PromptTool } from '../prompt/tools-section.js';
import { matchingSkills } from '../skills/activation.js';
import { discoverSkills } from '../skills/discover.js';
import { SkillRegistry } from '../skills/registry.js';
import { formatSkillWarning } from '../skills/skill.js';
import { skillIndex } from '../skills/skill-index.js';

export const DEFAULT_SKILL_INDEX_BYTES = 4096;

export interface CreatureSkills {
  registry: SkillRegistry;
  /** Skill files that could not be read, as one line each. */
  warnings: string[];
}

/**
 * The skills this creature can use. Skills from the user's and the
 * project's folders and the creature's own are on; skills that come with
 * packages are on only when the config's `skills` names them (or is `*`).
 */
export async function creatureSkills(definition: CreatureDefinition, cwd: string, env: Env, packages?: PackageIndex): Promise<CreatureSkills> {
  const found = await discoverSkills({ cwd, creatureFolder: definition.folder, env, packageSkillDirs: packageSkillDirs(env, packages) });
  const wanted = new Set(definition.skills);
  const registry = new SkillRegistry(found.skills, {
    defaultEnabled: (skill) => skill.scope !== 'package' || wanted.has('*') || wanted.has(skill.name),
  });
  return { registry, warnings: found.warnings.map(formatSkillWarning) };
}

export interface PromptInputs {
  definition: CreatureDefinition;
  /** A replacement for the config's base prompt (rendered as a template like it). */
  base?: string;
  /** The model's id, for templates (`{{ model }}`). */
  model?: string;
  /** The tools and sub-agents the model can call, in the creature's order. */
  tools: readonly PromptTool[];
  skills: SkillRegistry;
  cwd: string;
  /** How to call tools in the creature's tool-call format. */
  hints?: string;
  /** Read AGENTS.md / CLAUDE.md from the working tree (default true). */
  projectInstructions?: boolean;
}

/** The system prompt. Deterministic for a given folder, day and set of files, so provider caches keep hitting. */
export async function assembleSystemPrompt(inputs: PromptInputs): Promise<string> {
  const { definition, cwd } = inputs;
  const controller = definition.controller;
  const index = skillIndex(inputs.skills, definition.skillIndexBudget ?? DEFAULT_SKILL_INDEX_BYTES);
  // Skills whose `paths` match files here get a hint; computed once per build so the prompt stays stable.
  const context = (await matchingSkills(inputs.skills, cwd)).hint;
  const project = inputs.projectInstructions === false ? undefined : (await loadProjectInstructions(cwd)).text;
  return buildSystemPrompt(
    {
      base: await renderBasePrompt(inputs),
      tools: inputs.tools,
      skills: [index, context].filter(Boolean).join('\n\n'),
      ...(inputs.hints ? { hints: inputs.hints } : {}),
      outputs: namedOutputsSection(Object.fromEntries(Object.entries(definition.output?.named ?? {}).map(([name, entry]) => [name, entry.kind]))),
      environment: currentEnvironment(cwd),
      ...(project ? { projectInstructions: project } : {}),
    },
    {
      includeTools: controller.include_tools_in_prompt ?? true,
      includeHints: controller.include_hints_in_prompt ?? true,
      skillMode: controller.skill_mode ?? 'dynamic',
    },
  );
}

/**
 * The base prompt, rendered: each prompt file and the inline prompt as a
 * template of its own (plain text passes through untouched), joined as the
 * loader joins them. A caller's replacement is one template.
 */
export async function renderBasePrompt(inputs: Pick<PromptInputs, 'definition' | 'base' | 'model' | 'tools' | 'cwd'>): Promise<string> {
  const { definition } = inputs;
  const sources = inputs.base !== undefined ? [{ text: inputs.base, file: '<system prompt given to the build>' }] : definition.promptSources;
  if (!sources.length) return definition.systemPrompt;
  const variables = {
    agent_name: definition.name,
    // Absent rather than empty when there are none: an empty list is true in nunjucks, and `{% if tools %}` must read as in Jinja.
    ...(inputs.tools.length ? { tools: inputs.tools.map((t) => ({ name: t.name, description: t.description })) } : {}),
    pwd: inputs.cwd,
    ...(inputs.model ? { model: inputs.model } : {}),
    // The author's own variables win over the framework's of the same name.
    ...definition.promptContext,
  };
  const fragments = fragmentLookup(definition.promptIncludes);
  const rendered: string[] = [];
  for (const source of sources) rendered.push((await renderPrompt(source, variables, fragments)).trim());
  return rendered.filter(Boolean).join('\n\n');
}

export interface HintOptions {
  /** `skill_mode`: which execution-model block a text format uses. */
  skillMode?: 'dynamic' | 'static';
  /** `framework_hint_overrides`: block key → text ('' drops the block). */
  overrides?: Readonly<Record<string, string>>;
}

/** The prompt section that teaches the model how to call tools in the creature's format. */
export function formatHints(format: ToolCallFormat | undefined, executor: { specs(): readonly ToolSpec[] }, options: HintOptions = {}): string {
  const tools = executor.specs();
  if (!tools.length) return '';
  let blocks: HintBlock[];
  if (!format) {
    blocks = [
      { key: 'framework.execution_model.native', text: nativeHints() },
      { key: 'framework.output_model', text: '' },
    ];
  } else {
    const bodyArgs = Object.fromEntries(tools.map((t) => [t.name, contentArgFor(t.name, t.parameters)]));
    const parts = frameworkHintParts(format, { toolNames: tools.map((t) => t.name), bodyArgs });
    blocks = [
      { key: options.skillMode === 'static' ? 'framework.execution_model.static' : 'framework.execution_model.dynamic', text: parts.execution },
      { key: 'framework.output_model', text: parts.output },
    ];
  }
  return composeHints(blocks, options.overrides);
}

/** `info`'s lookup: a tool's or sub-agent's full doc, else a skill's instructions. */
export function describer(tools: readonly PromptTool[], skills: SkillRegistry): { describe(name: string): string | undefined; describable(): string[] } {
  const byName = new Map(tools.map((t) => [t.name, t]));
  return {
    describe(name) {
      const tool = byName.get(name);
      if (tool) return `# ${tool.name}\n\n${tool.doc ?? tool.description}`;
      return skills.isEnabled(name) ? skills.view().body(name) : undefined;
    },
    describable: () => [...byName.keys(), ...skills.enabled().map((s) => s.name)],
  };
}
