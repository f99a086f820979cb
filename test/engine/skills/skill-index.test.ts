import { describe, expect, it } from 'vitest';
import { SkillRegistry } from '../../../source/engine/skills/registry.js';
import { skillIndex } from '../../../source/engine/skills/skill-index.js';
import { makeSkill } from './fixtures.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('skillIndex', () => {
  it('lists invocable, enabled skills by name', () => {
    const registry = new SkillRegistry(
      [makeSkill('lint'), makeSkill('deploy', { description: 'Ship it.\n  Carefully.' }), makeSkill('hidden', { disableModelInvocation: true }), makeSkill('off'), makeSkill('bare', { description: '' })],
      { disabled: new Set(['off']) },
    );
    expect(skillIndex(registry)).toBe(
      [
        '## Skills',
        '',
        'Skills are instructions for particular tasks. When a task matches a skill below, load it with the `skill` tool first and follow it.',
        '',
        '- bare',
        '- deploy: Ship it. Carefully.',
        '- lint: about lint',
      ].join('\n'),
    );
  });

  it('is empty without invocable skills or with a zero budget', () => {
    expect(skillIndex(new SkillRegistry([]))).toBe('');
    expect(skillIndex(new SkillRegistry([makeSkill('x', { disableModelInvocation: true })]))).toBe('');
    expect(skillIndex(new SkillRegistry([makeSkill('x')]), 0)).toBe('');
  });

  it('cuts to the byte budget and says how many were left out', () => {
    const skills = Array.from({ length: 100 }, (_, i) => makeSkill(`skill-${String(i).padStart(3, '0')}`, { description: 'x'.repeat(60) }));
    const registry = new SkillRegistry(skills);
    const index = skillIndex(registry, 1024);
    expect(bytes(index)).toBeLessThanOrEqual(1024);
    const lines = index.split('\n');
    const listed = lines.filter((l) => l.startsWith('- skill-'));
    expect(listed.length).toBeGreaterThan(5);
    expect(listed[0]).toBe(`- skill-000: ${'x'.repeat(60)}`);
    expect(lines.at(-1)).toBe(`- (${100 - listed.length} more skills are left out of this list for space; \`info\` lists every skill and \`skill\` loads one by name.)`);
    // As many as fit: one more listed line would have broken the budget.
    const next = `- skill-${String(listed.length).padStart(3, '0')}: ${'x'.repeat(60)}`;
    expect(bytes(index) + bytes(next) + 1).toBeGreaterThan(1024);
    expect(skillIndex(registry, 1024)).toBe(index);
  });

  it('counts bytes, not characters, for unicode descriptions', () => {
    const skills = Array.from({ length: 20 }, (_, i) => makeSkill(`技能${i}`, { description: '日本語の説明です。'.repeat(4) }));
    const index = skillIndex(new SkillRegistry(skills), 600);
    expect(bytes(index)).toBeLessThanOrEqual(600);
    expect(index).toMatch(/more skills are left out/);
    // The next line would still fit if characters were counted, but not in bytes.
    const listed = index.split('\n').filter((l) => l.startsWith('- 技能')).length;
    const next = `- 技能${listed}: ${'日本語の説明です。'.repeat(4)}`;
    expect(index.length + next.length + 1).toBeLessThanOrEqual(600);
    expect(bytes(index) + bytes(next) + 1).toBeGreaterThan(600);
  });

  it('says "1 more skill is" for a single one left out', () => {
    const skills = [makeSkill('a', { description: 'short' }), makeSkill('b', { description: 'y'.repeat(200) })];
    const registry = new SkillRegistry(skills);
    const full = skillIndex(registry, 10_000);
    const cut = skillIndex(registry, bytes(full) - 1);
    expect(cut.split('\n').at(-1)).toMatch(/^- \(1 more skill is left out/);
    expect(cut).toContain('- a: short');
  });

  it('shortens a very long description', () => {
    const index = skillIndex(new SkillRegistry([makeSkill('long', { description: 'word '.repeat(200) })]));
    const line = index.split('\n').at(-1) ?? '';
    expect([...line].length).toBeLessThan(260);
    expect(line.endsWith('…')).toBe(true);
  });
});
