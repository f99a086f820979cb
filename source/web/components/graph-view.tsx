/**
 * A running terrarium as a graph: creatures on the outer ring (green while
 * working), channels inside (with their message count; the one that carried
 * the latest message is lit), send and listen edges, output wires dashed.
 * An SVG scaled to the page, so it fits 360 px as well as a desktop.
 */
import { useEffect, useState } from 'react';
import { api, type Topology } from '../api.js';
import { emptyGraph, foldSessionEvents, layoutGraph, shownChannels, withMembers, withTopology, type GraphState } from '../state/graph.js';
import { useTeamEvents } from '../state/use-team-events.js';

const TEAM_REFRESH_MS = 3000;

export function GraphView({ sessionId }: { sessionId: string }) {
  // This session's socket and, for a team, every member's (their live session ids come with the topology):
  // a message between two members (swe → reviewer) shows only on theirs, never on the root's.
  const [members, setMembers] = useState<string[]>([]);
  const { state, sockets, update } = useTeamEvents([sessionId, ...members], foldSessionEvents, emptyGraph);
  const status = sockets[sessionId] ?? 'connecting';
  const followed = Object.keys(sockets);
  const live = followed.filter((id) => sockets[id] === 'open').length;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The members' working states come with the topology too, asked again every few seconds while the view is open.
    const load = () =>
      api.topology(sessionId).then(
        (topology) => {
          if (stopped) return;
          update((s) => withTopology(s, topology));
          const ids = memberSessions(topology);
          setMembers((before) => (before.join('\n') === ids.join('\n') ? before : ids));
          if (topology.team) timer = setTimeout(load, TEAM_REFRESH_MS);
        },
        // A server without the topology route: the team's members (if any) and what the events show.
        () =>
          api.session(sessionId).then(
            (session) => {
              if (stopped || !session.team) return;
              update((s) => withMembers(s, session.team?.members.map((m) => m.name) ?? []));
              setMembers(session.team.members.map((m) => m.id));
            },
            () => undefined,
          ),
      );
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [sessionId, update]);
  return (
    <section className="graph">
      <header className="chat-head">
        <h2>Graph</h2>
        <span className={`badge socket-${status}`}>{status}</span>
        {followed.length > 1 ? <span className="muted" aria-label="member sockets">{`${live}/${followed.length} members live`}</span> : null}
        <a href={`#/chat/${encodeURIComponent(sessionId)}`}>chat</a>
      </header>
      <TerrariumGraph graph={state} />
      <ChannelTable graph={state} />
    </section>
  );
}

/** The live session ids of a team's members, in the topology's order (a member added at run time has none). */
export function memberSessions(topology: Pick<Topology, 'creatures'>): string[] {
  return topology.creatures.flatMap((c) => (c.session ? [c.session] : []));
}

export function TerrariumGraph({ graph }: { graph: GraphState }) {
  const { topology } = graph;
  const at = layoutGraph(topology);
  const latest = Object.entries(graph.traffic).reduce<string | null>((best, [name, t]) => (best === null || t.last.at > (graph.traffic[best]?.last.at ?? 0) ? name : best), null);
  const creatureAt = (name: string) => at.creatures[name];
  // An edge to a creature's own direct channel ends at the creature itself.
  const channelAt = (name: string) => at.channels[name] ?? at.creatures[name];
  return (
    <svg className="terrarium" viewBox="0 0 1000 1000" role="img" aria-label={`terrarium graph: ${topology.creatures.length} creatures, ${shownChannels(topology).length} channels`}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="arrowhead" />
        </marker>
      </defs>
      {topology.send.map(([who, ch]) => {
        const a = creatureAt(who);
        const b = channelAt(ch);
        return a && b && who !== ch ? <line key={`s:${who}:${ch}`} className="edge edge-send" x1={a.x} y1={a.y} x2={b.x} y2={b.y} markerEnd="url(#arrow)" /> : null;
      })}
      {topology.listen.map(([who, ch]) => {
        const a = channelAt(ch);
        const b = creatureAt(who);
        return a && b && at.channels[ch] ? <line key={`l:${who}:${ch}`} className="edge edge-listen" x1={a.x} y1={a.y} x2={b.x} y2={b.y} markerEnd="url(#arrow)" /> : null;
      })}
      {topology.wires.map((w) => {
        const a = creatureAt(w.from);
        const b = creatureAt(w.to);
        return a && b ? <line key={`w:${w.id}`} className="edge edge-wire" x1={a.x} y1={a.y} x2={b.x} y2={b.y} markerEnd="url(#arrow)" /> : null;
      })}
      {shownChannels(topology).map((ch) => {
        const p = at.channels[ch.name];
        if (!p) return null;
        const traffic = graph.traffic[ch.name];
        // Wide enough for the name at the 26 px label size (about 15 px a character).
        const width = Math.max(140, 15 * (ch.name.length + 1) + 24);
        return (
          <g key={`c:${ch.name}`} className={`node channel${latest === ch.name ? ' lit' : ''}`} transform={`translate(${p.x} ${p.y})`}>
            <rect x={-width / 2} y={-28} width={width} height={56} rx={10} />
            <text y={-2}>#{ch.name}</text>
            <text y={20} className="small">
              {ch.type === 'queue' ? 'queue' : 'broadcast'} · {traffic?.count ?? 0}
            </text>
          </g>
        );
      })}
      {topology.creatures.map((c) => {
        const p = at.creatures[c.name];
        if (!p) return null;
        return (
          <g key={`n:${c.name}`} className={`node creature${graph.working[c.name] ? ' working' : ''}`} transform={`translate(${p.x} ${p.y})`}>
            <circle r={70} />
            <text y={-4}>{c.name}</text>
            <text y={22} className="small">
              {c.privileged ? '★ ' : ''}
              {graph.working[c.name] ? 'working' : 'idle'}
              {graph.wired[c.name] ? ` · ${graph.wired[c.name]} wired` : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function ChannelTable({ graph }: { graph: GraphState }) {
  const rows = Object.entries(graph.traffic).sort((a, b) => b[1].last.at - a[1].last.at);
  if (rows.length === 0) return <p className="muted">No channel traffic yet.</p>;
  return (
    <ul className="cards traffic">
      {rows.map(([name, t]) => (
        <li key={name} className="traffic-row">
          <b>#{name}</b> <span className="muted">{t.count} messages · last from {t.last.sender}</span>
          <div className="hit-text">{t.last.content}</div>
        </li>
      ))}
    </ul>
  );
}
