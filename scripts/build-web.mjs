// Build the web dashboard (source/web) into dist/web with Vite's JS API.
// Skipped when dist/web was built from the same inputs: a stamp file holds a
// hash of every file under source/web, the engine's event types it reads,
// and the installed Vite/React versions, so a CLI-only change rebuilds fast.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const STAMP = '.build-stamp';

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

function inputsHash(root) {
  const hash = createHash('sha256');
  const inputs = [
    ...files(join(root, 'source', 'web')),
    join(root, 'source', 'engine', 'events.ts'),
    join(root, 'scripts', 'build-web.mjs'),
    ...['vite', 'react', 'react-dom', '@vitejs/plugin-react', 'marked'].map((name) => join(root, 'node_modules', name, 'package.json')),
  ];
  for (const file of inputs) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Build dist/web unless it is current. Resolves to { skipped }. */
export async function buildWeb(root) {
  const out = join(root, 'dist', 'web');
  const stamp = join(out, STAMP);
  const hash = inputsHash(root);
  if (existsSync(join(out, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return { skipped: true };
  // Vite is a dev dependency: imported only when the dashboard needs building.
  const { build } = await import('vite');
  await build({ configFile: join(root, 'source', 'web', 'vite.config.ts'), mode: 'production' });
  writeFileSync(stamp, hash);
  return { skipped: false };
}
