// `kt list` with 50 installed packages (whole process, Node start included):
// the target is ≤ 150 ms. Packages are written straight into a temporary
// KT_CONFIG_DIR (a kohaku.yaml, a creature, an install record each).
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

export function packageRows(p, fmt) {
  return [[`kt list, ${p.packages} installed packages`, `${fmt(p.listMs)} ms`, '', 'target ≤ 150 ms (whole process)']];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const ktBin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'kt.js');
  for (const r of packageRows(packageFigures({ ktBin, quick: process.argv.includes('--quick') }), fmt)) console.log(r.join('  '));
}
