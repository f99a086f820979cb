/**
 * The dashboard against a server with user accounts on (the real startServer,
 * serving dist/web): the page asks to sign in, a wrong password is refused on
 * the form, signing in lands on the view that was asked for, and after a
 * reload (cookie kept, CSRF token asked again from /auth/me) starting a
 * creature — a POST that needs the CSRF header — works and its answer streams
 * in over the socket. Needs dist/web (`npm run build`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider } from '../../source/providers.js';
import { createLogger } from '../../source/server/logger.js';
import { startServer, type RunningServer } from '../../source/server/server.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { CHROMIUM, launchChromium, screenshot, type Launched } from './browser.js';
import { WEB_DIST } from './dashboard-server.js';

const ready = existsSync(CHROMIUM) && existsSync(join(WEB_DIST, 'index.html'));

describe.runIf(ready)('web dashboard with sign-in', () => {
  let fake: FakeOpenAIServer;
  let server: RunningServer;
  let chromium: Launched;
  let home: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kt-web-auth-'));
    fake = await startFakeOpenAI({ script: [{ text: 'Hello alice, signed in and answering.', chunkSize: 6 }] });
    const llm = new OpenAICompatibleProvider({ model: 'fake-model', apiKey: 'k', baseURL: fake.baseURL });
    server = await startServer({
      port: 0,
      log: createLogger({ level: 'silent' }),
      webDir: WEB_DIST,
      auth: { users: true, accountsFile: join(home, 'accounts.json') },
      studio: { llm, sessionDir: join(home, 'sessions'), workspace: home, env: { ...process.env, KT_CONFIG_DIR: join(home, 'kt') } },
    });
    await server.auth.accounts!.add('alice', 'alice-password', 'user');
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close(1000);
    await fake?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('signs in with a user, returns to the asked-for view, and starts a creature', async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/#/settings`);
    const form = page.locator('.sign-in');
    await form.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');

    await form.getByLabel('User name').fill('alice');
    await form.getByLabel('Password').fill('not-her-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    expect(await form.getByRole('alert').textContent()).toContain('wrong credentials');

    await form.getByLabel('Password').fill('alice-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    // Back on the view the URL named, signed in as alice.
    await page.getByRole('heading', { name: 'Providers' }).waitFor();
    expect(page.url()).toMatch(/#\/settings$/);
    expect(await page.locator('.who').textContent()).toContain('alice');

    // A reload keeps the cookie; the CSRF token comes back from /auth/me, so a POST still passes.
    await page.goto(`${server.url}/#/`);
    await page.reload();
    await page.getByLabel('Creature or terrarium').fill('@kt-biome/creatures/swe');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/#\/chat\//);
    await page.getByLabel('connection').filter({ hasText: 'open' }).waitFor();
    await page.getByLabel('Message').fill('Who am I?');
    await page.getByLabel('Message').press('Enter');
    await page.getByText('signed in and answering.').waitFor();
    await screenshot(page, 'signed-in-chat');

    // Signing out shows the form again, and the API refuses the old cookie.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await form.getByRole('heading', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/sessions')).status);
    expect(status).toBe(401);
    await page.close();
  });
});
