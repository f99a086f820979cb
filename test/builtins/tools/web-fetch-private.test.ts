/**
 * web_fetch refuses loopback, link-local (cloud metadata) and private
 * addresses by default, in every spelling the URL parser accepts and on every
 * redirect hop; `allow_private` (tool option) or the creature's
 * `web.allow_private` opens them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../../source/builtins/tools/web-address.js';
import { webFetchTool } from '../../../source/builtins/tools/web-fetch.js';
import { withGet } from '../../../source/builtins/tools/web-http.js';
import { assertPublicHost } from '../../../source/builtins/tools/web-address.js';
import { WebFixtureServer } from '../../fakes/web-fixture-server.js';
import { call, makeContext, result } from './context.js';

let web: WebFixtureServer;
beforeAll(async () => {
  web = await WebFixtureServer.start();
});
afterAll(async () => {
  await web.close();
});

describe('web_fetch and private addresses', () => {
  it('classifies addresses: private, loopback, link-local and their IPv6 forms are refused; public ones pass', () => {
    for (const address of ['127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fe80::1', 'fd00::1', 'fc00::5', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuses the loopback fixture, the metadata address and decimal, hex, octal and mapped spellings of them', async () => {
    const port = new URL(web.url('/article')).port;
    const urls = [
      web.url('/article'),
      `http://localhost:${port}/article`,
      'http://169.254.169.254/latest/meta-data/',
      `http://2130706433:${port}/article`,
      `http://0x7f.0.0.1:${port}/article`,
      `http://0177.0.0.1:${port}/article`,
      `http://[::ffff:127.0.0.1]:${port}/article`,
      `http://[::1]:${port}/article`,
      'http://0/',
    ];
    for (const url of urls) {
      await expect(call(webFetchTool, { url }, makeContext()), url).rejects.toThrow(/loopback, link-local or private address.*web\.allow_private/);
    }
  });

  it('allow_private (tool option) or the creature setting opens them', async () => {
    const byOption = result(await call(webFetchTool, { url: web.url('/article') }, makeContext(), { allow_private: true }));
    expect(byOption.isError).toBe(false);
    const byCreature = result(await call(webFetchTool, { url: web.url('/article') }, makeContext({ runtime: { allowPrivateNetwork: true } })));
    expect(byCreature.text).toContain('Terrariums are small enclosed ecosystems');
    expect(() => webFetchTool.create({ allow_private: 'yes' })).toThrow(/allow_private' must be true or false/);
  });

  it('checks every redirect hop, not only the first URL', async () => {
    const checked: string[] = [];
    // The first hop is let through (as a public host would be); the redirect lands on loopback and must be refused.
    const checkHost = async (url: URL) => {
      checked.push(url.pathname);
      if (url.pathname !== '/redirect/1') await assertPublicHost(url, 'web_fetch');
    };
    const get = withGet(new URL(web.url('/redirect/1')), { signal: new AbortController().signal, timeoutMs: 10_000, maxRedirects: 5, tool: 'web_fetch', checkHost }, async () => 'fetched');
    await expect(get).rejects.toThrow(/refused to fetch .*\/redirect\/2/);
    expect(checked).toEqual(['/redirect/1', '/redirect/2']);
  });
});
