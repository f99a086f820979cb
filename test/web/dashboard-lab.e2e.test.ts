/**
 * The Lab page in a real browser against a lab host's studio: the Lab link
 * shows because the server reports a lab, the page lists the workers and the
 * remote creatures, and a creature moved to another worker shows there on
 * the page's next refresh. The lab itself is a stand-in LabSource (the lab's
 * NATS side is tested in test/engine/lab/). Needs dist/web.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabView } from '../../source/web/api.js';
import { CHROMIUM, screenshot } from './browser.js';
import { startDashboardRig, WEB_DIST, type DashboardRig } from './dashboard-server.js';

const ready = existsSync(CHROMIUM) && existsSync(join(WEB_DIST, 'index.html'));

describe.runIf(ready)('dashboard lab page in a browser', () => {
  let rig: DashboardRig;
  let view: LabView = {
    lab: 'east',
    workers: [
      { node: 'gpu-1', capacity: 2, labels: { gpu: 'a100' }, load: 1, creatures: ['swe'], status: 'alive', lastSeen: 1 },
      { node: 'cpu-7', capacity: 4, labels: {}, load: 0, creatures: [], status: 'alive', lastSeen: 1 },
    ],
    creatures: [{ name: 'swe', graph: 'g1', node: 'gpu-1', status: 'running', epoch: 1 }],
  };

  beforeAll(async () => {
    rig = await startDashboardRig('kt-web-lab-', { script: [] }, { status: () => view });
  });

  afterAll(async () => rig?.close());

  it('shows the Lab link on a lab host, lists workers and creatures, and follows a move', async () => {
    const page = await rig.chromium.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${rig.server.url}/`);
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Lab' }).click();
    const workers = page.getByRole('table', { name: 'workers' });
    const creatures = page.getByRole('table', { name: 'lab creatures' });
    await workers.getByRole('row', { name: /gpu-1/ }).waitFor();
    expect(await workers.getByRole('row', { name: /gpu-1/ }).textContent()).toBe('gpu-1alive1/2gpu=a100');
    expect(await creatures.getByRole('row', { name: /swe/ }).textContent()).toBe('swegpu-1g1running1');

    // gpu-1 fails: the lab moves swe to cpu-7 (a new epoch); the page shows it when it asks again.
    view = {
      ...view,
      workers: [
        { ...view.workers[0]!, status: 'failed', load: 0, creatures: [] },
        { ...view.workers[1]!, load: 1, creatures: ['swe'] },
      ],
      creatures: [{ name: 'swe', graph: 'g1', node: 'cpu-7', status: 'running', epoch: 2 }],
    };
    await creatures.getByRole('row', { name: /cpu-7/ }).waitFor();
    expect(await creatures.getByRole('row', { name: /swe/ }).textContent()).toBe('swecpu-7g1running2');
    expect(await workers.getByRole('row', { name: /gpu-1/ }).textContent()).toBe('gpu-1failed0/2gpu=a100');
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, 'lab');
    await page.close();
  });
});
