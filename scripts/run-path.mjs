// The CLI's run path in one file.
//
// esbuild splits the CLI so each command and UI mode loads only its own
// code, but it cuts a chunk for every distinct set of dynamic imports that
// reach a module: a one-turn `kt run` loaded 83 files, most under 3 KB, and
// each ES module costs the loader a resolve, a read, a compile-cache lookup
// and a link. Merging the chunks a `kt run` loads into one file took 33 ms
// and 8 MB off a one-turn run on the bench machine (182 → 149 ms).
//
// Which chunks those are is measured, not guessed: scripts/run-path.json
// lists the source modules a plain one-turn run loads (written by
// `node scripts/record-run-path.mjs`). After esbuild, rolldown re-bundles
// esbuild's own output, with one chunk for the esbuild chunks holding any
// of those modules, except what `kt --help` loads (the main chunk and its
// static imports), which become a small chunk of their own, loaded by every
// command. Everything else keeps esbuild's split. A
// stale list costs speed, never correctness: a module missing from it
// stays in its own chunk; test/cli/startup.e2e.test.ts counts the files a
// one-turn run loads and names the script to run when that grows.
import { rolldown } from 'rolldown';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Re-bundle esbuild's CLI output (`metafile`, its paths relative to `root`)
 * into `dist`, from the `entries` (name → staged file). `helpEntry` and
 * its static imports are what `kt --help` loads. Returns an esbuild-shaped
 * metafile of the result, so checks that read dist/cli-meta.json see the
 * files kt really ships.
 */
export async function mergeRunPath({ root, dist, metafile, entries, helpEntry, runPath, requireShim }) {
  const key = (path) => relative(root, path).split('\\').join('/');
  const listed = new Set(runPath);
  const helpPath = staticClosure(metafile, helpEntry);
  // A worker entry's own imports (the embedding thread's) stay out of the big chunk: a thread
  // would evaluate all of it at start. What it shares with the run path is a chunk of its own.
  const workerPaths = new Set(Object.values(entries).filter((file) => file !== helpEntry).flatMap((file) => [...staticClosure(metafile, file)]));
  const onRunPath = (file, out) => file.endsWith('.js') && Object.keys(out.inputs).some((input) => listed.has(input));
  const start = new Set([...helpPath].filter((file) => !workerPaths.has(file)));
  const shared = new Set(Object.entries(metafile.outputs).filter(([file, out]) => workerPaths.has(file) && (helpPath.has(file) || onRunPath(file, out))).map(([file]) => file));
  const merged = new Set(Object.entries(metafile.outputs).filter(([file, out]) => !helpPath.has(file) && !workerPaths.has(file) && onRunPath(file, out)).map(([file]) => file));
  const bundle = await rolldown({
    input: {},
    platform: 'node',
    logLevel: 'warn',
    // esbuild has already shaken the tree; a second pass would only cost time.
    treeshake: true,
    // Dynamically imported modules need no chunk of their own (a facade re-exporting from the merged
    // chunk): import() of them resolves to the chunk that holds them. The entries below keep their exports.
    preserveEntrySignatures: false,
    external: (id) => id.startsWith('node:') || !(id.startsWith('.') || id.startsWith('/')),
    plugins: [vendoredFiles(), stagedChunks(requireShim), entryChunks(root, entries)],
  });
  const { output } = await bundle.write({
    dir: dist,
    format: 'esm',
    sourcemap: true,
    // Whitespace only, as esbuild's own output: names stay readable in stack traces.
    minify: { compress: false, mangle: false, codegen: { removeWhitespace: true, asciiOnly: true } },
    // esbuild's names end in its own hash: keep only the readable part.
    chunkFileNames: (chunk) => `cli/${chunk.name.replace(/-[A-Z0-9]{8}$/, '')}-[hash].js`,
    codeSplitting: {
      groups: [
        // What every command loads (main and its static imports) is one file too.
        { name: 'start', test: (id) => start.has(key(id)) },
        { name: 'shared', test: (id) => shared.has(key(id)) },
        { name: 'run-path', test: (id) => merged.has(key(id)) },
      ],
      // Only the listed chunks: pulling in their imports would pull in what --help loads.
      includeDependenciesRecursively: false,
    },
  });
  await bundle.close();
  return resultMetafile(output, metafile, key, dist);
}

/**
 * The files dist/lib/vendor/ will hold (scripts/lazy-deps.mjs) are imported
 * by a path relative to dist/cli/, where every chunk lands: kept as written.
 */
function vendoredFiles() {
  return {
    name: 'kt-vendored-files',
    resolveId(source) {
      return source.startsWith('../lib/vendor/') ? { id: source, external: 'absolute' } : null;
    },
  };
}

/** The entries, each keeping its exports (the launcher imports main's; a worker's are its own). */
function entryChunks(root, entries) {
  return {
    name: 'kt-entries',
    buildStart() {
      for (const [name, file] of Object.entries(entries)) this.emitFile({ type: 'chunk', id: join(root, file), fileName: `cli/${name}.js`, preserveSignature: 'allow-extension' });
    },
  };
}

/** Files an output imports statically, transitively, itself included. */
export function staticClosure(metafile, start) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !metafile.outputs[file]) return;
    seen.add(file);
    for (const imp of metafile.outputs[file].imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(start);
  return seen;
}

/**
 * Each staged chunk comes in with its esbuild source map, so the final maps
 * point at the TypeScript sources, and without the require shim esbuild put
 * at the top of every chunk when nothing in it calls require (one
 * createRequire per merged chunk would still run at load).
 */
function stagedChunks(requireShim) {
  return {
    name: 'kt-staged-chunks',
    load(id) {
      if (!id.endsWith('.js')) return null;
      const code = withoutUnusedShim(readFileSync(id, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), requireShim);
      let map;
      try {
        map = JSON.parse(readFileSync(`${id}.map`, 'utf8'));
      } catch {
        map = undefined;
      }
      return { code, map };
    },
  };
}

/**
 * `code` without esbuild's require shim when nothing else in it says
 * `require`. The shim's line is left empty, not removed, so the source map's
 * lines still match.
 */
export function withoutUnusedShim(code, requireShim) {
  return /\brequire\b/.test(code.replace(requireShim, '')) ? code : code.replace(requireShim, '');
}

function resultMetafile(output, staged, key, dist) {
  const files = new Set(output.map((item) => item.fileName));
  const outputs = {};
  for (const chunk of output) {
    if (chunk.type !== 'chunk') continue;
    const inputs = {};
    for (const id of chunk.moduleIds) {
      const from = staged.outputs[key(id)];
      if (!from) {
        inputs[`rolldown:${id.replace(/^\0/, '')}`] = { bytesInOutput: 0 };
        continue;
      }
      Object.assign(inputs, from.inputs);
    }
    const imports = [
      ...chunk.imports.map((path) => importOf(path, 'import-statement')),
      ...chunk.dynamicImports.map((path) => importOf(path, 'dynamic-import')),
    ];
    const facade = chunk.facadeModuleId ? staged.outputs[key(chunk.facadeModuleId)] : undefined;
    outputs[key(join(dist, chunk.fileName))] = { imports, inputs, bytes: Buffer.byteLength(chunk.code), ...(chunk.isEntry && facade?.entryPoint ? { entryPoint: facade.entryPoint } : {}) };
  }
  return { inputs: staged.inputs, outputs };

  function importOf(path, kind) {
    return files.has(path) ? { path: key(join(dist, path)), kind } : { path, kind, external: true };
  }
}
