// Session figures for `npm run bench` (issue 5 targets):
//   append throughput (batched), durability after a turn ends, resume of a
//   10k-event session, and file size against the JSON of its events;
//   (issue 18) peak RSS of resuming a 5,000-message session (resume-memory.mjs).
// The events are real: recorded from an Agent run with a scripted model.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumeMemoryFigures } from './resume-memory.mjs';
import { median } from './stats.mjs';

/** A turn as a coding agent makes one: streamed text, a tool call and its result, a closing answer. */
function scriptFor(turns, ScriptedLLM) {
  const steps = [];
  for (let i = 0; i < turns; i++) {
    steps.push({ text: `Let me look at file_${i}.ts and check what the function does before changing it.`, toolCalls: [{ name: 'add', args: { a: i, b: 1 } }], chunkSize: 8 });
    steps.push({ text: `The result is ${i + 1}. The function handles the edge case correctly, so no change is needed here.\n\nNext I would run the tests.`, chunkSize: 8 });
  }
  return new ScriptedLLM(steps);
}

/** Record a session of about `events` events; returns its path and the events as emitted. */
export async function recordSession(lib, dir, events, name = 'bench.kohakutr') {
  const { Agent, ScriptedLLM, add } = lib;
  const path = join(dir, name);
  // The log keeps about 12 events of a turn with this script (streamed pieces are merged): turns run
  // until it holds `events`, checked every 10 turns; the script has room for more.
  const turns = Math.ceil(events / 4);
  const agent = await Agent.build('@kt-biome/creatures/general', { llm: scriptFor(turns, ScriptedLLM), tools: [add], session: path, pwd: dir });
  const seen = [];
  agent.on((e) => seen.push(e));
  const stored = () => {
    const store = lib.SessionStore.open(path, { readonly: true });
    try {
      return store.lastEventId();
    } finally {
      store.close();
    }
  };
  for (let i = 0; i < turns; i++) {
    if (i % 10 === 0 && i > 0 && stored() >= events) break;
    await agent.run(`Please check step ${i} of the plan and tell me if anything must change.`);
  }
  await agent.stop();
  return { path, seen };
}

export async function sessionFigures(lib, { quick, ktBin, env }) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bench-sessions-'));
  try {
    const { path: source, seen } = await recordSession(lib, dir, quick ? 2_000 : 10_000);

    // Append: the recorded events, re-stamped, into a fresh store; committed every 1000 (batched).
    const total = quick ? 20_000 : 100_000;
    const appendRuns = [];
    for (let run = 0; run < (quick ? 2 : 4); run++) {
      const store = lib.SessionStore.create(join(dir, `append-${run}.kohakutr`), { sessionId: 's', kind: 'agent', configRef: 'bench', pwd: dir, createdAt: 0, lastActive: 0, agents: ['general'], turns: 0 });
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const event = seen[i % seen.length];
        store.append({ ...event, seq: i + 1 }, { turn: 1 + Math.floor(i / 36), branch: 1 });
        if (i % 1000 === 999) store.flush();
      }
      store.flush();
      appendRuns.push(total / ((performance.now() - t0) / 1000));
      store.close();
    }

    // Size: the file (checkpointed on close) against the JSON of the same events.
    const json = seen.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0);
    const size = statSync(source).size;

    // Durability: from turn.end on the bus until another connection sees it.
    const durable = [];
    {
      const path = join(dir, 'durable.kohakutr');
      const agent = await lib.Agent.build('@kt-biome/creatures/general', { llm: scriptFor(20, lib.ScriptedLLM), tools: [lib.add], session: path, pwd: dir });
      await agent.run('warm up');
      const reader = lib.SessionStore.open(path, { readonly: true });
      for (let i = 0; i < 19; i++) {
        let endedAt = 0;
        const off = agent.on('turn.end', () => (endedAt = performance.now()));
        await agent.run(`turn ${i}`);
        off();
        const want = i + 2;
        while (reader.database.prepare("SELECT count(*) AS n FROM events WHERE type = 'turn.end'").get().n < want) await new Promise((r) => setImmediate(r));
        durable.push(performance.now() - endedAt);
      }
      reader.close();
      await agent.stop();
    }

    // Resume: rebuild the creature from the 10k-event file (in process, cold module cache excluded).
    const resumeRuns = [];
    const replayRuns = [];
    const events = lib.SessionStore.open(source, { readonly: true });
    const eventCount = events.lastEventId();
    events.close();
    for (let i = 0; i < (quick ? 3 : 9); i++) {
      const copy = join(dir, `resume-${i}.kohakutr`);
      lib.forkSession(source, copy);
      const t0 = performance.now();
      const agent = await lib.Agent.build('@kt-biome/creatures/general', { llm: new lib.ScriptedLLM([]), tools: [lib.add], session: copy, pwd: dir });
      resumeRuns.push(performance.now() - t0);
      await agent.stop();
      // After a crash there may be no recent snapshot: the whole log is replayed.
      const bare = join(dir, `replay-${i}.kohakutr`);
      lib.forkSession(source, bare);
      const db = lib.SessionStore.open(bare);
      db.database.prepare('DELETE FROM snapshots').run();
      db.close();
      const t1 = performance.now();
      const replayed = await lib.Agent.build('@kt-biome/creatures/general', { llm: new lib.ScriptedLLM([]), tools: [lib.add], session: bare, pwd: dir });
      replayRuns.push(performance.now() - t1);
      await replayed.stop();
    }
    // And as a user sees it: a whole `kt resume` process, restore plus one short turn.
    let processResumeMs = NaN;
    if (ktBin && env) {
      const copy = join(dir, 'resume-process.kohakutr');
      lib.forkSession(source, copy);
      const runs = [];
      for (let i = 0; i < (quick ? 3 : 7); i++) {
        const t0 = performance.now();
        const run = spawnSync(process.execPath, [ktBin, 'resume', copy, '--llm', 'openai/bench', '--mode', 'plain', '-p', 'go on'], { env, encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`kt resume exited ${run.status}: ${run.stderr}`);
        runs.push(performance.now() - t0);
      }
      processResumeMs = median(runs);
    }
    // Memory: a 5,000-message conversation resumed by `kt resume` and by Agent.build (needs lib.tool and lib.z).
    const memory = ktBin && env && lib.tool && lib.z ? await resumeMemoryFigures(lib, { quick, ktBin, env, dir }) : {};

    return {
      appendPerSecond: median(appendRuns),
      appendEvents: total,
      durableP50Ms: median(durable),
      durableMaxMs: Math.max(...durable),
      resumeEvents: eventCount,
      resumeMs: median(resumeRuns),
      replayResumeMs: median(replayRuns),
      processResumeMs,
      ...memory,
      fileBytes: size,
      eventsJsonBytes: json,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
