import { describe, expect, it } from 'vitest';
import { isSkillName, SKILL_NAME } from '../../../source/engine/skills/skill.js';

describe('isSkillName', () => {
  // The ASCII fast path must agree with SKILL_NAME on every name, ASCII or not.
  const names = [
    'code-review', 'a', 'A1', '9lives', 'x.y_z:w-v', 'レビュー', 'ärger', 'Zeta', 'é', 'a\u0301',
    '', '-lead', '.hidden', '_x', ':x', 'two words', 'a/b', 'a\\b', 'tab\tname', 'emoji🔍', 'ok!', 'ümlaut-ok',
    'a'.repeat(128), 'a'.repeat(129), `é${'a'.repeat(127)}`, `é${'a'.repeat(128)}`,
  ];
  it.each(names)('%j as SKILL_NAME says', (name) => {
    expect(isSkillName(name)).toBe(SKILL_NAME.test(name));
  });
});
