// Start bench/fake-server.mjs in its own process (see there for the modes).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), 'fake-server.mjs');

/** Resolves with the server's base URL and a stop function. */
export function fakeServer(...args) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
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
