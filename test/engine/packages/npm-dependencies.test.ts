/**
 * `npm_dependencies:` end to end, without the network: a dependency packed
 * with `npm pack` into a local tarball is installed into the package's own
 * node_modules by `kt install`, and the package's tool imports it when a
 * creature calls the tool. A failing npm install leaves nothing installed.
 * npm runs with an empty private cache and `npm_config_offline`, so any
 * attempt to reach a registry fails instead of going out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { PackageInstallError } from '../../../source/engine/packages/errors.js';
import { installPackage } from '../../../source/engine/packages/install.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { makePackage, packagesFolder, tempDir } from './helpers.js';

/** npm settings for every npm this test starts: offline, with a cache of its own. */
function offlineNpm(): Record<string, string> {
  return { npm_config_offline: 'true', npm_config_cache: tempDir('kt-npm-cache-'), npm_config_update_notifier: 'false' };
}

/** `npm pack` of a one-function ES module package; returns the tarball's path. */
function packDependency(npm: Record<string, string>): string {
  const dir = tempDir('kt-dep-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kt-greet-dep', version: '1.0.0', type: 'module', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), "export const greet = (who) => `hello, ${who}, from kt-greet-dep`;\n");
  const out = tempDir('kt-dep-out-');
  execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, env: { ...process.env, ...npm }, stdio: 'pipe' });
  const [tarball] = readdirSync(out).filter((n) => n.endsWith('.tgz'));
  return join(out, tarball!);
}

const greetPackage = (dependency: string) => ({
  'kohaku.yaml': `name: greeter
version: "1.0.0"
tools:
  - name: greet
    module: tools/greet.mjs
npm_dependencies:
  - ${JSON.stringify(dependency)}
`,
  'tools/greet.mjs': `import { greet } from 'kt-greet-dep';
export default {
  name: 'greet',
  description: 'Greet someone',
  parameters: { type: 'object', properties: { who: { type: 'string' } } },
  concurrency: 'parallel',
  parse: (args) => ({ ok: true, value: args }),
  execute: async (input) => greet(input.who),
};
`,
});

describe('npm_dependencies', () => {
  it('a local tarball dependency is installed into the package and its tool uses it', async () => {
    const npm = offlineNpm();
    const tarball = packDependency(npm);
    // The config home sits below a folder holding a node_modules (like a ~/node_modules): npm must still install into the package.
    const outer = tempDir('kt-outer-');
    mkdirSync(join(outer, 'node_modules'));
    const env = { KT_CONFIG_DIR: join(outer, 'home'), ...npm };
    const installed = await installPackage(makePackage(join(tempDir(), 'greeter'), 'greeter', '1.0.0', greetPackage(`file:${tarball}`)), { env });
    expect(existsSync(join(installed.root, 'node_modules', 'kt-greet-dep', 'index.js'))).toBe(true);
    expect(readdirSync(join(outer, 'node_modules'))).toEqual([]);

    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'greet', args: { who: 'kt' } }] }, { text: 'done' }]);
    const agent = await Agent.build({ name: 'c', tools: [{ name: 'greet', type: 'package' }] }, { llm, env, pwd: tempDir() });
    expect(agent.tools).toContain('greet');
    expect((await agent.run('greet kt')).text).toBe('done');
    await agent.stop();
    expect(JSON.stringify(llm.calls.at(-1)?.messages)).toContain('hello, kt, from kt-greet-dep');
  });

  it('a failing npm install leaves nothing installed', async () => {
    const npm = offlineNpm();
    const home = tempDir('kt-home-');
    const env = { KT_CONFIG_DIR: home, ...npm };
    const missing = join(dirname(tempDir()), 'kt-no-such-dep', 'nothing-1.0.0.tgz');
    const install = installPackage(makePackage(join(tempDir(), 'greeter'), 'greeter', '1.0.0', greetPackage(`file:${missing}`)), { env });
    await expect(install).rejects.toThrow(PackageInstallError);
    await expect(install).rejects.toThrow(/npm_dependencies: npm install file:.*nothing-1\.0\.0\.tgz failed/);
    expect(packagesFolder(home)).toEqual([]);
  });
});
