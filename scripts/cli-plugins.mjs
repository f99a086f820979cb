// esbuild plugins for kt's bundle only (the library leaves these
// dependencies to the application): what a `kt run` would otherwise load or
// evaluate for nothing. Each patch of a dependency's code checks that the
// code still has the shape it expects, and is skipped with a warning when it
// does not: the bundle then grows, nothing breaks.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

// meow evaluates normalize-package-data (and its SPDX licence tables) when
// it is imported, and bundles read-package-up and normalize-package-data
// for the package.json it reads when not given one. kt always gives meow its
// `pkg` and never reads `cli.pkg` (the only reader of the normalised copy),
// so in kt's bundle both functions become stand-ins that do nothing and the
// code behind them is left out: ~20 ms of evaluation and ~110 KB of the
// code every command loads. What is left reaches node:util through
// require(): the ESM wrapper of node:util reads its lazy exports, which load
// worker_threads (~20 M instructions per start); and an unused leftover
// `promisify(execFile)` no longer loads node:child_process. If meow's build
// changes shape, a patch is skipped, not forced.
const MEOW_PATCHES = {
  'dependencies.js': [
    // Kept as it is; checked because the node:util line below relies on it.
    ["import require$$5, { createRequire } from 'node:module';", "import require$$5, { createRequire } from 'node:module';"],
    ['var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);', 'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);'],
    ["import require$$0$2, { format } from 'util';", "const require$$0$2 = createRequire(import.meta.url)('node:util');\nconst { format } = require$$0$2;"],
    ["import { promisify } from 'node:util';\n", ''],
    ["import { execFile } from 'node:child_process';\n", ''],
    ['\npromisify(execFile);\n', '\n'],
  ],
  'options.js': [
    [
      "import { a as readPackageUpSync, n as normalizePackageData } from './dependencies.js';",
      '// kt passes `pkg` and never reads `cli.pkg`: no package.json lookup, no normalising.\nconst readPackageUpSync = () => undefined;\nconst normalizePackageData = () => undefined;',
    ],
  ],
};
export const meowWithoutPackageLookup = {
  name: 'meow-without-package-lookup',
  setup(b) {
    b.onLoad({ filter: /[\\/]meow[\\/]build[\\/](dependencies|options)\.js$/ }, async (args) => {
      const patches = MEOW_PATCHES[basename(args.path)];
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of patches) {
        if (!source.includes(from)) {
          console.warn(`build: meow changed (${args.path}); it is bundled unpatched`);
          return undefined;
        }
        source = source.replace(from, to);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

// An ESM import of node:process builds a wrapper that reads every property
// of process, the lazy ones included (allowedNodeEnvironmentFlags, report):
// ~30 M instructions per start, for meow and execa's `import process from
// 'node:process'`. In kt's bundle it is the global process itself; a name
// not exported here fails the build ("No matching export").
export const globalProcess = {
  name: 'global-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?process$/ }, (args) => (args.kind === 'import-statement' ? { path: 'process', namespace: 'kt-global-process' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'kt-global-process' }, () => ({
      contents: 'const p = globalThis.process;\nexport default p;\nexport const { cwd, env, execArgv, execPath, hrtime, platform, versions } = p;\n',
      loader: 'js',
    }));
  },
};

// Our sources reach zod through a stand-in that loads dist/lib/vendor/zod.cjs
// on first use (scripts/lazy-deps.mjs), so a `kt run` that builds no schema
// loads no zod (~300 KB of code, ~6 ms). The server's @hono/zod-openapi adds
// .openapi() to the zod it imports, and our schemas must have it: its `zod`
// is that same file, imported from dist/cli/. The MCP SDK's own `zod/v3` and
// `zod/v4` stay bundled: it validates with its schemas, never ours.
export const zodShared = {
  name: 'zod-shared',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, (args) =>
      args.importer.includes(`${'/'}node_modules${'/'}`) ? { path: '../lib/vendor/zod.cjs', external: true } : undefined,
    );
  },
};
