import { describe, expect, it } from 'vitest';
import { buildSystemPrompt, type SystemPromptParts, systemPromptSections, tidy } from '../../../source/engine/prompt/build.js';
import { currentEnvironment, environmentSection } from '../../../source/engine/prompt/environment.js';
import { orderTools, type PromptTool } from '../../../source/engine/prompt/tools-section.js';

const read: PromptTool = { name: 'read', description: 'Read a file.\nLong explanation.', doc: 'Read a file from disk.\n\n- `path`: the file.' };
const bash: PromptTool = { name: 'bash', description: 'Run a shell command.' };
const info: PromptTool = { name: 'info', description: 'Show the full documentation of a tool.', doc: 'info doc' };

const environment = { cwd: '/home/me/project', platform: 'linux', date: '2026-03-14' };

function fullParts(): SystemPromptParts {
  return {
    base: 'You are a careful assistant.',
    tools: [read, bash, info],
    toolGuidance: [
      { tool: 'read', text: 'Read before you edit.', bucket: 'last' },
      { tool: 'bash', text: 'Prefer short commands.' },
      { tool: 'write', text: 'Never overwrite without reading.', bucket: 'first' },
      { tool: 'agrep', text: 'Search narrowly.' },
    ],
    skills: '## Skills\n\n- pdf-merge: Merge PDFs',
    hints: '## Calling tools\n\nUse native function calls.',
    environment,
    projectInstructions: '## Project instructions\n\n### AGENTS.md\n\nRun the tests.',
  };
}

describe('buildSystemPrompt', () => {
  it('puts every section in its fixed order', () => {
    expect(buildSystemPrompt(fullParts())).toBe(
      [
        'You are a careful assistant.',
        '## Tools\n\n- read: Read a file.\n- bash: Run a shell command.\n- info: Show the full documentation of a tool.\n\nCall `info` with a tool name to read its full documentation before first using it.',
        '## Tool guidance',
        'Never overwrite without reading.',
        'Search narrowly.',
        'Prefer short commands.',
        'Read before you edit.',
        '## Skills\n\n- pdf-merge: Merge PDFs',
        '## Calling tools\n\nUse native function calls.',
        '## Environment\n\n- Working directory: /home/me/project\n- Platform: linux\n- Date: 2026-03-14',
        '## Project instructions\n\n### AGENTS.md\n\nRun the tests.',
      ].join('\n\n'),
    );
    expect(systemPromptSections(fullParts()).map((s) => s.kind)).toEqual(['base', 'tools', 'guidance', 'skills', 'hints', 'environment', 'project']);
  });

  it('leaves out empty sections', () => {
    expect(buildSystemPrompt({ base: 'Base.' })).toBe('Base.');
    const parts: SystemPromptParts = {
      base: '  \n',
      tools: [],
      toolGuidance: [{ tool: 'x', text: '   ' }],
      skills: '',
      hints: '\n\n',
      environment,
      projectInstructions: '',
    };
    expect(systemPromptSections(parts).map((s) => s.kind)).toEqual(['environment']);
    expect(buildSystemPrompt(parts)).toBe(environmentSection(environment));
  });

  it('drops the tool list and the hints when asked, keeping tool guidance', () => {
    const kinds = systemPromptSections(fullParts(), { includeTools: false, includeHints: false }).map((s) => s.kind);
    expect(kinds).toEqual(['base', 'guidance', 'skills', 'environment', 'project']);
  });

  it('static mode inlines each full doc, falling back to the description', () => {
    const prompt = buildSystemPrompt({ base: 'B', tools: [read, bash] }, { skillMode: 'static' });
    expect(prompt).toBe('B\n\n## Tools\n\n### read\n\nRead a file from disk.\n\n- `path`: the file.\n\n### bash\n\nRun a shell command.');
  });

  it('mentions info only when the creature has it', () => {
    expect(buildSystemPrompt({ base: 'B', tools: [bash] })).toBe('B\n\n## Tools\n\n- bash: Run a shell command.');
  });

  it('gives byte-identical output for identical input', () => {
    expect(buildSystemPrompt(fullParts())).toBe(buildSystemPrompt(fullParts()));
    expect(buildSystemPrompt(fullParts(), { skillMode: 'static' })).toBe(buildSystemPrompt(fullParts(), { skillMode: 'static' }));
  });

  it('orders tools by the creature order, not by Map insertion order', () => {
    const one = new Map([read, bash, info].map((t) => [t.name, t]));
    const two = new Map([info, bash, read].map((t) => [t.name, t]));
    const order = ['bash', 'read', 'info'];
    const a = buildSystemPrompt({ base: 'B', tools: one, toolOrder: order });
    expect(a).toBe(buildSystemPrompt({ base: 'B', tools: two, toolOrder: order }));
    expect(a).toContain('- bash: Run a shell command.\n- read: Read a file.\n- info:');
    // Without an order, a Map is listed by name whatever its insertion order.
    expect(buildSystemPrompt({ base: 'B', tools: one })).toBe(buildSystemPrompt({ base: 'B', tools: two }));
    expect(buildSystemPrompt({ base: 'B', tools: one })).toContain('- bash: Run a shell command.\n- info: Show the full documentation of a tool.\n- read:');
  });

  it('ignores line-ending and trailing-space differences', () => {
    const messy: SystemPromptParts = {
      ...fullParts(),
      base: '\r\nYou are a careful assistant.   \r\n\r\n',
      hints: '## Calling tools  \r\n\r\nUse native function calls.\t\n',
    };
    expect(buildSystemPrompt(messy)).toBe(buildSystemPrompt(fullParts()));
    expect(buildSystemPrompt(messy)).not.toMatch(/[ \t]$|\r/m);
  });

  it('orders guidance by bucket, then tool, then text, whatever the input order', () => {
    const guidance = fullParts().toolGuidance ?? [];
    const reversed = { ...fullParts(), toolGuidance: [...guidance].reverse() };
    expect(buildSystemPrompt(reversed)).toBe(buildSystemPrompt(fullParts()));
  });
});

describe('orderTools', () => {
  it('keeps an array in its order, listed names first, others by name, no duplicates', () => {
    const names = (tools: PromptTool[]) => tools.map((t) => t.name);
    expect(names(orderTools([read, bash, info]))).toEqual(['read', 'bash', 'info']);
    expect(names(orderTools([read, bash, info], ['info', 'missing']))).toEqual(['info', 'bash', 'read']);
    expect(names(orderTools([read, { ...read, description: 'second' }]))).toEqual(['read']);
  });
});

describe('environment', () => {
  it('uses the local date and the given platform', () => {
    expect(currentEnvironment('/x', new Date(2026, 0, 5, 23, 59), 'darwin')).toEqual({ cwd: '/x', platform: 'darwin', date: '2026-01-05' });
    expect(currentEnvironment('/x').platform).toBe(process.platform);
  });
});

describe('tidy', () => {
  it('normalises line endings and trims line ends and outer blank lines only', () => {
    expect(tidy('\n\n  a  \r\n\r\n  b\rc \n\n')).toBe('  a\n\n  b\nc');
  });
});
