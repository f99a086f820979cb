// Stand-ins (in the library's build and kt's) for dependencies our modules
// import but a run may never use: zod (schemas are built on first use),
// yaml (the bundled pack's files are parsed at build time), semver,
// picomatch, sqlite-vec, and the Node built-ins listed below.
// Evaluating them cost about a third of `import('kohakuterrarium')`, and
// loading their code another sixth, although building a bundled creature
// uses none of them. Here an `import { z } from 'zod'` in our sources gets a
// stand-in that loads the real module with require() the first time it is
// read (called, constructed, or a property read), so the import loads no
// code of theirs. zod and yaml are bundled into dist/lib/vendor/*.cjs (the
// library's own copies, as before: applications do not share them; kt's
// bundle uses the same files); the others come from node_modules, as
// before, only later.
//
// Each stand-in exports the names listed here: a source that imports another
// name fails the build ("No matching export"), so the list stays complete.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Specifier → the names our sources import (`default` for a default import), and whether it is vendored. */
const STAND_INS = {
  zod: { names: ['z'], vendor: 'zod.cjs' },
  yaml: { names: ['isMap', 'isPair', 'isScalar', 'isSeq', 'LineCounter', 'parseDocument', 'visit', 'stringify', 'parse'], vendor: 'yaml.cjs' },
  picomatch: { names: ['default'] },
  'semver/functions/satisfies.js': { names: ['default'] },
  'semver/functions/coerce.js': { names: ['default'] },
  'semver/functions/compare.js': { names: ['default'] },
  'semver/ranges/valid.js': { names: ['default'] },
  'sqlite-vec': { names: ['load'] },
  // Its JavaScript is 13 CommonJS files, each a resolve and a read for Node's
  // loader (~7 ms of the first session opened); one vendored file instead.
  // The native addon stays in the installed package (addonFromPackage below).
  'better-sqlite3': { names: ['default'], vendor: 'better-sqlite3.cjs' },
};

// Node built-ins a run may never use, which an ESM import loads in full
// (node:crypto builds its algorithm tables; node:util loads parseArgs and
// worker_threads; node:child_process, with dgram, before any tool spawns
// anything), or whose ESM facade reads every export: node:http's
// include lazy getters (WebSocket, CloseEvent, ...) that load all of undici,
// ~16 ms of a one-turn `kt run` that only ever sends through node:http.
// A stand-in reaches the module with require(), which builds no facade.
// Every name each one exports.
const LAZY_BUILTINS = ['node:crypto', 'node:readline', 'node:dns/promises', 'node:string_decoder', 'node:timers/promises', 'node:util', 'node:net', 'node:http', 'node:https', 'node:zlib', 'node:child_process'];
const require = createRequire(import.meta.url);
for (const builtin of LAZY_BUILTINS) STAND_INS[builtin] = { names: ['default', ...Object.keys(require(builtin)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))] };

const NAMESPACE = 'kt-lazy-dependency';

/**
 * The module standing in for `specifier`. Each export is a proxy of a
 * function, so it can be called, constructed or read like the real value;
 * nothing is loaded until one of those happens. A chunk lives in dist/,
 * dist/lib/ (the library) or dist/cli/ (kt), so the vendored file is found
 * from whichever it is.
 */
function standInSource(specifier, { names, vendor }) {
  const target = vendor
    ? `__ktLazyPath(new URL((/\\/(lib|cli)\\/[^/]*$/.test(import.meta.url) ? '../lib/' : './lib/') + 'vendor/${vendor}', import.meta.url))`
    : JSON.stringify(specifier);
  // Internal names start with __ktLazy so they cannot meet an export's name.
  const pick = (name) => (name === 'default' ? '__ktLazyLoad()' : `__ktLazyLoad()[${JSON.stringify(name)}]`);
  return [
    "import { createRequire as __ktLazyRequire } from 'node:module';",
    "import { fileURLToPath as __ktLazyPath } from 'node:url';",
    'let __ktLazyLoaded;',
    `const __ktLazyLoad = () => (__ktLazyLoaded ??= __ktLazyRequire(import.meta.url)(${target}));`,
    'const __ktLazyValue = (pick) => new Proxy(function () {}, {',
    '  apply: (_target, self, args) => Reflect.apply(pick(), self, args),',
    '  construct: (_target, args) => Reflect.construct(pick(), args),',
    '  get: (_target, key) => pick()[key],',
    '  has: (_target, key) => key in pick(),',
    '});',
    ...names.map((name) => (name === 'default' ? `export default __ktLazyValue(() => ${pick(name)});` : `export const ${name} = __ktLazyValue(() => ${pick(name)});`)),
  ].join('\n');
}

/**
 * An esbuild plugin that gives our sources' static imports of the packages
 * above their stand-ins (imports inside dependencies, and dynamic imports,
 * which are lazy already, resolve as usual).
 * `except` names specifiers to leave bundled as usual.
 */
export function lazyDependencies(root, { except = [] } = {}) {
  const sources = join(root, 'source');
  return {
    name: 'lazy-dependencies',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        // Checked before externalExcept, which marks every node: import external.
        if (!Object.hasOwn(STAND_INS, args.path) || except.includes(args.path) || args.kind !== 'import-statement' || !args.importer.startsWith(sources)) return undefined;
        return { path: args.path, namespace: NAMESPACE };
      });
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: standInSource(args.path, STAND_INS[args.path]), loader: 'js', resolveDir: root }));
    },
  };
}

/**
 * better-sqlite3 finds its compiled addon from its own folder (`__dirname`
 * in lib/binding.js: build/Release or prebuilds/). Bundled, that folder is
 * dist/lib/vendor/; so the bundled binding.js looks from the installed
 * package's lib/ folder instead, resolved when it first loads the addon.
 */
const addonFromPackage = {
  name: 'better-sqlite3-addon-from-package',
  setup(b) {
    b.onLoad({ filter: /[\\/]better-sqlite3[\\/]lib[\\/]binding\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const head = "'use strict';";
      if (!source.startsWith(head) || !source.includes('__dirname')) throw new Error(`build: better-sqlite3's lib/binding.js changed (${args.path}); check addonFromPackage`);
      // createRequire(...).resolve is opaque to esbuild, so the package is resolved at run time, not bundled again.
      const packageLib = "require('node:path').dirname(require('node:module').createRequire(__filename).resolve('better-sqlite3'))";
      return { contents: `${head}\nvar __ktPackageLib;\n${source.slice(head.length).replaceAll('__dirname', `(__ktPackageLib ??= ${packageLib})`)}`, loader: 'js' };
    });
  },
};

/** Bundle the vendored packages into `<dist>/lib/vendor/` as CommonJS files; `plugins` as for the library (zod's English-only locales). */
export async function buildVendored(root, dist, plugins = []) {
  await Promise.all(
    Object.entries(STAND_INS)
      .filter(([, { vendor }]) => vendor)
      .map(([specifier, { names, vendor }]) =>
        build({
          stdin: { contents: names.includes('default') ? `module.exports = require(${JSON.stringify(specifier)});` : `export { ${names.join(', ')} } from ${JSON.stringify(specifier)};`, resolveDir: root },
          bundle: true,
          platform: 'node',
          format: 'cjs',
          target: 'node22',
          outfile: join(dist, 'lib', 'vendor', vendor),
          plugins: [...plugins, addonFromPackage],
          logLevel: 'warning',
          // Third-party code nobody reads here; smaller to load. ASCII for the reason build.mjs's asciiOnly gives.
          minifyWhitespace: true,
          charset: 'ascii',
        }),
      ),
  );
}
