/** The whole input path as the Ink app runs it: raw chunks → keys → commands → buffer. */
import { describe, expect, it } from 'vitest';
import { bufferActionFor } from '../../../source/ui/input/edit-commands.js';
import { KeypressParser } from '../../../source/ui/input/keypress.js';
import { resolveCommand } from '../../../source/ui/input/keymap.js';
import { backslashNewline, createBuffer, expandPastes, reduceBuffer, text, type TextBuffer } from '../../../source/ui/input/text-buffer.js';

/** Feed chunks through the pipeline; non-edit commands are collected, `submit` honours a trailing backslash. */
function run(chunks: string[]): { buffer: TextBuffer; other: string[] } {
  const parser = new KeypressParser();
  let buffer = createBuffer();
  const other: string[] = [];
  for (const event of [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.flush()]) {
    const command = resolveCommand(event);
    if (!command) continue;
    if (command === 'submit') {
      const continued = backslashNewline(buffer);
      if (continued) buffer = continued;
      else other.push(`submit:${expandPastes(buffer)}`);
      continue;
    }
    const action = bufferActionFor(command, event);
    if (action) buffer = reduceBuffer(buffer, action);
    else other.push(command);
  }
  return { buffer, other };
}

describe('input pipeline', () => {
  it('edits a prompt from raw terminal input', () => {
    const { buffer, other } = run(['hello wor', 'ld', '\x17', 'there', '\x1b[13;2u', 'next \x1b[D\x1b', '[D', '\x7f']);
    expect(text(buffer)).toBe('hello there\nnet ');
    expect(other).toEqual([]);
  });

  it('turns backslash-Enter into a newline and Enter into submit', () => {
    const { other } = run(['one\\', '\r', 'two', '\r']);
    expect(other).toEqual(['submit:one\ntwo']);
  });

  it('submits a long paste expanded, and passes UI commands through', () => {
    const long = Array.from({ length: 10 }, (_, i) => `row ${i}`).join('\r\n');
    const { buffer, other } = run(['see \x1b[200~', long.slice(0, 20), long.slice(20), '\x1b[201~', '\x12', '\r', '\x1b']);
    expect(text(buffer)).toBe('see [Pasted text #1 +10 lines]');
    expect(other).toEqual(['reverseSearch', `submit:see ${long.replace(/\r\n/g, '\n')}`, 'interrupt']);
  });

  it('Shift+Tab (CSI Z) cycles the approval mode; Tab still completes', () => {
    expect(run(['\x1b[Z', '\t']).other).toEqual(['cycleApprovalMode', 'complete']);
  });

  it('ignores editing commands given the wrong kind of event', () => {
    expect(bufferActionFor('insert', { kind: 'paste', text: 'x' })).toBeUndefined();
    expect(bufferActionFor('submit', { kind: 'paste', text: 'x' })).toBeUndefined();
  });
});
