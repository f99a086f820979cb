#!/usr/bin/env node
// The images' HEALTHCHECK (the slim base has no curl or procps).
//   node healthcheck.mjs http            GET http://127.0.0.1:$KT_PORT/healthz answers 200
//   node healthcheck.mjs process <word>  a live process whose command line holds <word>
// A worker has no HTTP server: whether it is connected is the host's to say
// (`kt lab status`); here we only know the process is there and not stopped.
import { readdirSync, readFileSync } from 'node:fs';

const [mode = 'http', word] = process.argv.slice(2);

async function http() {
  const port = process.env.KT_PORT || '8001';
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  return response.ok;
}

function alive(needle) {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args.includes(needle)) continue;
      // Field 3 of stat is the state; it follows the ")" that closes the command name.
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state && !'ZTXx'.includes(state)) return true;
    } catch {
      // the process ended while we looked
    }
  }
  return false;
}

const ok = mode === 'process' ? Boolean(word) && alive(word) : await http().catch(() => false);
process.exit(ok ? 0 : 1);
