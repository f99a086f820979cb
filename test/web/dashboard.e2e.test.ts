/**
 * The dashboard in a real browser (Debian's chromium via playwright-core)
 * against the real server and the fake OpenAI server: start the swe
 * creature, send a prompt, watch the answer stream in, approve its command,
 * see the tool block, at desktop width and at 360 px in dark mode; then
 * start the swe_team terrarium and check its graph (from /topology), then
 * have one member send on a channel and see the count on the graph.
 * Screenshots land in test-results/web/ (gitignored). Needs dist/web
 * (`npm run build`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, screenshot, type Launched } from './browser.js';
import { startDashboardRig, WEB_DIST, type DashboardRig } from './dashboard-server.js';

/** The word that makes the fake model send on a channel. */
const PING = 'PING-TEAM';
const ready = existsSync(CHROMIUM) && existsSync(join(WEB_DIST, 'index.html'));

describe.runIf(ready)('web dashboard in a browser', () => {
  let rig: DashboardRig;
  let server: DashboardRig['server'];
  let chromium: Launched;

  beforeAll(async () => {
    rig = await startDashboardRig('kt-web-', {
      script: [
        { text: 'Let me **list** the files.', chunkSize: 4, toolCalls: [{ name: 'bash', arguments: { command: 'echo dashboard-ok' } }] },
        { text: 'The command printed `dashboard-ok`. All done.', chunkSize: 4 },
      ],
      // The team case: a member asked to ping the team sends on team_chat; every other turn just answers.
      responder: (request) => {
        const last = request.body?.messages?.at(-1);
        const said = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
        if (last?.role === 'user' && said.includes(PING)) return { text: 'Pinging the team.', toolCalls: [{ name: 'send_channel', arguments: { channel: 'team_chat', message: 'reviewer here: is the patch ready?' } }] };
        return { text: 'noted' };
      },
    });
    ({ server, chromium } = rig);
  });

  afterAll(async () => rig?.close());

  it('starts swe, streams the answer, asks to approve the command and shows its tool block', async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/#/`);
    await page.getByLabel('Creature or terrarium').fill('@kt-biome/creatures/swe');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/#\/chat\//);
    await page.getByLabel('connection').filter({ hasText: 'open' }).waitFor();

    await page.getByLabel('Message').fill('What files are here?');
    await page.getByLabel('Message').press('Enter');
    await page.getByText('What files are here?').waitFor();

    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Allow bash to run?');
    expect(await dialog.textContent()).toContain('echo dashboard-ok');
    expect(await page.locator('.item-assistant strong').first().textContent()).toBe('list');
    await screenshot(page, 'chat-approval');

    await dialog.getByRole('button', { name: 'Approve' }).click();
    const tool = page.locator('details.tool');
    await tool.locator('.badge.state-ok').waitFor();
    expect(await tool.locator('.tool-name').textContent()).toBe('bash');
    expect(await tool.locator('.tool-output').textContent()).toContain('dashboard-ok');
    await page.getByText('All done.').waitFor();
    expect(await dialog.count()).toBe(0);
    await screenshot(page, 'chat-answered');

    // The same session at 360 px in dark mode: nothing wider than the screen.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(360);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 21, 23)');
    await screenshot(page, 'chat-360-dark');

    // The session's graph: its creature as a node, idle now that the turn ended.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'graph' }).click();
    const graph = page.getByRole('img', { name: /terrarium graph: 1 creatures/ });
    await graph.waitFor();
    expect(await graph.locator('.node.creature text').first().textContent()).toBe('swe');
    await graph.locator('.node.creature', { hasText: 'idle' }).waitFor();
    await screenshot(page, 'graph');
    await page.close();
  });

  it('starts the swe_team terrarium and draws its graph from the server topology', async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`${server.url}/#/`);
    await page.getByLabel('Creature or terrarium').fill('@kt-biome/terrariums/swe_team');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/#\/chat\//);
    await page.getByRole('link', { name: 'graph' }).click();

    // The three members, the recipe's four channels and the one the team adds for reports to the root
    // (each member's own direct channel is drawn on the member), the send/listen edges and the output wires.
    const graph = page.getByRole('img', { name: 'terrarium graph: 3 creatures, 5 channels' });
    await graph.waitFor();
    const creatures = await graph.locator('.node.creature text:not(.small)').allTextContents();
    expect(creatures.sort()).toEqual(['reviewer', 'root', 'swe']);
    expect(await graph.locator('.node.creature', { hasText: 'root' }).textContent()).toContain('★');
    const channels = await graph.locator('.node.channel text:not(.small)').allTextContents();
    expect(channels.sort()).toEqual(['#feedback', '#report_to_root', '#results', '#tasks', '#team_chat']);
    expect(await graph.locator('.node.channel', { hasText: '#tasks' }).textContent()).toContain('queue');
    expect(await graph.locator('.edge-send').count()).toBe(6);
    expect(await graph.locator('.edge-listen').count()).toBe(8);
    expect(await graph.locator('.edge-wire').count()).toBe(3);
    await screenshot(page, 'graph-swe-team');

    // Traffic between two members: the reviewer sends on team_chat, which only swe hears (the root does not
    // listen there), so the count can only come from the members' own sockets, not the root's.
    const root = decodeURIComponent(page.url().split('#/graph/')[1] ?? '');
    const topology = (await (await fetch(`${server.url}/api/sessions/${encodeURIComponent(root)}/topology`)).json()) as { creatures: Array<{ name: string; session?: string }> };
    const reviewer = topology.creatures.find((c) => c.name === 'reviewer')?.session;
    expect(reviewer).toBeTruthy();
    await page.getByLabel('member sockets').filter({ hasText: '3/3 members live' }).waitFor();
    const sent = await fetch(`${server.url}/api/sessions/${encodeURIComponent(reviewer!)}/input`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `${PING}: ask swe` }) });
    expect(sent.status).toBe(202);
    await graph.locator('.node.channel', { hasText: '#team_chat' }).filter({ hasText: 'broadcast · 1' }).waitFor();
    const row = page.locator('.traffic-row', { hasText: '#team_chat' });
    expect(await row.textContent()).toContain('1 messages · last from reviewer');
    expect(await row.locator('.hit-text').textContent()).toBe('reviewer here: is the patch ready?');
    // swe's turn ended, so its output wire started one of the reviewer's: seen on the reviewer's socket.
    await graph.locator('.node.creature', { hasText: 'reviewer' }).filter({ hasText: '1 wired' }).waitFor();
    await screenshot(page, 'graph-swe-team-traffic');
    await page.close();
  });
});
