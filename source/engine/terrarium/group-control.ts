/**
 * What a member's group tools act on: its team, seen from where it stands.
 * Every member may send on the channels it has send edges for and message
 * privileged members directly; only privileged members (the root, a solo
 * creature, ones added as privileged) may change the team. Refusals are
 * plain errors whose message the model reads as the tool's result.
 */
import type { GroupControl, GroupStatus } from '../tools/runtime.js';
import { REPORT_CHANNEL } from './recipe.js';
import type { Terrarium } from './terrarium.js';

export { GROUP_TOOLS, MEMBER_TOOLS } from './group-tools.js';

/** In one process the answers are at hand: status and direct messages are synchronous. */
export type LocalGroupControl = Omit<GroupControl, 'status' | 'direct'> & { status(): GroupStatus; direct(to: string, message: string): { messageId: string } };

export function groupControl(team: Terrarium, self: string): LocalGroupControl {
  const me = () => team.topology.creature(self);
  const privileged = () => me()?.privileged === true;
  const mustBePrivileged = (what: string) => {
    if (!privileged()) throw new Error(`only a privileged member (the team's coordinator) may ${what}; '${self}' is not one`);
  };
  return {
    self,
    get privileged() {
      return privileged();
    },
    send(channel, message, options = {}) {
      if (!team.topology.channel(channel)) throw new Error(`there is no channel '${channel}'; you may send to: ${team.topology.sendsTo(self).join(', ') || 'no channel'}`);
      // The root may speak on every channel it hears; others only where they have a send edge.
      if (!team.topology.canSend(self, channel) && !(privileged() && channel !== REPORT_CHANNEL)) {
        throw new Error(`'${self}' may not send on '${channel}'; you may send to: ${team.topology.sendsTo(self).join(', ') || 'no channel'}`);
      }
      const { message: sent, deliveredTo } = team.hub.send(channel, message, { sender: self, ...(options.replyTo ? { replyTo: options.replyTo } : {}), ...(options.metadata ? { metadata: options.metadata } : {}) });
      return { messageId: sent.id, deliveredTo };
    },
    direct(to, message) {
      const target = team.require(to);
      if (!privileged() && !target.privileged) throw new Error(`'${self}' may message only privileged members directly (${privilegedNames(team).join(', ') || 'none'}); use a channel to reach '${target.name}'`);
      const { message: sent } = team.hub.send(target.name, message, { sender: self, metadata: { direct: true } });
      return { messageId: sent.id };
    },
    status: () => teamStatus(team),
    async addNode(ref, options = {}) {
      mustBePrivileged('add members');
      // An edge to a missing channel would leave a member that hears nothing there; refuse before building it.
      const missing = [...(options.listen ?? []), ...(options.canSend ?? [])].filter((ch) => !team.topology.channel(ch));
      if (missing.length) throw new Error(`there is no channel ${missing.map((ch) => `'${ch}'`).join(', ')}; create it first with group_channel (channels: ${team.topology.channelList().map((c) => c.name).join(', ') || 'none'})`);
      const member = await team.addCreature(ref, { ...options, parent: self, privileged: false });
      return { name: member.name, id: member.id };
    },
    async removeNode(name) {
      mustBePrivileged('remove members');
      const target = team.require(name);
      if (target.privileged) throw new Error(`'${target.name}' is privileged and cannot be removed by a tool`);
      await team.removeCreature(target.name);
    },
    async startNode(name) {
      mustBePrivileged('start members');
      await team.startCreature(name);
    },
    async stopNode(name) {
      mustBePrivileged('stop members');
      if (team.require(name).name === self) throw new Error('a member cannot stop itself');
      await team.stopCreature(name);
    },
    async channel(action, channel, options = {}) {
      mustBePrivileged('change channels');
      if (action === 'create') {
        team.addChannel(channel, { ...(options.description ? { description: options.description } : {}), ...(options.type ? { type: options.type } : {}) });
        return `channel '${channel}' created`;
      }
      if (action === 'delete') return (await team.removeChannel(channel)) ? `channel '${channel}' deleted` : `there is no channel '${channel}'`;
      const creature = options.creature ?? self;
      const on = action === 'wire';
      if ((options.direction ?? 'listen') === 'listen') await team.setListen(creature, channel, on);
      else team.setSend(creature, channel, on);
      return `${creature} ${on ? 'now' : 'no longer'} ${(options.direction ?? 'listen') === 'listen' ? 'listens on' : 'sends to'} '${channel}'`;
    },
    async wire(action, options) {
      mustBePrivileged('change output wires');
      if (action === 'remove') {
        if (!options.edgeId) throw new Error('removing a wire needs its edge_id (see group_status)');
        return team.unwireOutput(options.edgeId) ? `wire ${options.edgeId} removed` : `there is no wire ${options.edgeId}`;
      }
      if (!options.to) throw new Error('adding a wire needs `to`');
      const id = team.wireOutput(options.from ?? self, options.to, {
        ...(options.withContent !== undefined ? { withContent: options.withContent } : {}),
        ...(options.prompt ? { prompt: options.prompt } : {}),
        ...(options.promptFormat ? { promptFormat: options.promptFormat } : {}),
        ...(options.allowSelfTrigger !== undefined ? { allowSelfTrigger: options.allowSelfTrigger } : {}),
      });
      return `wire ${id}: ${options.from ?? self} → ${options.to}`;
    },
  };
}

function privilegedNames(team: Terrarium): string[] {
  return team.listCreatures().filter((m) => m.privileged).map((m) => m.name);
}

export function teamStatus(team: Terrarium): GroupStatus {
  const t = team.topology;
  return {
    team: team.name,
    creatures: team.listCreatures().map((m) => ({
      name: m.name,
      id: m.id,
      state: m.state,
      privileged: m.privileged,
      ...(m.parent ? { parent: m.parent } : {}),
      listen: t.listensTo(m.name),
      canSend: t.sendsTo(m.name),
    })),
    channels: t.channelList().map((c) => ({ name: c.name, type: c.type, description: c.description, listeners: t.listenersOf(c.name) })),
    wires: t.wires().map((w) => ({ id: w.id, from: w.from, to: w.to, withContent: w.withContent })),
  };
}
