// `kt list` with 50 installed packages (whole process, Node start included):
// the target is ≤ 150 ms. Packages are written straight into a temporary
// KT_CONFIG_DIR (a kohaku.yaml, a creature, an install record each).
// And a one-turn `kt run @pkg/creatures/swe` from an installed copy of the
// bundled pack against the bundled `@kt-biome/creatures/swe`, interleaved in
// the same run: the target is no slower (±10 %).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const PACKAGES = 50;

function populate(home) {
  for (let i = 0; i < PACKAGES; i++) {
    const dir = join(home, 'packages', `pack-${String(i).padStart(2, '0')}`);
    mkdirSync(join(dir, 'creatures', 'main'), { recursive: true });
    writeFileSync(join(dir, 'kohaku.yaml'), `name: pack-${i}\nversion: "1.${i}.0"\ndescription: Bench package ${i}\ncreatures:\n  - name: main\ntools:\n  - name: tool_${i}\n    module: tools/t.mjs\nkt_version: ">=0.1"\n`);
    writeFileSync(join(dir, 'creatures', 'main', 'config.yaml'), 'name: main\n');
    writeFileSync(join(dir, '.kt-install.json'), JSON.stringify({ source: `./pack-${i}`, kind: 'local', version: `1.${i}.0`, installedAt: new Date(0).toISOString() }));
  }
}

export function packageFigures({ ktBin, quick = false }) {
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-pkgs-'));
  populate(home);
  const env = { PATH: process.env.PATH, HOME: tmpdir(), KT_CONFIG_DIR: home };
  const runs = quick ? 3 : 9;
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const out = spawnSync(process.execPath, [ktBin, 'list'], { env, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (out.status !== 0) throw new Error(`bench/packages: kt list failed: ${out.stderr}`);
    if (i > 0) times.push(ms); // the first run warms the file cache and writes kt list's manifest cache
  }
  return { packages: PACKAGES, listMs: median(times) };
}

/** One-turn runs of the bundled swe and of the same creature from an installed package (against a fake model at `baseURL`). */
export function installedRunFigures({ ktBin, baseURL, root, quick = false }) {
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-pkgrun-'));
  const env = { PATH: process.env.PATH, HOME: home, KT_CONFIG_DIR: join(home, '.kohakuterrarium'), OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: baseURL, CI: 'true' };
  const installed = spawnSync(process.execPath, [ktBin, 'install', join(root, 'source', 'builtins', 'kt-biome'), '--name', 'biomecopy'], { env, cwd: home, encoding: 'utf8' });
  if (installed.status !== 0) throw new Error(`bench/packages: kt install failed: ${installed.stderr}`);
  const run = (ref) => {
    const t0 = performance.now();
    const out = spawnSync(process.execPath, [ktBin, 'run', ref, '--mode', 'plain', '--llm', 'openai/bench', '-p', 'hi', '--no-session'], { env, cwd: home, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`bench/packages: kt run ${ref} failed: ${out.stderr}`);
    return performance.now() - t0;
  };
  run('@kt-biome/creatures/swe');
  run('@biomecopy/creatures/swe');
  const bundled = [];
  const fromPackage = [];
  for (let i = 0; i < (quick ? 3 : 9); i++) {
    bundled.push(run('@kt-biome/creatures/swe'));
    fromPackage.push(run('@biomecopy/creatures/swe'));
  }
  return { bundledMs: median(bundled), installedMs: median(fromPackage) };
}

export function packageRows(p, fmt, runs) {
  const rows = [[`kt list, ${p.packages} installed packages`, `${fmt(p.listMs)} ms`, '', 'target ≤ 150 ms (whole process)']];
  if (runs) rows.push(['kt run @pkg/creatures/swe (installed copy), 1 turn', `${fmt(runs.installedMs)} ms`, `bundled ${fmt(runs.bundledMs)} ms`, `${fmt(runs.installedMs / runs.bundledMs, 3)}× the bundled pack (target ≤ 1.10×)`]);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const ktBin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'kt.js');
  for (const r of packageRows(packageFigures({ ktBin, quick: process.argv.includes('--quick') }), fmt)) console.log(r.join('  '));
}
