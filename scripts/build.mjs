// Build the shipped JavaScript:
//  - dist/kt.js: the CLI, bundled with its dependencies (except native
//    modules) and split so each command and UI mode loads only its own code;
//  - dist/index.js, dist/testing.js: the library entries, dependencies left
//    external so applications share one copy of each;
//  - dist/types: declarations from tsc;
//  - dist/web: the dashboard (scripts/build-web.mjs), built while tsc runs.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { buildWeb } from './build-web.mjs';
import { packParses, packParseTable } from './pack-parses.mjs';
import { prebuiltToolSchemas, toolSchemaTable } from './tool-schemas.mjs';
import { buildVendored, lazyDependencies } from './lazy-deps.mjs';
import { openaiSlim } from './openai-slim.mjs';
import { globalProcess, meowWithoutPackageLookup, zodShared } from './cli-plugins.mjs';
import { mergeRunPath, withoutUnusedShim } from './run-path.mjs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const started = performance.now();

// dist/web stays when its sources did not change (build-web.mjs checks): the rest is rebuilt from scratch.
for (const entry of safeList(dist)) if (entry !== 'web') rmSync(join(dist, entry), { recursive: true, force: true });

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  splitting: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  // No keepNames: it wraps every function and class in a naming call, run at
  // load and on every closure made (zod makes dozens per schema), ~7% of the
  // module loading of a `kt run`. KTError strips the marks bundling leaves on
  // a renamed class (see errors.ts), the only names users see.
  keepNames: false,
};

// CommonJS dependencies inside an ESM bundle still call require().
const requireShim = "import { createRequire as __ktCreateRequire } from 'node:module'; const require = __ktCreateRequire(import.meta.url);";

// The library leaves its dependencies to the application (one shared copy of
// each), except the Gemini SDK: it comes bundled into the Gemini adapter's
// chunk with everything it pulls in. Its protobufjs dependency has an install
// script, and npm reads `allowScripts` only from the application's own
// package.json, so as a dependency it made every install of kohakuterrarium
// warn; bundled, it is never installed. yaml is bundled too: no application
// shares its objects with ours, and as ~70 separate modules it was the
// second largest part of `import('kohakuterrarium')`. So is zod, for the same
// reason (its ESM build is ~95 modules, loaded one by one: the largest part),
// with English messages only, as in the CLI: an application's own zod
// schemas still work with ours, since tool input is validated through the
// Standard Schema interface and converted by the schema's own toJSONSchema.
// Our modules reach both (and semver, picomatch, sqlite-vec) through
// stand-ins that load them on first use (scripts/lazy-deps.mjs).
const BUNDLED_IN_LIBRARY = ['@google/genai', 'yaml', 'zod'];

