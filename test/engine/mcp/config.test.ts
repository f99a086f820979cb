/**
 * `mcp_servers:` and `mcp_exposure:` in creature configs, the catalog, and
 * `${VAR}` interpolation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCreature, loadCreature } from '../../../source/engine/config/loader.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { interpolate, readMcpCatalog, resolveMcpServers, writeMcpCatalog } from '../../../source/engine/mcp/config.js';

const home = () => ({ KT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kt-mcp-cfg-')) });

describe('mcp_servers config', () => {
  it('is a real key now: catalog names and entries validate, with no "not supported" warning', () => {
    const def = defineCreature({ name: 'c', mcp_servers: ['github', { name: 'local', command: 'node', args: ['server.js'] }], mcp_exposure: 'meta' });
    expect(def.config.mcp_servers).toEqual(['github', { name: 'local', command: 'node', args: ['server.js'] }]);
    expect(def.config.mcp_exposure).toBe('meta');
    expect(def.warnings.map((w) => w.message).join('\n')).not.toMatch(/mcp_servers/);
  });

  it('a bad entry names the file, line and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-mcp-bad-'));
    writeFileSync(join(dir, 'config.yaml'), 'name: c\nmcp_servers:\n  - name: local\n    transport: carrier-pigeon\n');
    expect(() => loadCreature(dir)).toThrow(ConfigError);
    expect(() => loadCreature(dir)).toThrow(/config\.yaml:4 key 'mcp_servers\[0\]\.transport': must be one of "stdio"/);
    writeFileSync(join(dir, 'config.yaml'), 'name: c\nmcp_exposure: sometimes\n');
    expect(() => loadCreature(dir)).toThrow(/mcp_exposure/);
  });

  it('resolves names from the catalog; an entry with the same name overrides its keys; the later of two entries wins', () => {
    const env = home();
    writeMcpCatalog([{ name: 'github', transport: 'streamable_http', url: 'https://example.test/mcp', headers: { Authorization: 'Bearer ${GH}' } }], env);
    expect(readMcpCatalog(env).servers).toHaveLength(1);
    const servers = resolveMcpServers(['github', { name: 'github', connect_timeout: 5 }, { name: 'local', command: 'a' }, { name: 'local', command: 'b' }], env);
    expect(servers).toEqual([
      { name: 'github', transport: 'streamable_http', url: 'https://example.test/mcp', headers: { Authorization: 'Bearer ${GH}' }, connect_timeout: 5 },
      { name: 'local', transport: 'stdio', command: 'b' },
    ]);
    expect(() => resolveMcpServers(['nope'], env)).toThrow(/mcp_servers: 'nope' is not in the MCP catalog .*`kt config mcp add nope`/);
  });

  it('interpolates ${VAR} and ${VAR:-default}; an unset variable is an error naming it and where', () => {
    expect(interpolate('Bearer ${T}', { T: 'x' }, 'h')).toBe('Bearer x');
    expect(interpolate('${HOST:-localhost}:${PORT:-80}', { PORT: '81' }, 'h')).toBe('localhost:81');
    expect(() => interpolate('${MISSING}', {}, "MCP server 'gh' url")).toThrow("MCP server 'gh' url: ${MISSING} is not set in the environment");
  });
});
