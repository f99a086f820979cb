#!/usr/bin/env -S node --max-semi-space-size=2
/**
 * The `kt` binary. Kept tiny on purpose: `kt --version` answers from here
 * without loading anything else, and every other command pays only for the
 * modules it imports (SDKs and Ink load lazily, per command and mode).
 */
// Nothing is imported statically, so `--version` loads no module at all;
// the rest is fetched below with process.getBuiltinModule, synchronously and
// only when used.

declare const __KT_VERSION__: string | undefined;

const argv = process.argv.slice(2);
const first = argv[0];
const major = Number(process.versions.node.split('.')[0]);

if (argv.length === 1 && (first === '--version' || first === '-v')) {
  process.stdout.write(`${typeof __KT_VERSION__ === 'string' ? __KT_VERSION__ : 'dev'}\n`);
} else if (major < 22) {
  process.stderr.write(`kt needs Node.js 22 or newer; this is ${process.version}.\n`);
  process.exitCode = 1;
} else {
  // V8's young generation: the shebang starts kt with semi-spaces of at most
  // 2 MB. Left alone, start-up (which keeps most of what it allocates) grows
  // them to 2 × 32 MB that are never given back, ~25 MB of resident memory for
  // the whole run; held at the 1 MB start size instead, start-up takes ~25
  // scavenges, about 10% more CPU than with 2 MB (bench/speed.mjs). When kt is
  // started without the shebang (`node kt.js`), the size can no longer be
  // set, so growth is stopped instead: the factor is read each time V8 would
  // grow the space. getBuiltinModule is synchronous and cheap; Node 22.0–22.2
  // lack it.
  if (!process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size'))) {
    const v8: typeof import('node:v8') = process.getBuiltinModule?.('node:v8') ?? (await import('node:v8'));
    v8.setFlagsFromString('--semi-space-growth-factor=1');
  }
  // Cache compiled bytecode under the config home, the only place kt writes
  // to; made private first, as every folder kt makes.
  const { homedir }: typeof import('node:os') = process.getBuiltinModule?.('node:os') ?? (await import('node:os'));
  const { join }: typeof import('node:path') = process.getBuiltinModule?.('node:path') ?? (await import('node:path'));
  const home = process.env.KT_CONFIG_DIR || join(homedir(), '.kohakuterrarium');
  try {
    const fs: typeof import('node:fs') = process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'));
    const nodeModule: typeof import('node:module') = process.getBuiltinModule?.('node:module') ?? (await import('node:module'));
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    nodeModule.enableCompileCache?.(join(home, '.cache', 'node-compile'));
  } catch {
    // Read-only home: run without the cache.
  }
  const { main } = await import('./main.js');
  await main(argv);
}
