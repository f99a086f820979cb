/**
 * The deployment recipes as files: the Dockerfile's essentials (checked
 * structurally, as no hadolint or Docker engine is on these machines), the
 * build context's exclusions, and the compose files' wiring to the images.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../cli/helpers.js';
import { envOf, execForm, last, lineage, readStages } from './dockerfile.js';

const stages = readStages();
const TARGETS = ['aio', 'host', 'worker'] as const;
const DEPLOYMENT = join(repoRoot, 'examples', 'deployment');
// kt inside the image (spelled in parts: this test reads the Dockerfile and needs no build here).
const IMAGE_KT = ['', 'app', 'dist', 'kt.js'].join('/');
const SECRET_NAME = /TOKEN|PASSWORD|SECRET|API_KEY|CREDS/i;

describe('deploy/docker/Dockerfile', () => {
  it('builds in one stage (npm ci + npm run build) and runs from another on a pinned Node 24 base', () => {
    for (const stage of stages) expect(stage.from === 'runtime' || stage.from.startsWith('node:24-bookworm-slim')).toBe(true);
    const build = stages.find((s) => s.name === 'build')!;
    const runs = build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => r.includes('npm ci'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build') && r.includes('npm prune --omit=dev'))).toBe(true);
    expect(stages.at(-1)!.name).toBe('aio'); // what a plain `docker build` makes
  });

  it.each(TARGETS)('%s: non-root, its own HEALTHCHECK, only build output copied in', (target) => {
    const chain = lineage(stages, target);
    expect(chain.map((s) => s.name)).toEqual(['runtime', target]);
    expect(last(stages, target, 'USER')).toBe('node');
    const own = chain.at(-1)!.instructions;
    expect(own.filter((i) => i.op === 'HEALTHCHECK')).toHaveLength(1);
    expect(execForm(own.find((i) => i.op === 'HEALTHCHECK')!.args)[0]).toBe('node');
    expect(execForm(last(stages, target, 'ENTRYPOINT')!)).toEqual(['/usr/bin/tini', '--', 'node', IMAGE_KT]);
    const copies = chain.flatMap((s) => s.instructions).filter((i) => i.op === 'COPY');
    for (const copy of copies) expect(copy.args.startsWith('--from=build ') || copy.args.startsWith('deploy/docker/healthcheck.mjs ')).toBe(true);
    expect(copies.map((c) => c.args)).toContain('--from=build /src/source/builtins/kt-biome ./source/builtins/kt-biome');
  });

  it('sets no secret at build time', () => {
    for (const stage of stages) {
      for (const i of stage.instructions) {
        if (i.op === 'ARG' || i.op === 'ENV') expect(i.args).not.toMatch(SECRET_NAME);
        expect(i.args).not.toMatch(/sk-[A-Za-z0-9]{10,}|BEGIN [A-Z ]*PRIVATE KEY/);
      }
    }
    expect(envOf(stages, 'aio')).toEqual({ NODE_ENV: 'production', KT_CONFIG_DIR: '/data/kt', KT_PORT: '8001' });
  });

  it('runs the server with auth on when it listens beyond loopback, and workers as lab-client', () => {
    for (const target of ['aio', 'host'] as const) {
      const cmd = execForm(last(stages, target, 'CMD')!);
      expect(cmd.slice(0, 2)).toEqual(['serve', 'run']);
      expect(cmd).toContain('--token');
      expect(cmd[cmd.indexOf('--host') + 1]).toBe('0.0.0.0');
    }
    expect(execForm(last(stages, 'host', 'CMD')!)).toContain('lab-host');
    expect(execForm(last(stages, 'worker', 'CMD')!)).toEqual(['lab-client']);
  });

  it('keeps the host machine\'s modules, builds and secrets out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', 'node_modules', 'dist', '**/.env']) expect(ignored).toContain(entry);
  });
});

describe('examples/deployment compose files', () => {
  const stageNames = new Set(stages.map((s) => s.name));
  type Service = { build?: { context: string; dockerfile: string; target: string }; env_file?: string; environment?: Record<string, string>; ports?: string[]; user?: string };
  const read = (file: string) => parse(readFileSync(join(DEPLOYMENT, file), 'utf8'), { merge: true }) as { services: Record<string, Service> };

  it.each(['compose.all-in-one.yaml', 'compose.lab.yaml'])('%s builds from the Dockerfile, publishes on loopback only, names secrets only by reference', (file) => {
    const { services } = read(file);
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        expect(existsSync(join(DEPLOYMENT, service.build.context, service.build.dockerfile)), name).toBe(true);
        expect(stageNames.has(service.build.target), name).toBe(true);
      }
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
      for (const [key, value] of Object.entries(service.environment ?? {})) if (SECRET_NAME.test(key)) expect(value).toMatch(/^\$\{\w+/);
    }
  });

  it('runs NATS with JetStream and a token, a host and two named workers', () => {
    const { services } = read('compose.lab.yaml');
    expect(Object.keys(services).sort()).toEqual(['host', 'nats', 'worker-1', 'worker-2']);
    expect(services.host!.build!.target).toBe('host');
    for (const name of ['worker-1', 'worker-2']) expect(services[name]!.build!.target).toBe('worker');
    expect([services['worker-1']!.environment!.KT_CLIENT_NAME, services['worker-2']!.environment!.KT_CLIENT_NAME]).toEqual(['worker-1', 'worker-2']);
    for (const name of ['host', 'worker-1', 'worker-2']) expect(services[name]!.environment!.KT_NATS_URL).toBe('nats://nats:4222');
    const nats = readFileSync(join(DEPLOYMENT, 'nats.conf'), 'utf8');
    expect(nats).toMatch(/jetstream\s*\{/);
    expect(nats).toMatch(/token:\s*\$KT_NATS_TOKEN/);
  });
});
