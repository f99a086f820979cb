// Write scripts/run-path.json: the source modules a `kt run` loads, which
// the build merges into one chunk (scripts/run-path.mjs).
//   node scripts/record-run-path.mjs
// It builds kt without the merge, runs two plain one-turn runs against the
// bench's loopback fake model (a text answer; one round of the bash tool),
// notes every file they load, and maps the files back to their sources
// through dist/cli-meta.json. Then it builds kt again with the new list.
// Run it when test/cli/startup.e2e.test.ts says a one-turn run loads too many files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serverProcess } from '../bench/server-process.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = (...flags) => {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), ...flags], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`build ${flags.join(' ')} failed`);
};

build('--no-run-path');
const scratch = mkdtempSync(join(tmpdir(), 'kt-run-path-'));
const hook = join(scratch, 'hook.mjs');
writeFileSync(
  hook,
  "import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregisterHooks({ load(url, context, next) { appendFileSync(process.env.KT_RUN_PATH_LOG, `${url}\\n`); return next(url, context); } });\n",
);
const log = join(scratch, 'loaded.txt');
writeFileSync(log, '');
const env = {
  PATH: process.env.PATH,
  HOME: scratch,
  KT_CONFIG_DIR: join(scratch, 'config'),
  OPENAI_API_KEY: 'sk-record',
  CI: 'true',
  KT_RUN_PATH_LOG: log,
};
const runs = [
  { rounds: 0, args: ['-p', 'hi'] },
  { rounds: 1, args: ['--approval-mode', 'yolo', '-p', 'go'] },
];
try {
  for (const { rounds, args } of runs) {
    const server = await serverProcess('turnaround-server.mjs', [String(rounds)]);
    try {
      const kt = ['--import', pathToFileURL(hook).href, join(root, 'dist', 'kt.js'), 'run', '@kt-biome/creatures/swe', '--mode', 'plain', '--llm', 'openai/bench', ...args];
      const run = spawnSync(process.execPath, kt, { env: { ...env, OPENAI_BASE_URL: server.baseURL }, cwd: scratch, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`kt run exited ${run.status}: ${run.stderr.slice(-2000)}`);
    } finally {
      await server.close();
    }
  }
  const meta = JSON.parse(readFileSync(join(root, 'dist', 'cli-meta.json'), 'utf8'));
  const distUrl = pathToFileURL(join(root, 'dist')).href;
  const sources = new Set();
  for (const url of new Set(readFileSync(log, 'utf8').split('\n'))) {
    if (!url.startsWith(`${distUrl}/cli/`)) continue;
    const output = meta.outputs[`dist/${url.slice(distUrl.length + 1)}`];
    if (!output) throw new Error(`${url} is not in dist/cli-meta.json`);
    for (const input of Object.keys(output.inputs)) if (!input.startsWith('rolldown:')) sources.add(input);
  }
  writeFileSync(join(root, 'scripts', 'run-path.json'), `${JSON.stringify([...sources].sort(), null, 1)}\n`);
  console.log(`scripts/run-path.json: ${sources.size} source modules`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
build();
