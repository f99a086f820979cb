import { describe, expect, it } from 'vitest';
import { FrontmatterError, parseFrontmatter } from '../../../source/engine/skills/frontmatter.js';
import { parseSkill, splitToolList } from '../../../source/engine/skills/load.js';

function errorOf(text: string): FrontmatterError {
  try {
    parseFrontmatter(text);
  } catch (error) {
    if (error instanceof FrontmatterError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('parseFrontmatter', () => {
  it('splits at the first two --- lines and parses the YAML between', () => {
    const front = parseFrontmatter('---\nname: a\ndescription: b\n---\n\n# Body\n\n---\nmore\n');
    expect(front.present).toBe(true);
    expect(front.data).toEqual({ name: 'a', description: 'b' });
    expect(front.keyLines).toEqual({ name: 2, description: 3 });
    // A later `---` (a markdown rule) stays in the body.
    expect(front.body).toBe('# Body\n\n---\nmore');
  });

  it('needs --- on the very first line; otherwise everything is body', () => {
    expect(parseFrontmatter('\n---\nname: a\n---\nx')).toMatchObject({ present: false, data: {} });
    expect(parseFrontmatter('--- \nname: a\n---\nx').present).toBe(true);
    expect(parseFrontmatter('----\nname: a\n---\nx').present).toBe(false);
    expect(parseFrontmatter('just text').body).toBe('just text');
  });

  it('accepts CRLF files, a byte-order mark and an empty block', () => {
    expect(parseFrontmatter('\uFEFF---\r\nname: a\r\n---\r\nbody\r\n').data).toEqual({ name: 'a' });
    expect(parseFrontmatter('---\n---\nbody')).toMatchObject({ present: true, data: {}, body: 'body' });
  });

  it('reports an unclosed block at line 1', () => {
    const error = errorOf('---\nname: a\nbody');
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/never closed/);
  });

  it('reports YAML errors at their line in the file', () => {
    const error = errorOf('---\nname: a\ndescription: [unclosed\n---\nbody');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/invalid YAML/);
    expect(errorOf('---\nname: a\nname: b\n---\n').line).toBe(3);
  });

  it('rejects frontmatter that is not a mapping', () => {
    const error = errorOf('---\n\n- a\n- b\n---\n');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/mapping/);
  });
});

describe('parseSkill', () => {
  const where = { file: '/s/pdf/SKILL.md', form: 'folder' as const, scope: 'project' as const };

  it('reads every field, with the folder name as the default name', () => {
    const text = [
      '---',
      'description: Merge PDF files',
      'license: MIT',
      'paths: ["*.pdf", "docs/**"]',
      'allowed-tools: Bash(qpdf:*), Read',
      'disable-model-invocation: true',
      'extra: ignored',
      '---',
      'Use qpdf.',
    ].join('\n');
    const result = parseSkill(text, where);
    expect(result).toHaveProperty('skill');
    if (!('skill' in result)) return;
    expect(result.skill).toMatchObject({
      name: 'pdf',
      description: 'Merge PDF files',
      license: 'MIT',
      paths: ['*.pdf', 'docs/**'],
      allowedTools: ['Bash(qpdf:*)', 'Read'],
      disableModelInvocation: true,
      body: 'Use qpdf.',
      dir: '/s/pdf',
      form: 'folder',
    });
  });

  it('takes a single glob whole, commas and all', () => {
    const result = parseSkill('---\npaths: "*.{ts,js}"\n---\n', where);
    expect('skill' in result && result.skill.paths).toEqual(['*.{ts,js}']);
  });

  it('names the line of a field with the wrong type', () => {
    const result = parseSkill('---\nname: ok\ndisable-model-invocation: "yes"\n---\n', where);
    expect(result).toEqual({ warning: { file: '/s/pdf/SKILL.md', line: 3, message: expect.stringMatching(/must be true or false; skill skipped/) } });
    expect(parseSkill('---\npaths: {a: 1}\n---\n', where)).toMatchObject({ warning: { line: 2 } });
  });

  it('refuses names with spaces or slashes, accepts other scripts', () => {
    expect(parseSkill('---\nname: two words\n---\n', where)).toMatchObject({ warning: { line: 2 } });
    expect(parseSkill('---\nname: a/b\n---\n', where)).toHaveProperty('warning');
    const result = parseSkill('---\nname: 日本語-レビュー\ndescription: コードを確認する\n---\n', where);
    expect('skill' in result && result.skill.name).toBe('日本語-レビュー');
  });

  it('keeps a SKILL.md without frontmatter but ignores a flat file without one', () => {
    expect(parseSkill('Just steps.', where)).toMatchObject({ skill: { name: 'pdf', description: '', body: 'Just steps.' } });
    expect(parseSkill('# Notes', { ...where, file: '/s/README.md', form: 'flat' })).toEqual({ ignored: true });
  });
});

describe('splitToolList', () => {
  it('splits on commas and spaces outside parentheses', () => {
    expect(splitToolList('Read, Grep Glob')).toEqual(['Read', 'Grep', 'Glob']);
    expect(splitToolList('Bash(git add:*) Bash(git commit:*),Read')).toEqual(['Bash(git add:*)', 'Bash(git commit:*)', 'Read']);
  });
});
