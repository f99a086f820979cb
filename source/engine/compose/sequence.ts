/**
 * Sequence: each step's output is the next step's input. Nested sequences
 * flatten (`a.pipe(b).pipe(c)` is one sequence of three), so paths stay
 * short and a long chain costs one loop, not a tower of wrappers.
 */
import { OutputRejectedError } from './errors.js';
import { at, type Node } from './node.js';

interface SeqNode extends Node<unknown, unknown> {
  readonly children: readonly Node[];
}

const isSeq = (node: Node): node is SeqNode => node.label === 'seq' && Array.isArray((node as SeqNode).children);

export function seqNode(nodes: readonly Node[]): Node<unknown, unknown> {
  const children = nodes.flatMap((n) => (isSeq(n) ? n.children : [n]));
  const node: SeqNode = {
    label: 'seq',
    children,
    async exec(input, exec) {
      let value = input;
      for (let i = 0; i < children.length; i++) value = await (children[i] as Node).exec(value, at(exec, String(i)));
      return value;
    },
  };
  return node;
}

/** The inner step, whose output fails the run when `predicate` says so (so `fallback`/`retry` take over). */
export function failsWhenNode(inner: Node, predicate: (output: unknown) => boolean | PromiseLike<boolean>, reason?: string): Node {
  return {
    label: inner.label,
    async exec(input, exec) {
      const output = await inner.exec(input, exec);
      if (await predicate(output)) throw new OutputRejectedError([...exec.path, inner.label], output, reason);
      return output;
    },
  };
}
