import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockExtractor, splitText, summarizeArgs, type Block, type ExtractorState } from '../../../../source/engine/session/search/blocks.js';
import type { StoredEvent } from '../../../../source/engine/session/store.js';
import { debuggingSession, SessionBuilder, tempDir } from './fixtures.js';

const open: SessionBuilder[] = [];
afterEach(() => {
  for (const b of open.splice(0)) b.close();
});

function loggedEvents(builder: SessionBuilder): StoredEvent[] {
  open.push(builder);
  return [...builder.store.events()];
}

function extractAll(events: StoredEvent[], state?: ExtractorState): Block[] {
  const extractor = new BlockExtractor(state);
  return events.flatMap((e) => extractor.add(e));
}

const brief = (b: Block) => `${b.round}.${b.block} ${b.kind}${b.tool ? `:${b.tool}` : ''} (${b.creature})`;

describe('block extraction', () => {
  it('groups a realistic session into rounds of user, tool, text and trigger blocks', () => {
    const blocks = extractAll(loggedEvents(debuggingSession(join(tempDir(), 's.kohakutr'))));
    expect(blocks.map(brief)).toEqual([
      '1.0 user (swe)',
      '1.1 tool:grep (swe)',
      '1.2 tool:read (swe)',
      '1.3 text (swe)',
      '2.0 user (swe)',
      '2.1 tool:edit (swe)',
      '2.2 tool:bash (swe)',
      // The sub-agent works inside its creature's round, under its own label.
      '2.3 user (swe/explore)',
      '2.4 tool:grep (swe/explore)',
      '2.5 text (swe/explore)',
      // A long answer is split by paragraph.
      '2.6 text (swe)',
      '2.7 text (swe)',
      '2.8 text (swe)',
      // The trigger and the turn it started are one round with one block.
      '3.0 trigger (swe)',
      '3.1 text (swe)',
    ]);
  });

  it('writes tool blocks as [tool:name] k=v then the result, errors marked', () => {
    const blocks = extractAll(loggedEvents(debuggingSession(join(tempDir(), 's.kohakutr'))));
    const grep = blocks.find((b) => b.tool === 'grep');
    expect(grep?.content).toBe('[tool:grep] pattern=refreshToken path=src/auth\nsrc/auth/session.ts:42:  const token = refreshToken(old);\nsrc/auth/session.ts:57:  cache.set(token);');
    const bash = blocks.find((b) => b.tool === 'bash');
    expect(bash?.content).toBe('[tool:bash] command=npm test\n(error) FAIL test/auth.test.ts\n  expected 200, received 401');
    expect(blocks.find((b) => b.kind === 'trigger')?.content).toBe('[trigger:timer] Daily reminder: summarise what changed today');
  });

  it('records where each block came from: event id, time, turn and branch', () => {
    const events = loggedEvents(debuggingSession(join(tempDir(), 's.kohakutr')));
    const blocks = extractAll(events);
    for (const block of blocks) {
      const source = events.find((e) => e.id === block.eventId);
      expect(source).toBeDefined();
      expect(block.ts).toBe(source?.event.ts);
      expect(block.turn).toBe(source?.turn);
      expect(block.branch).toBe(source?.branch);
    }
    expect(blocks[0]).toMatchObject({ kind: 'user', turn: 1, branch: 1 });
  });

  it('caps tool blocks at 1000 characters', () => {
    const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
    b.user('read the log').tool('read', { path: 'big.log' }, 'x'.repeat(5000)).flush();
    const [, tool] = extractAll(loggedEvents(b));
    expect(tool?.content.length).toBe(1000);
    expect(tool?.content.endsWith('…')).toBe(true);
  });

  it('indexes a channel message as a trigger block and opens a round with it', () => {
    const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
    b.user('hello').say('hi').channel('team', 'alice', 'deploy is done').say('noted').flush();
    expect(extractAll(loggedEvents(b)).map((x) => `${brief(x)} ${x.content}`)).toEqual([
      '1.0 user (swe) hello',
      '1.1 text (swe) hi',
      '2.0 trigger (swe) [channel:team] alice: deploy is done',
      '2.1 text (swe) noted',
    ]);
  });

  it('a turn started by a trigger without a logged trigger event is one trigger block', () => {
    const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
    b.user('wake up', { source: 'trigger' }).say('awake').user('and again', { source: 'trigger' }).flush();
    expect(extractAll(loggedEvents(b)).map((x) => `${brief(x)} ${x.content}`)).toEqual([
      '1.0 trigger (swe) [trigger] wake up',
      '1.1 text (swe) awake',
      '2.0 trigger (swe) [trigger] and again',
    ]);
  });

  it('yields the same blocks however the log is cut into runs (state survives JSON)', () => {
    const events = loggedEvents(debuggingSession(join(tempDir(), 's.kohakutr')));
    const whole = extractAll(events);
    for (let cut = 0; cut <= events.length; cut++) {
      const first = new BlockExtractor();
      const head = events.slice(0, cut).flatMap((e) => first.add(e));
      const state = JSON.parse(JSON.stringify(first.snapshot())) as ExtractorState;
      expect([...head, ...extractAll(events.slice(cut), state)]).toEqual(whole);
    }
  });
});

describe('splitText', () => {
  it('keeps short text whole and drops empty text', () => {
    expect(splitText('  short answer  ')).toEqual(['short answer']);
    expect(splitText(' \n\n ')).toEqual([]);
  });

  it('splits long text by paragraph, packing neighbours up to about 300 characters', () => {
    const [a, b, c] = ['a'.repeat(200), 'b'.repeat(200), 'c'.repeat(200)];
    expect(splitText([a, b, c].join('\n\n'))).toEqual([a, b, c]);
    const small = ['one', 'two', 'three', 'x'.repeat(290), 'y'.repeat(200)].join('\n\n');
    expect(splitText(small)).toEqual([`one\n\ntwo\n\nthree\n\n${'x'.repeat(290)}`, 'y'.repeat(200)]);
  });

  it('never leaves a heading or a closing line alone', () => {
    const body = 'b'.repeat(295);
    const next = 'c'.repeat(250);
    expect(splitText(['Summary:', body, next, 'Done.'].join('\n\n'))).toEqual([`Summary:\n\n${body}`, `${next}\n\nDone.`]);
  });

  it('cuts a paragraph longer than the block limit at spaces', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const pieces = splitText(words);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(1000);
    expect(pieces.join(' ')).toBe(words);
  });
});

describe('summarizeArgs', () => {
  it('writes key=value pairs on one line, values cut short', () => {
    expect(summarizeArgs({ command: 'ls -la\n  /tmp', timeout: 30, flags: ['a', 'b'] })).toBe('command=ls -la /tmp timeout=30 flags=["a","b"]');
    expect(summarizeArgs({ content: 'y'.repeat(500) })).toBe(`content=${'y'.repeat(119)}…`);
    expect(summarizeArgs(undefined)).toBe('');
    expect(summarizeArgs('raw text')).toBe('raw text');
  });
});
