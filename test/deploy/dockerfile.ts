/**
 * A small reader of deploy/docker/Dockerfile for the deployment tests: its
 * stages and instructions, so tests check what the images would be without
 * a Docker engine (none on these machines) and run their commands directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../cli/helpers.js';

export const DOCKERFILE = join(repoRoot, 'deploy', 'docker', 'Dockerfile');

export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export function readStages(file = DOCKERFILE): Stage[] {
  // Continuation lines join their instruction; comments and blank lines go.
  const text = readFileSync(file, 'utf8').replace(/\\\n(\s*#.*\n)*/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const [, from = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ name, from, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: upper, args: args.replace(/\s+/g, ' ') });
    }
  }
  return stages;
}

/** A stage with the instructions of the stages it builds on, oldest first. */
export function lineage(stages: Stage[], name: string): Stage[] {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  const parent = stages.find((s) => s.name === stage.from);
  return parent ? [...lineage(stages, parent.name), stage] : [stage];
}

/** The last value of an instruction that the stage (or its bases) sets. */
export function last(stages: Stage[], name: string, op: string): string | undefined {
  return lineage(stages, name)
    .flatMap((s) => s.instructions)
    .filter((i) => i.op === op)
    .at(-1)?.args;
}

/** An exec-form array (`["a", "b"]`), as CMD/ENTRYPOINT/HEALTHCHECK CMD write it. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}

/** ENV pairs the stage and its bases set (`ENV A=1 B=2`). */
export function envOf(stages: Stage[], name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of lineage(stages, name).flatMap((s) => s.instructions)) {
    if (i.op !== 'ENV') continue;
    for (const [, key, value] of i.args.matchAll(/(\w+)=(\S*)/g)) env[key!] = value!;
  }
  return env;
}