/** Keep bare imports external, except those packages (and whatever they import themselves). */
function externalExcept(bundled) {
  return {
    name: 'external-except',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        // Inside a bundled package, its own imports are bundled too; from our code only the listed ones are.
        if (args.importer.includes(`${'/'}node_modules${'/'}`) || bundled.includes(name)) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

// zod's classic API re-exports all ~50 locales (about 0.4 MB of bundled code,
// evaluated at startup). The CLI only ever uses English, so its bundle gets a
// locales module holding just that. The library build keeps zod external.
const englishOnlyZodLocales = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-en' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

// Work done once here instead of at every start: the built-in tools' JSON
// Schemas, and the bundled creature pack's YAML parsed.
const [toolSchemas, packTable] = await Promise.all([toolSchemaTable(root).then(prebuiltToolSchemas), packParseTable(root).then(packParses)]);

// esbuild's CLI output is staged, then re-bundled into dist/ with the chunks
// a `kt run` loads merged into one file (scripts/run-path.mjs).
const staged = join(dist, '.staged');
const cli = await build({
  ...common,
  plugins: [lazyDependencies(root), zodShared, globalProcess, englishOnlyZodLocales, meowWithoutPackageLookup, openaiSlim(root), toolSchemas, packTable],
  // The thread kt embedding embeds on while it indexes (engine/session/search/embed-thread.ts) loads this file beside its own.
  entryPoints: { kt: 'source/cli/kt.ts', 'cli/embed-worker': 'source/engine/session/search/embed-worker.ts' },
  outdir: staged,
  chunkNames: 'cli/[name]-[hash]',
  // Ink imports react-devtools-core only when DEV=true and it is installed; never bundle it.
  external: ['better-sqlite3', 'sqlite-vec', 'react-devtools-core'],
  define: { __KT_VERSION__: JSON.stringify(version), 'process.env.NODE_ENV': '"production"' },
  banner: { js: requireShim },
  metafile: true,
  minifyWhitespace: true,
  minifySyntax: true,
});
const stagedKey = (file) => join('dist', '.staged', file).split('\\').join('/');
const stagedMain = Object.keys(cli.metafile.outputs).find((file) => cli.metafile.outputs[file].entryPoint === 'source/cli/main.ts');
const runPath = process.argv.includes('--no-run-path') ? [] : JSON.parse(readFileSync(join(root, 'scripts', 'run-path.json'), 'utf8'));
const cliMeta = await mergeRunPath({
  root,
  dist,
  metafile: cli.metafile,
  entries: { main: stagedMain, 'embed-worker': stagedKey('cli/embed-worker.js') },
  helpEntry: stagedMain,
  runPath,
  requireShim,
});
// The launcher is esbuild's, pointed at the re-bundled main chunk.
const finalMain = Object.keys(cliMeta.outputs).find((file) => cliMeta.outputs[file].entryPoint === 'source/cli/main.ts');
writeFileSync(join(dist, 'kt.js'), launcherFrom(readFileSync(join(staged, 'kt.js'), 'utf8'), stagedMain, finalMain));
writeFileSync(join(dist, 'kt.js.map'), relocatedMap(readFileSync(join(staged, 'kt.js.map'), 'utf8'), staged, dist));
rmSync(staged, { recursive: true, force: true });
cliMeta.outputs['dist/kt.js'] = { ...cli.metafile.outputs[stagedKey('kt.js')], imports: [{ path: finalMain, kind: 'dynamic-import' }] };
writeFileSync(join(dist, 'cli-meta.json'), JSON.stringify(cliMeta));
asciiOnly(Object.keys(cliMeta.outputs).filter((file) => file.endsWith('.js')));
chmodSync(join(dist, 'kt.js'), 0o755);

/** esbuild's launcher, importing the final main chunk and without the require shim (so `kt --version` loads nothing but this file). */
function launcherFrom(text, fromMain, toMain) {
  const from = `./${fromMain.slice('dist/.staged/'.length)}`;
  const to = `./${toMain.slice('dist/'.length)}`;
  if (text.split(from).length !== 2) throw new Error(`build: the launcher does not import ${from} exactly once`);
  return withoutUnusedShim(text.replace(from, to), requireShim);
}

/** A source map moved from one folder to another at the same depth keeps its sources' targets. */
function relocatedMap(text, from, to) {
  const map = JSON.parse(text);
  map.sources = map.sources.map((source) => relative(to, join(from, source)).split('\\').join('/'));
  return JSON.stringify(map);
}

const library = await build({
  ...common,
  entryPoints: { index: 'source/index.ts', testing: 'source/testing/index.ts', providers: 'source/providers.ts', compose: 'source/compose.ts' },
  outdir: dist,
  chunkNames: 'lib/[name]-[hash]',
  plugins: [lazyDependencies(root), englishOnlyZodLocales, externalExcept(BUNDLED_IN_LIBRARY), toolSchemas, packTable],
  banner: { js: requireShim },
  metafile: true,
});
asciiOnly(Object.keys(library.metafile.outputs).filter((file) => file.endsWith('.js')));
await buildVendored(root, dist, [englishOnlyZodLocales]);

/**
 * Escape what esbuild leaves non-ASCII (comments, regular expressions): one
 * such character makes V8 hold the whole chunk as a two-byte string, which
 * the compile cache then converts back to UTF-8 to check it on every start.
 * A `\uXXXX` escape means the same in a comment, a regular expression or a string.
 */
function asciiOnly(files) {
  for (const file of files) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    // After a backslash the escape would read differently; none today, so stop rather than guess.
    if (/\\[^\x00-\x7f]/.test(text)) throw new Error(`build: ${file} escapes a non-ASCII character; asciiOnly cannot rewrite it`);
    const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== text) writeFileSync(path, ascii);
  }
}

// Declarations and the dashboard are independent: build them side by side.
const [, web] = await Promise.all([
  promisify(execFile)(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')]).catch((error) => {
    process.stdout.write(error.stdout ?? '');
    throw error;
  }),
  buildWeb(root),
]);
if (web.skipped) console.log('dist/web is up to date');

console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
