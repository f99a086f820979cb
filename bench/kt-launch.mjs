// kt as its launcher starts it: dist/kt.js's shebang gives node flags
// (`#!/usr/bin/env -S node <flags>`) that a plain `node dist/kt.js` would
// miss, so the bench puts them on the node command line itself.
import { readFileSync } from 'node:fs';

/** Node's arguments for running `file`: the shebang's node flags when it is kt's launcher, then the file. */
export function nodeArgsFor(file) {
  if (!file.endsWith('kt.js')) return [file];
  const first = readFileSync(file, 'utf8').split('\n', 1)[0];
  const flags = /^#!\S*env -S node\s+(.*)$/.exec(first)?.[1].trim().split(/\s+/) ?? [];
  return [...flags, file];
}
