/**
 * Triggers stay off during a replay: a recording with timer-started turns
 * (one at start, one an hour later) replays with exactly the recorded turns,
 * the timer's turns given again as recorded (source and origin), none fired
 * by the timer itself (the replay runs on a clock where every wait is over
 * at once: a live timer would keep firing).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { EventOf } from '../../../source/engine/events.js';
import { formatDivergence } from '../../../source/engine/replay/diff.js';
import { loadRecording } from '../../../source/engine/replay/recording.js';
import { replaySession } from '../../../source/engine/replay/replay-session.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import type { Clock } from '../../../source/engine/util/clock.js';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

installBuiltins();
const CONFIG = { name: 'ticker', system_prompt: 'You keep time.', triggers: [{ type: 'timer', name: 'hourly', interval: 3600, immediate: true, prompt: 'tick' }] };
const build = { catalog: new ToolCatalog(), projectInstructions: false };

async function record(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'kt-replay-timer-')), 'run.kohakutr');
  const clock = new FakeClock();
  const llm = new ScriptedLLM([{ text: 'tick one' }, { text: 'hello' }, { text: 'tick two' }, { text: 'bye' }]);
  const agent = await Agent.build(CONFIG, { ...build, llm, clock, session: path, pwd: mkdtempSync(join(tmpdir(), 'kt-replay-timer-tree-')) });
  const ends: Array<EventOf<'turn.end'>> = [];
  let wake: (() => void) | undefined;
  agent.on('turn.end', (event) => {
    ends.push(event);
    wake?.();
  });
  const turnEnded = (n: number) => new Promise<void>((resolve) => (ends.length >= n ? resolve() : (wake = () => ends.length >= n && resolve())));
  await agent.start();
  await clock.advance(0); // the immediate fire
  await turnEnded(1);
  await agent.run('hi');
  await clock.advance(3_600_000);
  await turnEnded(3);
  await agent.run('bye');
  await agent.stop();
  return path;
}

describe('triggers during a replay', () => {
  it('do not fire on their own; the recorded trigger turns are given again with their origin', async () => {
    const path = await record();
    const [creature] = loadRecording(path).creatures;
    expect(creature!.turns.map((t) => [t.source, t.origin?.name ?? null, t.input])).toEqual([
      ['trigger', 'hourly', 'tick'],
      ['api', null, 'hi'],
      ['trigger', 'hourly', 'tick'],
      ['api', null, 'bye'],
    ]);
    // A clock on which every wait is over at once: a live timer would fire again and again during the replay.
    let time = Date.UTC(2026, 0, 5);
    const hurried: Clock = {
      now: () => time,
      setTimer: (fn, ms) => {
        const handle = setImmediate(() => {
          time += ms;
          fn();
        });
        return () => clearImmediate(handle);
      },
    };
    const report = await replaySession(path, { build: { ...build, clock: hurried } });
    expect(report.divergences.map(formatDivergence)).toEqual([]);
    expect(report.creatures[0]).toMatchObject({ extraCalls: [], unserved: {}, replayed: { turns: 4, steps: 4 } });
  });
});
