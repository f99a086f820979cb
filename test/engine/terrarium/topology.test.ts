/** Topology as data: which creatures form one graph. */
import { describe, expect, it } from 'vitest';
import { Topology } from '../../../source/engine/terrarium/topology.js';

function team(names: string[]): Topology {
  const t = new Topology();
  for (const name of names) {
    t.addCreature({ name, privileged: false });
    t.addChannel({ name, type: 'broadcast', description: '' });
    t.setListen(name, name, true);
  }
  return t;
}

describe('Topology.components', () => {
  it('a creature alone on its direct channel joins nobody', () => {
    expect(team(['a', 'b']).components()).toEqual([['a'], ['b']]);
  });

  it('sending to another creature\'s direct channel connects the two (an ad-hoc team talks that way)', () => {
    const t = team(['root', 'worker', 'idle']);
    t.setSend('root', 'worker', true);
    expect(t.components()).toEqual([['root', 'worker'], ['idle']]);
  });

  it('a shared channel and a wire connect too', () => {
    const t = team(['a', 'b', 'c']);
    t.addChannel({ name: 'chat', type: 'broadcast', description: '' });
    t.setListen('a', 'chat', true);
    t.setSend('b', 'chat', true);
    t.addWire({ id: 'w', from: 'b', to: 'c', withContent: true, allowSelfTrigger: false });
    expect(t.components()).toEqual([['a', 'b', 'c']]);
  });

  it('members of one recipe share a graph even where no edge joins them', () => {
    const t = team(['alpha', 'beta']);
    t.addCreature({ name: 'alpha', privileged: false, recipe: 'duo' });
    t.addCreature({ name: 'beta', privileged: false, recipe: 'duo' });
    t.addCreature({ name: 'stray', privileged: false });
    expect(t.components()).toEqual([['alpha', 'beta'], ['stray']]);
  });
});
