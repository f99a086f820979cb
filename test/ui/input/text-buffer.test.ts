import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  atFirstLine,
  atLastLine,
  backslashNewline,
  createBuffer,
  cursorDisplayColumn,
  expandPastes,
  reduceBuffer,
  text,
  type BufferAction,
  type TextBuffer,
} from '../../../source/ui/input/text-buffer.js';

type Step = BufferAction | BufferAction['type'];

function apply(buffer: TextBuffer, ...steps: Step[]): TextBuffer {
  return steps.reduce<TextBuffer>((b, step) => reduceBuffer(b, typeof step === 'string' ? ({ type: step } as BufferAction) : step), buffer);
}

const type = (text: string): BufferAction => ({ type: 'insert', text });

/** The text with a `|` at the cursor. */
function show(buffer: TextBuffer): string {
  const lines = [...buffer.lines];
  const line = lines[buffer.row] as string;
  lines[buffer.row] = `${line.slice(0, buffer.col)}|${line.slice(buffer.col)}`;
  return lines.join('\n');
}

describe('text buffer: typing and deleting', () => {
  it('inserts at the cursor, splitting inserted line breaks into lines', () => {
    const b = apply(createBuffer(), type('hello'), 'left', 'left', type('XY'));
    expect(show(b)).toBe('helXY|lo');
    expect(show(apply(b, type('1\r\n2\n3')))).toBe('helXY1\n2\n3|lo');
  });

  it('newline splits the line; backspace at a line start joins it back', () => {
    const b = apply(createBuffer('abcd'), 'left', 'left', 'newline');
    expect(show(b)).toBe('ab\n|cd');
    expect(atFirstLine(b)).toBe(false);
    expect(show(apply(b, 'backspace'))).toBe('ab|cd');
  });

  it('delete removes the next character, or joins the next line at a line end', () => {
    expect(show(apply(createBuffer('ab\ncd'), 'up', 'end', 'delete'))).toBe('ab|cd');
    expect(show(apply(createBuffer('abc'), 'home', 'delete'))).toBe('|bc');
  });

  it('returns the same object when nothing changes', () => {
    const empty = createBuffer();
    expect(reduceBuffer(empty, { type: 'backspace' })).toBe(empty);
    expect(reduceBuffer(empty, { type: 'delete' })).toBe(empty);
    expect(reduceBuffer(empty, { type: 'left' })).toBe(empty);
    expect(reduceBuffer(empty, { type: 'insert', text: '' })).toBe(empty);
  });

  it('strips control characters and escape sequences from inserted text, keeping tabs', () => {
    expect(text(apply(createBuffer(), type('a\x1b[31mred\x1b[0m\x07\tb')))).toBe('ared\tb');
  });
});

