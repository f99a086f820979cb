#!/usr/bin/env node
/**
 * The `kt` binary. Kept tiny on purpose: `kt --version` answers from here
 * without loading anything else, and every other command pays only for the
 * modules it imports (SDKs and Ink load lazily, per command and mode).
 */
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

declare const __KT_VERSION__: string | undefined;

const argv = process.argv.slice(2);
const first = argv[0];

if (argv.length === 1 && (first === '--version' || first === '-v')) {
  process.stdout.write(`${typeof __KT_VERSION__ === 'string' ? __KT_VERSION__ : 'dev'}\n`);
} else {
  // Cache compiled bytecode under the config home, the only place kt writes to.
  const home = process.env.KT_CONFIG_DIR || join(homedir(), '.kohakuterrarium');
  try {
    enableCompileCache(join(home, '.cache', 'node-compile'));
  } catch {
    // Read-only home or an old runtime: run without the cache.
  }
  const { main } = await import('./main.js');
  await main(argv);
}
