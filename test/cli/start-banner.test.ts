/**
 * The start banner of an interactive run: one line naming creature, model,
 * folder, approval mode and session, never wider than the terminal.
 */
import { describe, expect, it } from 'vitest';
import { startBannerData } from '../../source/cli/start-banner.js';
import { bannerText } from '../../source/ui/components/start-banner.js';

describe('start banner', () => {
  const agent = { name: 'swe', model: 'openai/gpt-5.4', cwd: '/home/ana/projects/kt', sessionPath: '/home/ana/.kohakuterrarium/sessions/swe_20260101-120000_abcd.kohakutr' };

  it('gathers the facts, with ~ for the home folder and the session by name', () => {
    expect(startBannerData(agent, 'auto-edit', '/home/ana')).toEqual({
      creature: 'swe',
      model: 'openai/gpt-5.4',
      cwd: '~/projects/kt',
      approvalMode: 'auto-edit',
      session: 'swe_20260101-120000_abcd',
    });
    expect(startBannerData({ ...agent, sessionPath: undefined, cwd: '/srv' }, 'default', '/home/ana')).toMatchObject({ cwd: '/srv', session: undefined });
  });

  it('is one line that fits: the folder gives way first', () => {
    const data = startBannerData(agent, 'default', '/home/ana');
    expect(bannerText(data, 120)).toBe('swe · openai/gpt-5.4 · ~/projects/kt · approvals: default · session swe_20260101-120000_abcd');
    const narrow = bannerText({ ...data, cwd: '/a/very/long/path/that/goes/on/and/on/forever' }, 100);
    expect(narrow.length).toBeLessThanOrEqual(100);
    expect(narrow).toMatch(/ · …\S*forever · approvals: default · session swe_/);
    expect(bannerText(data, 30).length).toBeLessThanOrEqual(30);
    expect(bannerText({ ...data, session: undefined }, 120)).toMatch(/ · no session$/);
  });
});
