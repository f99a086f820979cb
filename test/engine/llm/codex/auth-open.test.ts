/**
 * Choosing whether and how to open the browser link (no browser is ever
 * launched here: only the decisions are checked).
 */
import { describe, expect, it } from 'vitest';
import { browserCommand, isHeadless } from '../../../../source/engine/llm/codex/auth-open.js';

describe('browser opening', () => {
  it('treats CI, SSH and display-less Linux as headless', () => {
    expect(isHeadless({ CI: '1' }, 'darwin')).toBe(true);
    expect(isHeadless({ SSH_CONNECTION: '1 2 3 4' }, 'linux')).toBe(true);
    expect(isHeadless({}, 'linux')).toBe(true);
    expect(isHeadless({ DISPLAY: ':0' }, 'linux')).toBe(false);
    expect(isHeadless({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(false);
    expect(isHeadless({}, 'darwin')).toBe(false);
  });

  it('prefers $BROWSER, substituting %s', () => {
    expect(browserCommand('https://x/?a=1&b=2', { BROWSER: 'firefox --new-tab' }, 'linux')).toEqual(['firefox', ['--new-tab', 'https://x/?a=1&b=2']]);
    expect(browserCommand('https://x', { BROWSER: 'w3m %s' }, 'linux')).toEqual(['w3m', ['https://x']]);
  });

  it('uses the platform opener, without a shell', () => {
    expect(browserCommand('https://x', {}, 'darwin')).toEqual(['open', ['https://x']]);
    expect(browserCommand('https://x?a&b', {}, 'win32')).toEqual(['rundll32', ['url.dll,FileProtocolHandler', 'https://x?a&b']]);
    expect(browserCommand('https://x', { PATH: '/nonexistent' }, 'linux')).toBeUndefined();
  });
});
