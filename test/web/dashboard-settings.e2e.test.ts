/**
 * The dashboard's settings in a real browser against the real server: MCP
 * servers (add one with a secret env value, see it masked, test it and see
 * its tools, delete it) and a chat's plugins panel (list, switch one off
 * and on; the server's answer is what the page shows). Needs dist/web.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, screenshot, type Launched } from './browser.js';
import { startDashboardRig, WEB_DIST, type DashboardRig } from './dashboard-server.js';

const ready = existsSync(CHROMIUM) && existsSync(join(WEB_DIST, 'index.html'));
const MCP_TEST_SERVER = resolve(import.meta.dirname, '../engine/mcp/mcp-test-server.mjs');

describe.runIf(ready)('dashboard settings in a browser', () => {
  let rig: DashboardRig;
  let server: DashboardRig['server'];
  let chromium: Launched;
  let home: string;

  beforeAll(async () => {
    rig = await startDashboardRig('kt-web-settings-', { script: [] });
    ({ server, chromium, home } = rig);
  });

  afterAll(async () => rig?.close());

  it('adds an MCP server, shows its env masked, tests it, and deletes it', async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.goto(`${server.url}/#/settings`);
    const mcp = page.getByRole('region', { name: 'MCP servers' });
    await mcp.getByText('No MCP servers yet.').waitFor();
    // The catalog is the test's own config folder, never the real home's.
    expect(await mcp.locator('.small-print').textContent()).toBe(join(home, 'kt', 'mcp_servers.yaml'));

    const form = mcp.getByRole('form', { name: 'Add MCP server' });
    await form.getByLabel('Name').fill('kt-test');
    await form.getByLabel('Command').fill(process.execPath);
    await form.getByLabel('Arguments').fill(MCP_TEST_SERVER);
    await form.getByLabel('Environment').fill('SECRET_TOKEN=do-not-show-me');
    await form.getByRole('button', { name: 'Save server' }).click();

    const row = mcp.locator('li.mcp-server', { hasText: 'kt-test' });
    await row.waitFor();
    expect(await row.textContent()).toContain('SECRET_TOKEN=********');
    expect(await page.content()).not.toContain('do-not-show-me');

    await row.getByRole('button', { name: 'Test' }).click();
    const result = row.locator('.test-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Connected · [1-9]\d* tools: /);
    await screenshot(page, 'settings-mcp');

    await row.getByRole('button', { name: 'Delete' }).click();
    await mcp.getByText('No MCP servers yet.').waitFor();
    await page.close();
  });

  it("lists a chat's plugins and switches one off and on again", async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/#/`);
    await page.getByLabel('Creature or terrarium').fill('@kt-biome/creatures/swe');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/#\/chat\//);
    const id = decodeURIComponent(page.url().split('#/chat/')[1] ?? '');
    const onServer = (name: string) => server.studio.plugins(id).find((p) => p.name === name);
    await page.locator('details.plugins summary').click();
    const rows = page.locator('.plugin-list li');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(server.studio.plugins(id).length);
    expect(await rows.filter({ hasText: 'permgate' }).getByRole('checkbox').isChecked()).toBe(true);

    // A catalog plugin the creature has not loaded: switching it on loads it.
    const breaker = rows.filter({ hasText: 'circuit_breaker' });
    expect(await breaker.textContent()).toContain('not loaded');
    await breaker.getByRole('checkbox').click();
    await expect.poll(() => breaker.getByRole('checkbox').isChecked()).toBe(true);
    expect(await breaker.textContent()).not.toContain('not loaded');
    expect(onServer('circuit_breaker')).toMatchObject({ enabled: true, loaded: true });
    expect(await page.locator('details.plugins summary').textContent()).toBe('Plugins (2 on)');
    await screenshot(page, 'chat-plugins');

    await breaker.getByRole('checkbox').click();
    await expect.poll(() => breaker.getByRole('checkbox').isChecked()).toBe(false);
    expect(onServer('circuit_breaker')).toMatchObject({ enabled: false });
    await page.close();
  });
});
