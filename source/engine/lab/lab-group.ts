/**
 * The group tools of a creature on a lab worker. Sending on a channel is
 * decided here, as in one process (the worker's topology holds the
 * creature's edges and the graph's channels; the hub carries the message
 * across nodes). Everything that needs the whole graph — status, a direct
 * message's privilege check, adding, removing, pausing members, channels and
 * wires — is a request to the host, which places and tells the workers.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { groupControl } from '../terrarium/group-control.js';
import type { Terrarium } from '../terrarium/terrarium.js';
import type { GroupControl, GroupStatus } from '../tools/runtime.js';
import { decode, encode } from './connect.js';
import type { GroupCall, GroupRequest } from './graph-protocol.js';
import type { Reply } from './protocol.js';
import type { LabSubjects } from './subjects.js';

export function labGroupControl(team: Terrarium, self: string, lab: { nc: NatsConnection; subjects: LabSubjects; graphOf(name: string): string | undefined }): GroupControl {
  const local = groupControl(team, self);
  const ask = async <T>(call: GroupCall): Promise<T> => {
    const graph = lab.graphOf(self);
    if (!graph) throw new Error(`'${self}' is not placed in a lab graph`);
    const request: GroupRequest = { op: 'group', graph, from: self, ...call };
    let reply: Reply<T>;
    try {
      reply = decode<Reply<T>>((await lab.nc.request(lab.subjects.host, encode(request), { timeout: 120_000 })).data);
    } catch (error) {
      throw new Error(`the lab host did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  };
  return {
    self,
    get privileged() {
      return local.privileged;
    },
    send: (channel, message, options) => local.send(channel, message, options),
    async direct(to, message) {
      // The host knows where `to` is and whether it is privileged; the hub finds its direct channel on its node.
      await ask({ call: 'direct', to });
      const { message: sent } = team.hub.send(to, message, { sender: self, metadata: { direct: true } });
      return { messageId: sent.id };
    },
    status: () => ask<GroupStatus>({ call: 'status' }),
    addNode: (ref, options = {}) => ask({ call: 'add', ref, options }),
    removeNode: (name) => ask({ call: 'remove', name }),
    startNode: (name) => ask({ call: 'start', name }),
    stopNode: (name) => ask({ call: 'stop', name }),
    channel: (action, channel, options = {}) => ask({ call: 'channel', action, channel, options }),
    wire: (action, options) => ask({ call: 'wire', action, options }),
  };
}
