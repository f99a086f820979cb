/**
 * The chat's components rendered to HTML on the server (react-dom/server):
 * what a reader would see, without a DOM emulation.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChatItems } from '../../source/web/components/chat-items.js';
import { InteractionDialog } from '../../source/web/components/interaction-dialog.js';
import { LabTables } from '../../source/web/components/lab-view.js';
import type { LabView } from '../../source/web/api.js';
import type { ChatItem } from '../../source/web/state/chat.js';

describe('chat items', () => {
  it('renders the answer as markdown with raw HTML escaped', () => {
    const items: ChatItem[] = [
      { kind: 'user', key: 'u1', text: '<b>hi</b>', source: 'user' },
      { kind: 'assistant', key: 'a1', text: '**done** <img src=x onerror=alert(1)>', streaming: true },
    ];
    const html = renderToStaticMarkup(<ChatItems items={items} />);
    expect(html).toContain('&lt;b&gt;hi&lt;/b&gt;');
    expect(html).toContain('<strong>done</strong>');
    expect(html).not.toContain('<img');
    expect(html).toContain('class="markdown streaming"');
  });

  it('renders a tool block with its command, diff lines and output tail', () => {
    const items: ChatItem[] = [
      { kind: 'tool', key: 't1', callId: 'c1', name: 'bash', args: { command: 'ls -la' }, state: 'running', output: '' },
      { kind: 'tool', key: 't2', callId: 'c2', name: 'edit', args: { path: 'a.ts' }, state: 'ok', output: 'Edited a.ts', diff: '--- a.ts\n+++ a.ts\n@@ -1 +1 @@\n-old\n+new', durationMs: 1500 },
    ];
    const html = renderToStaticMarkup(<ChatItems items={items} />);
    expect(html).toContain('<code class="tool-args">ls -la</code>');
    expect(html).toContain('<span class="diff-del">-old');
    expect(html).toContain('<span class="diff-add">+new');
    expect(html).toContain('Edited a.ts');
    expect(html).toContain('1.5 s');
  });

  it('nests a sub-agent run’s items', () => {
    const items: ChatItem[] = [
      { kind: 'subagent', key: 's1', jobId: 'j', name: 'explore', task: 'find it', state: 'completed', text: 'found', items: [{ kind: 'tool', key: 't', callId: 'c', name: 'grep', args: { pattern: 'x' }, state: 'ok', output: '' }] },
    ];
    const html = renderToStaticMarkup(<ChatItems items={items} />);
    expect(html).toMatch(/<details class="subagent">.*explore.*find it.*<ol class="items">.*grep.*<\/ol>.*found/s);
  });
});

describe('interaction dialog', () => {
  it('asks to approve a command with its arguments', () => {
    const html = renderToStaticMarkup(<InteractionDialog interaction={{ id: 'i', kind: 'approval', creatureId: 'c', payload: { tool: 'bash', effect: 'execute', args: { command: 'rm -rf build' } } }} onAnswer={() => {}} />);
    expect(html).toContain('Allow <b>bash</b> to run?');
    expect(html).toContain('rm -rf build');
    expect(html).toMatch(/Approve.*Always.*Deny/s);
  });

  it('offers the choices of a question', () => {
    const html = renderToStaticMarkup(<InteractionDialog interaction={{ id: 'i', kind: 'ask', creatureId: 'c', payload: { question: 'Which?', choices: ['a', 'b'] } }} onAnswer={() => {}} />);
    expect(html).toContain('Which?');
    expect(html).toMatch(/<button>a<\/button><button>b<\/button>/);
  });
});

describe('lab view', () => {
  const rows = (html: string, table: string) => [...(html.match(new RegExp(`aria-label="${table}".*?<tbody>(.*?)</tbody>`, 's'))?.[1] ?? '').matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => [...m[1]!.matchAll(/<td>(.*?)<\/td>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));

  it('lists the workers with load and labels, and the creatures with worker, graph, state and epoch', () => {
    const view: LabView = {
      lab: 'east',
      workers: [
        { node: 'gpu-1', capacity: 4, labels: { gpu: 'a100', zone: 'b' }, load: 2, creatures: ['swe', 'reviewer'], status: 'alive', lastSeen: 1 },
        { node: 'cpu-7', capacity: 2, labels: {}, load: 0, creatures: [], status: 'failed', lastSeen: 1 },
      ],
      creatures: [
        { name: 'swe', graph: 'team one', node: 'gpu-1', status: 'running', epoch: 1 },
        { name: 'reviewer', graph: 'team one', node: 'gpu-1', status: 'restarting', epoch: 3 },
      ],
    };
    const html = renderToStaticMarkup(<LabTables view={view} />);
    expect(html).toContain('east');
    expect(rows(html, 'workers')).toEqual([
      ['gpu-1', 'alive', '2/4', 'gpu=a100, zone=b'],
      ['cpu-7', 'failed', '0/2', '—'],
    ]);
    expect(rows(html, 'lab creatures')).toEqual([
      ['swe', 'gpu-1', 'team one', 'running', '1'],
      ['reviewer', 'gpu-1', 'team one', 'restarting', '3'],
    ]);
    expect(html).toContain('<span class="badge state-failed">failed</span>');
  });

  it('says when the lab is empty, and when the server hosts none', () => {
    const empty = renderToStaticMarkup(<LabTables view={{ lab: 'east', workers: [], creatures: [] }} />);
    expect(empty).toContain('No worker has joined yet.');
    expect(empty).toContain('No creature placed.');
    expect(empty).not.toContain('<table');
    expect(renderToStaticMarkup(<LabTables view={{ lab: null, workers: [], creatures: [] }} />)).toContain('This server hosts no lab.');
  });
});
