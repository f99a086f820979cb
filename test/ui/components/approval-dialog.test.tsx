/**
 * The approval dialog: yes; yes and don't ask again for a command prefix
 * (saved in .kt/settings.json); no, with words for the model.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, tool } from '../../../source/index.js';
import { ScriptedLLM } from '../../../source/testing/index.js';
import { App } from '../../../source/ui/cli/app.js';
import { ApprovalDialog } from '../../../source/ui/components/approval-dialog.js';
import { approvalStep } from '../../../source/ui/components/dialog-keys.js';
import { plainRenderer } from '../../../source/ui/components/render-context.js';
import { createBuffer, defaultKeymap, PromptHistory } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { AgentSlot } from '../../../source/ui/state/agent-slot.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { frame } from '../../helpers/frames.js';
import { until } from '../../helpers/until.js';

const key = (name: string, sequence = name) => ({ kind: 'key' as const, name, sequence, ctrl: false, meta: false, shift: false });
const bash = tool({ name: 'bash', description: 'Pretend to run a command.', effect: 'execute', input: z.object({ command: z.string() }), execute: ({ command }) => `ran ${command}` });


describe('approval dialog', () => {
  it('draws the three choices with the narrow rule, the selection and the "instead" field', () => {
    const request = { tool: 'bash', effect: 'execute' as const, args: { command: 'git status -s' }, agentPath: [] };
    const plain = render(<ApprovalDialog request={request} width={90} rules={['bash(git status:*)']} choice={{ selected: 1, instead: undefined }} />);
    const text = plain.lastFrame()!;
    expect(text).toMatch(/Run this command\?/);
    expect(text).toMatch(/\$ git status -s/);
    expect(text).toMatch(/ {2}1\. Yes \(y\)/);
    expect(text).toMatch(/❯ 2\. Yes, and don’t ask again for bash\(git status:\*\) in this project \(a\)/);
    expect(text).toMatch(/ {2}3\. No, and tell the creature what to do instead \(n\)/);
    const open = render(<ApprovalDialog request={request} width={90} rules={[]} choice={{ selected: 1, instead: createBuffer() }} />);
    expect(open.lastFrame()).not.toMatch(/don’t ask again/);
    expect(open.lastFrame()).toMatch(/instead .*what should it do\?/);
  });

  it('keys: numbers and letters pick, arrows move, Esc says no, Esc in the field goes back', () => {
    const rules = ['bash(ls:*)'];
    const start = { selected: 0, instead: undefined };
    expect(approvalStep(start, key('text', 'y'), 'insert', rules)).toEqual({ kind: 'decide', answer: 'once' });
    expect(approvalStep(start, key('text', '2'), 'insert', rules)).toEqual({ kind: 'decide', answer: { decision: 'always', rules } });
    expect(approvalStep(start, key('text', 'a'), 'insert', [])).toEqual({ kind: 'ignore' });
    expect(approvalStep(start, key('escape'), 'interrupt', rules)).toEqual({ kind: 'decide', answer: 'deny' });
    const down = approvalStep(start, key('down'), 'down', rules);
    expect(down).toEqual({ kind: 'update', choice: { selected: 1, instead: undefined } });
    expect(approvalStep({ selected: 1, instead: undefined }, key('enter'), 'submit', rules)).toEqual({ kind: 'decide', answer: { decision: 'always', rules } });
    const opened = approvalStep(start, key('text', 'n'), 'insert', rules);
    expect(opened).toMatchObject({ kind: 'update', choice: { selected: 2, instead: { lines: [''] } } });
    const field = { selected: 2, instead: createBuffer() };
    expect(approvalStep(field, key('enter'), 'submit', rules)).toEqual({ kind: 'decide', answer: 'deny' });
    expect(approvalStep(field, key('escape'), 'interrupt', rules)).toEqual({ kind: 'update', choice: { selected: 2, instead: undefined } });
  });

  it('in the app: "no" with words reaches the model; "don\'t ask again" saves bash(git status:*) and the next git status runs unasked', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-approval-ui-'));
    const llm = new ScriptedLLM([
      { toolCalls: [{ name: 'bash', args: { command: 'npm install left-pad' } }] },
      { toolCalls: [{ name: 'bash', args: { command: 'git status -s' } }] },
      { toolCalls: [{ name: 'bash', args: { command: 'git status' } }] },
      { text: 'done' },
    ]);
    const agent = await Agent.build({ name: 'ui-test' }, { llm, pwd, tools: [bash] });
    const store = new ViewStore(initialView({ model: 'scripted' }), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 });
    agent.on(store.dispatch);
    const requests: string[] = [];
    agent.on('interaction.request', (e) => requests.push(String((e.payload['args'] as { command: string }).command)));
    const ended = new Promise<string>((resolve) => agent.on('turn.end', (e) => resolve(e.status)));
    const app = render(<App slot={new AgentSlot(agent)} store={store} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
    await until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 0, 'the app to read keys');
    app.stdin.write('set things up\r');

    await frame(app, /\$ npm install left-pad[\s\S]*Yes, and don’t ask again for bash\(npm install:\*\)/);
    app.stdin.write('n');
    await frame(app, /what should it do\?/);
    app.stdin.write('use pnpm instead');
    await frame(app, /instead use pnpm instead/);
    app.stdin.write('\r');

    await frame(app, /\$ git status -s[\s\S]*bash\(git status:\*\)/);
    app.stdin.write('a');
    expect(await ended).toBe('completed');
    expect(requests).toEqual(['npm install left-pad', 'git status -s']);
    const results = llm.lastRequest!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results).toEqual(['Error: the user did not allow this bash call and said what to do instead: use pnpm instead', 'ran git status -s', 'ran git status']);
    expect(JSON.parse(readFileSync(join(pwd, '.kt', 'settings.json'), 'utf8'))).toEqual({ permissions: { allow: ['bash(git status:*)'], deny: [] } });
    app.unmount();
    await agent.stop();
  });
});
