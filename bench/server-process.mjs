// Start a bench server script in its own process, so the client being
// measured never shares an event loop (or a core, on two cores) with it.
// The script prints `READY <baseURL>` on stdout and exits when stdin closes.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Resolves with the server's base URL and a stop function. */
export function serverProcess(script, args = []) {
  const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      out += d;
      const match = /READY (\S+)/.exec(out);
      if (match) resolve({ baseURL: match[1], close: () => new Promise((r) => { child.on('exit', r); child.stdin.end(); }) });
    });
  });
}

/** bench/fake-server.mjs (see there for the modes). */
export function fakeServer(...args) {
  return serverProcess('fake-server.mjs', args);
}
