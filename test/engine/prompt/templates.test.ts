/**
 * Creature prompts as Jinja templates, through the real loader and the real
 * build step: variables, includes (the creature's folders, the bundled
 * pack, an installed package), prompt_context_files, and errors that name
 * the file and line where the template is wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledBiomeRoot } from '../../../source/builtins/package-root.js';
import { loadCreature, type CreatureDefinition } from '../../../source/engine/config/loader.js';
import { renderBasePrompt } from '../../../source/engine/creature/knowledge.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { registerBundledPackage } from '../../../source/engine/packages/registry.js';
import { configHome, tempTree } from '../../helpers/temp-tree.js';
import { thrown } from '../../helpers/thrown.js';

const env = configHome();
const TOOLS = [
  { name: 'read', description: 'Read a file.' },
  { name: 'bash', description: 'Run a shell command.' },
];

beforeAll(() => registerBundledPackage('kt-biome', bundledBiomeRoot()));

function render(definition: CreatureDefinition, extra: { cwd?: string; model?: string } = {}): Promise<string> {
  return renderBasePrompt({ definition, tools: TOOLS, cwd: extra.cwd ?? '/work/here', ...(extra.model ? { model: extra.model } : {}) });
}

async function renderError(definition: CreatureDefinition): Promise<ConfigError> {
  const error = await render(definition).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('prompt variables', () => {
  it('renders agent_name, tools, pwd and model; undefined variables render empty', async () => {
    const root = tempTree({
      'c/config.yaml': 'name: scout\nsystem_prompt_file: prompts/system.md\n',
      'c/prompts/system.md': [
        'I am {{ agent_name }} in {{ pwd }} running {{ model }}.',
        '{% for t in tools %}- {{ t.name }}: {{ t.description }}',
        '{% endfor %}[{{ nothing }}][{{ nothing.deeper }}]',
      ].join('\n'),
    });
    const text = await render(loadCreature(join(root, 'c'), { env }), { model: 'openai/gpt-x' });
    expect(text).toBe('I am scout in /work/here running openai/gpt-x.\n- read: Read a file.\n- bash: Run a shell command.\n[][]');
  });

  it('supports conditionals on the tools', async () => {
    const root = tempTree({ 'c/config.yaml': 'system_prompt: "{% if tools %}Tools: {{ tools | length }}{% else %}No tools{% endif %}"\n' });
    const definition = loadCreature(join(root, 'c'), { env });
    expect(await render(definition)).toBe('Tools: 2');
    expect(await renderBasePrompt({ definition, tools: [], cwd: root })).toBe('No tools');
  });

  it('renders the same bytes every time', async () => {
    const root = tempTree({ 'c/config.yaml': 'system_prompt: "{% for t in tools %}{{ loop.index }}={{ t.name }};{% endfor %}"\n' });
    const definition = loadCreature(join(root, 'c'), { env });
    const first = await render(definition);
    expect(await render(definition)).toBe(first);
    expect(first).toBe('1=read;2=bash;');
  });

  it('leaves the bundled creatures byte-identical to their prompt files', async () => {
    const swe = loadCreature('@kt-biome/creatures/swe', { env });
    expect(await render(swe)).toBe(swe.systemPrompt);
    const files = swe.promptFiles.map((f) => readFileSync(f, 'utf8').trim()).join('\n\n');
    expect(swe.systemPrompt).toBe(files);
  });
});

describe('includes', () => {
  it('finds fragments in the prompts/ folder by bare name, with .md, or by path from the creature folder', async () => {
    const root = tempTree({
      'c/config.yaml': 'system_prompt_file: prompts/system.md\n',
      'c/prompts/system.md': 'A {% include "rules" %} B {% include "rules.md" %} C {% include "prompts/rules.md" %}',
      'c/prompts/rules.md': 'rules for {{ agent_name }}',
    });
    expect(await render(loadCreature(join(root, 'c'), { env }))).toBe('A rules for c B rules for c C rules for c');
  });

  it("finds a base creature's fragment, the child's own copy first", async () => {
    const root = tempTree({
      'base/config.yaml': 'name: base\nsystem_prompt: "{% include \\"style\\" %} / {% include \\"shared\\" %}"\n',
      'base/prompts/style.md': 'base style',
      'base/prompts/shared.md': 'base shared',
      'child/config.yaml': 'name: child\nbase_config: ../base\n',
      'child/prompts/style.md': 'child style',
    });
    expect(await render(loadCreature(join(root, 'child'), { env }))).toBe('child style / base shared');
  });

  it("includes the bundled pack's git-safety fragment, by name and as @kt-biome/git-safety", async () => {
    const root = tempTree({ 'c/config.yaml': 'system_prompt: |\n  {% include "git-safety" %}\n  ---\n  {% include "@kt-biome/git-safety" %}\n' });
    const text = await render(loadCreature(join(root, 'c'), { env }));
    const fragment = readFileSync(join(bundledBiomeRoot(), 'prompts', 'git-safety.md'), 'utf8');
    expect(text).toBe(`${fragment.trim()}\n---\n${fragment.trim()}`.trim());
    expect(text).toMatch(/force-push/);
  });

  it("includes an installed package's templates: entry", async () => {
    const home = configHome({
      'packages/house/kohaku.yaml': 'name: house\ntemplates:\n  - name: house-rules\n    path: fragments/rules.md\n',
      'packages/house/fragments/rules.md': 'Be kind to {{ agent_name }}.',
    });
    const root = tempTree({ 'c/config.yaml': 'name: guest\nsystem_prompt: "{% include \\"house-rules\\" %}"\n' });
    expect(await render(loadCreature(join(root, 'c'), { env: home }))).toBe('Be kind to guest.');
  });
});

describe('the README example', () => {
  it('renders as documented', async () => {
    const root = tempTree({
      'reviewer/config.yaml': [
        'name: reviewer',
        'system_prompt_file: prompts/system.md',
        'prompt_context_files:',
        '  conventions: docs/CONVENTIONS.md',
        'framework_hint_overrides:',
        '  framework.output_model: "Tool results arrive in the next message; wait for them."',
        '  framework.execution_model.native: ""',
        '',
      ].join('\n'),
      'reviewer/docs/CONVENTIONS.md': 'Tabs, not spaces.\n',
      'reviewer/prompts/system.md': [
        '{# creatures/reviewer/prompts/system.md #}',
        'You are {{ agent_name }}, reviewing code in {{ pwd }}.',
        '{% if tools %}You can use: {% for t in tools %}{{ t.name }}{% if not loop.last %}, {% endif %}{% endfor %}.{% endif %}',
        '',
        '{% include "git-safety" %}',
        '',
        '## House conventions',
        '{{ conventions }}',
        '',
      ].join('\n'),
    });
    const definition = loadCreature(join(root, 'reviewer'), { env });
    expect(definition.warnings).toEqual([]);
    const text = await render(definition);
    expect(text).toMatch(/^You are reviewer, reviewing code in \/work\/here\.\nYou can use: read, bash\.\n\n# Git safety\n/);
    expect(text).toMatch(/\n\n## House conventions\nTabs, not spaces\.$/);
  });
});

describe('prompt_context_files', () => {
  it("renders each file's text into its variable, paths relative to the config folder", async () => {
    const root = tempTree({
      'c/config.yaml': 'system_prompt: "Notes:\\n{{ notes }}"\nprompt_context_files:\n  notes: context/notes.txt\n',
      'c/context/notes.txt': 'remember {{ this }} literally\n',
    });
    const definition = loadCreature(join(root, 'c'), { env });
    expect(definition.warnings).toEqual([]);
    // The file's text is data: its own braces are not rendered again.
    expect(await render(definition)).toBe('Notes:\nremember {{ this }} literally');
  });

  it('a missing context file is a ConfigError naming the config file, the key and its line', () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\nprompt_context_files:\n  notes: nope.txt\n' });
    const error = thrown(ConfigError, () => loadCreature(join(root, 'c'), { env }));
    expect(error).toMatchObject({ file: join(root, 'c', 'config.yaml'), line: 3, keyPath: ['prompt_context_files', 'notes'] });
    expect(error.message).toContain("prompt context file 'nope.txt'");
  });
});

describe('template errors name the file and the line', () => {
  it('a syntax error in a prompt file', async () => {
    const root = tempTree({
      'c/config.yaml': 'system_prompt_file: prompts/system.md\n',
      'c/prompts/system.md': 'line one\nline two\nbroken {{ agent_name }\n',
    });
    const error = await renderError(loadCreature(join(root, 'c'), { env }));
    const file = join(root, 'c', 'prompts', 'system.md');
    expect(error).toMatchObject({ file, line: 3 });
    expect(error.message).toBe(`${file}:3: prompt template: expected variable end`);
  });

  it('a syntax error in the second file of an inherited chain names that file', async () => {
    const root = tempTree({
      'base/config.yaml': 'system_prompt_file: base.md\n',
      'base/base.md': 'fine {{ agent_name }}',
      'child/config.yaml': 'base_config: ../base\nsystem_prompt_file: child.md\n',
      'child/child.md': '\n\n\n{% if tools %}never closed\n',
    });
    const error = await renderError(loadCreature(join(root, 'child'), { env }));
    expect(error.file).toBe(join(root, 'child', 'child.md'));
    expect(error.line).toBeGreaterThanOrEqual(4);
  });

  it('a missing include names the line of the include', async () => {
    const root = tempTree({
      'c/config.yaml': 'system_prompt_file: prompts/system.md\n',
      'c/prompts/system.md': 'one\ntwo\n{% include "no-such-fragment" %}\n',
    });
    const error = await renderError(loadCreature(join(root, 'c'), { env }));
    const file = join(root, 'c', 'prompts', 'system.md');
    expect(error).toMatchObject({ file, line: 3 });
    expect(error.message).toContain(`${file}:3: prompt template: no prompt fragment named 'no-such-fragment'`);
  });

  it('an error inside a fragment names the fragment file', async () => {
    const root = tempTree({
      'c/config.yaml': 'system_prompt: "{% include \\"bad\\" %}"\n',
      'c/prompts/bad.md': 'ok\n{% endfor %}\n',
    });
    const error = await renderError(loadCreature(join(root, 'c'), { env }));
    expect(error).toMatchObject({ file: join(root, 'c', 'prompts', 'bad.md'), line: 2 });
  });

  it('an error in the inline system_prompt names the config file and the key', async () => {
    const root = tempTree({ 'c/config.yaml': 'name: c\nsystem_prompt: |\n  first\n  {{ oops }\n' });
    const error = await renderError(loadCreature(join(root, 'c'), { env }));
    expect(error).toMatchObject({ file: join(root, 'c', 'config.yaml'), line: 2, keyPath: ['system_prompt'] });
    expect(error.message).toContain("config.yaml:2 key 'system_prompt': prompt template: expected variable end (line 2 of the value)");
  });
});