describe('text buffer: graphemes and display columns', () => {
  it('moves over a CJK character, an emoji with modifiers and a ZWJ family as one step each', () => {
    const b = createBuffer('a日👍🏽👨‍👩‍👧é');
    const steps = [b];
    for (let i = 0; i < 5; i++) steps.push(reduceBuffer(steps.at(-1) as TextBuffer, { type: 'left' }));
    expect(steps.map((s) => s.col)).toEqual([15, 14, 6, 2, 1, 0]);
    expect(steps.map(cursorDisplayColumn)).toEqual([8, 7, 5, 3, 1, 0]);
  });

  it('backspace deletes a whole grapheme', () => {
    expect(text(apply(createBuffer('x👨‍👩‍👧'), 'backspace'))).toBe('x');
    expect(text(apply(createBuffer('中文'), 'backspace'))).toBe('中');
    expect(text(apply(createBuffer('e\u0301'), 'backspace'))).toBe('');
  });

  it('up/down keep the display column across wide characters and short lines', () => {
    const b = apply(createBuffer('漢字漢字\nab\nabcdefgh'), 'left', 'left');
    expect(cursorDisplayColumn(b)).toBe(6);
    const up = apply(b, 'up');
    expect(show(up)).toBe('漢字漢字\nab|\nabcdefgh');
    const upAgain = apply(up, 'up');
    expect(show(upAgain)).toBe('漢字漢|字\nab\nabcdefgh');
    expect(show(apply(upAgain, 'down', 'down'))).toBe('漢字漢字\nab\nabcdef|gh');
  });

  it('a wide character the goal column falls inside is not entered', () => {
    expect(show(apply(createBuffer('漢字\nabc'), 'left', 'left', 'up'))).toBe('|漢字\nabc');
    expect(show(apply(createBuffer('漢字\nabc'), 'up'))).toBe('漢|字\nabc');
  });

  it('up on the first line and down on the last leave the buffer for history', () => {
    const b = createBuffer('one\ntwo');
    expect(atLastLine(b)).toBe(true);
    expect(reduceBuffer(b, { type: 'down' })).toBe(b);
    const top = apply(b, 'up');
    expect(atFirstLine(top)).toBe(true);
    expect(reduceBuffer(top, { type: 'up' })).toBe(top);
  });

  it('the cursor is on a grapheme boundary and outside placeholders after any sequence of edits', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const action = fc.oneof(
      fc.constantFrom<BufferAction['type']>('left', 'right', 'up', 'down', 'home', 'end', 'backspace', 'delete', 'newline', 'wordLeft', 'wordRight', 'deleteWordBackward', 'killToEnd', 'killToStart').map((t) => ({ type: t }) as BufferAction),
      fc.constantFrom('a', '日本', '👨‍👩‍👧', 'e\u0301', ' ', 'x y\nz').map(type),
      fc.constant<BufferAction>({ type: 'paste', text: '1\n2\n3\n4\n5\n6' }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const b = actions.reduce(reduceBuffer, createBuffer());
        const line = b.lines[b.row] as string;
        const boundaries = [...segmenter.segment(line)].map((s) => s.index).concat(line.length);
        expect(boundaries).toContain(b.col);
        for (const placeholder of b.pastes.keys()) {
          for (let at = line.indexOf(placeholder); at >= 0; at = line.indexOf(placeholder, at + 1)) {
            expect(b.col <= at || b.col >= at + placeholder.length).toBe(true);
          }
        }
      }),
    );
  });
});

describe('text buffer: words and kills', () => {
  it('moves by words and deletes the previous word', () => {
    const b = createBuffer('git commit -m "fix it"');
    expect(show(apply(b, 'wordLeft'))).toBe('git commit -m "fix |it"');
    expect(show(apply(b, 'wordLeft', 'wordLeft', 'wordLeft'))).toBe('git commit -|m "fix it"');
    expect(show(apply(b, 'home', 'wordRight', 'wordRight'))).toBe('git commit| -m "fix it"');
    expect(show(apply(b, 'deleteWordBackward'))).toBe('git commit -m "fix |');
    expect(show(apply(createBuffer('one two  '), 'deleteWordBackward'))).toBe('one |');
  });

  it('word moves cross line breaks', () => {
    expect(show(apply(createBuffer('ab\ncd'), 'home', 'wordLeft'))).toBe('ab|\ncd');
    expect(show(apply(createBuffer('ab\ncd'), 'up', 'end', 'wordRight'))).toBe('ab\n|cd');
  });

  it('kills to the end and the start of the line, taking the line break at the edge', () => {
    const b = apply(createBuffer('hello world\nnext'), 'up', 'home', 'wordRight');
    expect(show(apply(b, 'killToEnd'))).toBe('hello|\nnext');
    expect(show(apply(b, 'killToEnd', 'killToEnd'))).toBe('hello|next');
    expect(show(apply(b, 'killToStart'))).toBe('| world\nnext');
    expect(show(apply(createBuffer('a\nb'), 'home', 'killToStart'))).toBe('a|b');
  });

  it('home/end work on the current line; clear and set replace everything', () => {
    const b = createBuffer('one\ntwo');
    expect(show(apply(b, 'home'))).toBe('one\n|two');
    expect(show(apply(b, 'up', 'end'))).toBe('one|\ntwo');
    expect(show(apply(b, 'clear'))).toBe('|');
    expect(show(apply(b, { type: 'set', text: 'new\ntext' }))).toBe('new\ntext|');
  });

  it('backslash then Enter becomes a newline', () => {
    const b = createBuffer('first line\\');
    expect(show(backslashNewline(b) as TextBuffer)).toBe('first line\n|');
    expect(backslashNewline(createBuffer('no backslash'))).toBeUndefined();
  });
});

