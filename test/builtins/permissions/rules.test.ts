/** Permission rules (`bash(git diff:*)`, `edit(src/**)`) and the project's `.kt/settings.json`. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addProjectRules, projectRules, readProjectSettings } from '../../../source/builtins/permissions/project-settings.js';
import { judge, parseRule, suggestRules } from '../../../source/builtins/permissions/rules.js';
import { ConfigError } from '../../../source/engine/errors.js';

const cwd = '/home/me/project';
const bash = (command: string) => ({ tool: 'bash', effect: 'execute' as const, args: { command } });
const edit = (path: string, tool = 'edit') => ({ tool, effect: 'edit' as const, args: { path } });
const rules = (allow: string[], deny: string[] = []) => ({ allow: allow.map((r) => parseRule(r)), deny: deny.map((r) => parseRule(r)) });

describe('permission rules', () => {
  it('a prefix rule covers the command and its arguments, not a longer word or a chain with something else', () => {
    const r = rules(['bash(git status:*)', 'bash(npm test)']);
    expect(judge(r, bash('git status'), cwd)?.verdict).toBe('allow');
    expect(judge(r, bash('git status -s --branch'), cwd)?.verdict).toBe('allow');
    expect(judge(r, bash('git statusx'), cwd)).toBeUndefined();
    expect(judge(r, bash('git status && rm -rf /'), cwd)).toBeUndefined();
    expect(judge(r, bash('git status && npm test'), cwd)?.verdict).toBe('allow');
    expect(judge(r, bash('git status $(rm -rf /)'), cwd)).toBeUndefined();
    expect(judge(r, bash('npm test -- --watch'), cwd)).toBeUndefined(); // exact rule
    expect(judge(r, bash('npm test'), cwd)?.verdict).toBe('allow');
  });

  it('deny wins over allow, and one denied part of a chain is enough', () => {
    const r = rules(['bash', 'edit(**)'], ['bash(rm:*)', 'edit(.env)', 'read(secrets/**)']);
    expect(judge(r, bash('ls && rm -rf build'), cwd)).toMatchObject({ verdict: 'deny', rule: { text: 'bash(rm:*)' } });
    expect(judge(r, bash('ls'), cwd)?.verdict).toBe('allow');
    expect(judge(r, edit('.env', 'write'), cwd)?.verdict).toBe('deny');
    expect(judge(r, { tool: 'read', args: { path: 'secrets/key.pem' } }, cwd)?.verdict).toBe('deny');
  });

  it('edit globs are relative to the project and cover every tool that changes files', () => {
    const r = rules(['edit(src/**)', 'edit(~/notes/*.md)']);
    expect(judge(r, edit('src/ui/app.tsx'), cwd)?.verdict).toBe('allow');
    expect(judge(r, edit(`${cwd}/src/a.ts`, 'multi_edit'), cwd)?.verdict).toBe('allow');
    expect(judge(r, edit('test/a.ts'), cwd)).toBeUndefined();
    expect(judge(r, edit('../other/src/a.ts'), cwd)).toBeUndefined();
    expect(judge(r, edit(join(process.env.HOME ?? '/root', 'notes/today.md'), 'write'), cwd)?.verdict).toBe('allow');
  });

  it('suggests narrow rules: a command prefix, a folder, the tool otherwise; none for hidden commands', () => {
    expect(suggestRules(bash('git status -s'), cwd)).toEqual(['bash(git status:*)']);
    expect(suggestRules(bash('ls -la src'), cwd)).toEqual(['bash(ls:*)']);
    expect(suggestRules(bash('npm run build && npm test'), cwd)).toEqual(['bash(npm run:*)', 'bash(npm test:*)']);
    expect(suggestRules(bash('echo $(whoami)'), cwd)).toEqual([]);
    expect(suggestRules(edit('src/ui/app.tsx'), cwd)).toEqual(['edit(src/ui/**)']);
    expect(suggestRules(edit('README.md'), cwd)).toEqual(['edit(README.md)']);
    expect(suggestRules({ tool: 'mcp__gh__create_issue', effect: 'execute', args: { title: 'x' } }, cwd)).toEqual(['mcp__gh__create_issue']);
    // What is suggested covers the call it came from.
    for (const call of [bash('git status -s'), bash('npm run build && npm test'), edit('src/ui/app.tsx'), edit('README.md')]) {
      expect(judge(rules(suggestRules(call, cwd)), call, cwd)?.verdict).toBe('allow');
    }
  });

  it('a malformed rule is a ConfigError that names it', () => {
    expect(() => parseRule('bash(')).toThrow(ConfigError);
    expect(() => parseRule('bash()')).toThrow(/'bash\(\)' is not a permission rule/);
  });
});

describe('.kt/settings.json', () => {
  it('adds rules once, keeps keys it does not know, and reads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-settings-'));
    expect(readProjectSettings(dir)).toEqual({});
    mkdirSync(join(dir, '.kt'));
    writeFileSync(join(dir, '.kt', 'settings.json'), JSON.stringify({ theme: 'dark', permissions: { deny: ['bash(rm:*)'] } }));
    const file = addProjectRules(dir, 'allow', ['bash(git status:*)']);
    addProjectRules(dir, 'allow', ['bash(git status:*)', 'edit(src/**)']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ theme: 'dark', permissions: { allow: ['bash(git status:*)', 'edit(src/**)'], deny: ['bash(rm:*)'] } });
    expect(projectRules(dir).allow.map((r) => r.text)).toEqual(['bash(git status:*)', 'edit(src/**)']);
  });

  it('bad JSON or a bad rule is a ConfigError naming the file and key, and the file is left alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-settings-'));
    mkdirSync(join(dir, '.kt'));
    const file = join(dir, '.kt', 'settings.json');
    writeFileSync(file, '{ "permissions": ');
    expect(() => projectRules(dir)).toThrow(new RegExp(`${file}.*not valid JSON`));
    expect(() => addProjectRules(dir, 'allow', ['bash(ls:*)'])).toThrow(ConfigError);
    expect(readFileSync(file, 'utf8')).toBe('{ "permissions": ');
    writeFileSync(file, JSON.stringify({ permissions: { allow: ['bash(ls:*)', 'oops('] } }));
    const error = (() => {
      try {
        projectRules(dir);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.keyPath).toEqual(['permissions', 'allow', 1]);
    expect(error?.message).toContain(file);
  });
});
