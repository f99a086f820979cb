/** A two-member recipe for the terrarium e2e tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder holding terrarium.yaml: root wires its answer to worker. */
export function pairRecipe(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-team-'));
  mkdirSync(join(dir, 'team'));
  writeFileSync(
    join(dir, 'team', 'terrarium.yaml'),
    `name: pair
root:
  base_config: "@kt-biome/creatures/general"
  output_wiring: [worker]
creatures:
  - name: worker
    base_config: "@kt-biome/creatures/general"
channels:
  review: { type: queue, description: code to review }
${extra}`,
  );
  return dir;
}