describe('text buffer: pasted text', () => {
  const long = Array.from({ length: 42 }, (_, i) => `line ${i + 1}`).join('\n');

  it('inserts short pastes as they are', () => {
    const b = apply(createBuffer('say: '), { type: 'paste', text: 'one\r\ntwo' });
    expect(text(b)).toBe('say: one\ntwo');
    expect(b.pastes.size).toBe(0);
  });

  it('stands a long paste in as a placeholder and puts it back on submit', () => {
    const b = apply(createBuffer('look at '), { type: 'paste', text: long }, type(' please'));
    expect(text(b)).toBe('look at [Pasted text #1 +42 lines] please');
    expect(expandPastes(b)).toBe(`look at ${long} please`);
  });

  it('collapses a single line over 800 characters, numbering pastes in order', () => {
    const wide = 'x'.repeat(801);
    const b = apply(createBuffer(), { type: 'paste', text: long }, type(' '), { type: 'paste', text: wide });
    expect(text(b)).toBe('[Pasted text #1 +42 lines] [Pasted text #2 801 chars]');
    expect(expandPastes(b)).toBe(`${long} ${wide}`);
    expect(text(apply(createBuffer(), { type: 'paste', text: 'x'.repeat(800) }))).toHaveLength(800);
    expect(text(apply(createBuffer(), { type: 'paste', text: 'a\nb\nc\nd\ne\n' }))).toBe('a\nb\nc\nd\ne\n');
  });

  it('removes a placeholder whole with one backspace, or one delete before it', () => {
    const b = apply(createBuffer('a '), { type: 'paste', text: long });
    expect(show(apply(b, 'backspace'))).toBe('a |');
    expect(show(apply(b, 'left', 'delete'))).toBe('a |');
  });

  it('moves over a placeholder as one step and as one word', () => {
    const b = apply(createBuffer('a '), { type: 'paste', text: long }, type(' b'));
    expect(show(apply(b, 'left', 'left', 'left'))).toBe('a |[Pasted text #1 +42 lines] b');
    expect(apply(b, 'home', 'right', 'right', 'right').col).toBe(2 + '[Pasted text #1 +42 lines]'.length);
    expect(show(apply(b, 'wordLeft'))).toBe('a [Pasted text #1 +42 lines] |b');
    expect(show(apply(b, 'wordLeft', 'deleteWordBackward'))).toBe('a |b');
  });

  it('does not re-expand placeholder-looking text inside a paste', () => {
    const tricky = `${long}\n[Pasted text #2 +6 lines]`;
    const b = apply(createBuffer(), { type: 'paste', text: tricky }, type(' '), { type: 'paste', text: 'a\nb\nc\nd\ne\nf' });
    expect(expandPastes(b)).toBe(`${tricky} a\nb\nc\nd\ne\nf`);
  });

  it('keeps pastes across set (a recalled draft) and drops them on clear', () => {
    const b = apply(createBuffer(), { type: 'paste', text: long });
    const draft = text(b);
    const recalled = apply(b, { type: 'set', text: 'older prompt' }, { type: 'set', text: draft });
    expect(expandPastes(recalled)).toBe(long);
    const cleared = apply(b, 'clear');
    expect(cleared.pastes.size).toBe(0);
    expect(text(apply(cleared, { type: 'paste', text: long }))).toBe('[Pasted text #2 +42 lines]');
  });
});
