/**
 * What a creature offers its tools beyond one call: its background jobs, the
 * docs of everything it can use, its skills, and a way to ask the person at
 * the UI. Every part is optional: a tool checks for what it needs and fails
 * with a clear message when the host does not provide it (a pipe has nobody
 * to ask; a bare test executor has no jobs).
 */

import type { JobKind, JobStatus } from '../events.js';
import type { ContentPart } from '../llm/messages.js';

export type { JobKind, JobStatus } from '../events.js';

/** A background job as tools and the UI see it. */
export interface JobSnapshot {
  jobId: string;
  kind: JobKind;
  /** The tool or sub-agent name. */
  name: string;
  /** One line saying what it is doing (the arguments or the task, shortened). */
  summary: string;
  status: JobStatus;
  startedAt: number;
  endedAt?: number;
  /** The result text once it ended. */
  output?: string;
  isError?: boolean;
}

export interface JobControl {
  /** Every job this creature started (running first, then the most recent). */
  list(): JobSnapshot[];
  get(jobId: string): JobSnapshot | undefined;
  /** Resolves when the job ends, or with its current state when `timeoutMs` passes first. */
  wait(jobId: string, options: { signal: AbortSignal; timeoutMs?: number }): Promise<JobSnapshot>;
  /** Cancel a running job. False when there is no such job or it already ended. */
  stop(jobId: string): boolean;
}

/** Skills as tools see them. */
export interface SkillView {
  /** Names the model may invoke. */
  names(): string[];
  /** The instructions of a skill the model may invoke; undefined otherwise. */
  body(name: string): string | undefined;
}

export interface AskOptions {
  signal: AbortSignal;
  /** Offered answers, when the question has a fixed set. */
  choices?: readonly string[];
}

export interface ToolRuntime {
  readonly jobs?: JobControl;
  /** Full documentation of a tool, sub-agent or skill by name (for `info`). */
  describe?(name: string): string | undefined;
  /** Every name `describe` knows. */
  describable?(): string[];
  readonly skills?: SkillView;
  /** `web.allow_private` of the creature: web tools may reach loopback, link-local and private addresses. */
  allowPrivateNetwork?: boolean;
  /** Who answers the creature's questions (`ask_user`); not `available` when nobody can (pipes, CI). */
  interactions?: QuestionPort;
  /** Services plugins offer to tools, by name (a sandboxed process runner, ...). */
  services?(): Record<string, unknown>;
  /** The creature's triggers, for the setup tools the model schedules its own work with. */
  triggers?: TriggerControl;
  /** The creature's team, when it is a member of a terrarium (the group tools). */
  group?: GroupControl;
  /** The creature's MCP servers (the `mcp_*` tools); set when the creature has any, or may connect some. */
  mcp?: McpControl;
}

/** An MCP server as the `mcp_*` tools and `/mcp` see it. */
export interface McpServerView {
  name: string;
  transport: string;
  state: 'connecting' | 'connected' | 'failed' | 'disconnected';
  tools: number;
  prompts: number;
  lastError?: string;
  pid?: number;
}

/** A tool of a connected MCP server. */
export interface McpToolView {
  server: string;
  name: string;
  description?: string;
  /** Its JSON schema, as the server gave it. */
  inputSchema: Record<string, unknown>;
  readOnly: boolean;
}

/** What the creature's MCP servers offer its tools. Every method throws a plain Error with a message the model can act on. */
export interface McpControl {
  servers(): McpServerView[];
  tools(server?: string): McpToolView[];
  call(server: string, tool: string, args: Record<string, unknown>, context: { signal: AbortSignal; emit(progress: { text?: string; data?: unknown }): void }): Promise<{ output: string | ContentPart[]; isError?: boolean }>;
  /** Connect a server given as an `mcp_servers:` entry (or a catalog name); resolves with its state. */
  connect(entry: string | Record<string, unknown>): Promise<McpServerView>;
  disconnect(server: string): Promise<boolean>;
  readResource(server: string, uri: string): Promise<ContentPart[]>;
  resources(server?: string): Promise<Array<{ server: string; uri: string; name: string; mimeType?: string; description?: string }>>;
  /** The prompts connected servers offer (the terminal app shows them as `/mcp__<server>__<prompt>`). */
  prompts(): Array<{ server: string; name: string; description?: string; arguments: Array<{ name: string; required: boolean; description?: string }> }>;
  /** A server prompt filled in, as the text of a user message. */
  getPrompt(server: string, name: string, args: Record<string, string>): Promise<string>;
}

/** A member of a terrarium as the group tools see its team. Every method throws a plain Error with a message the model can act on. */
export interface GroupControl {
  /** This creature's name in the team. */
  readonly self: string;
  readonly privileged: boolean;
  /** Send on a channel this creature may send to. */
  send(channel: string, message: string, options?: { replyTo?: string; metadata?: Record<string, unknown> }): { messageId: string; deliveredTo: string[] };
  /** A message straight to one member (non-privileged members may only reach privileged ones). */
  direct(to: string, message: string): { messageId: string } | Promise<{ messageId: string }>;
  /** The team: members with state and privilege, channels with listeners, wires (a lab asks its host: a promise). */
  status(): GroupStatus | Promise<GroupStatus>;
  // Privileged only:
  addNode(ref: string, options?: { name?: string; llm?: string; pwd?: string; listen?: string[]; canSend?: string[] }): Promise<{ name: string; id: string }>;
  removeNode(name: string): Promise<void>;
  startNode(name: string): Promise<void>;
  stopNode(name: string): Promise<void>;
  channel(action: 'create' | 'delete' | 'wire' | 'unwire', channel: string, options?: { description?: string; type?: 'broadcast' | 'queue'; creature?: string; direction?: 'listen' | 'send' }): Promise<string>;
  wire(action: 'add' | 'remove', options: { from?: string; to?: string; withContent?: boolean; prompt?: string; promptFormat?: 'simple' | 'jinja'; allowSelfTrigger?: boolean; edgeId?: string }): Promise<string>;
}

export interface GroupStatus {
  team: string;
  creatures: Array<{ name: string; id: string; state: string; privileged: boolean; parent?: string; listen: string[]; canSend: string[]; /** The lab worker it runs on. */ node?: string }>;
  channels: Array<{ name: string; type: string; description: string; listeners: string[] }>;
  wires: Array<{ id: string; from: string; to: string; withContent: boolean }>;
}

/** A trigger as the setup tools see it. */
export interface TriggerSummary {
  id: string;
  kind: string;
  name: string;
  origin: 'config' | 'tool' | 'code';
  description: string;
  /** Epoch ms of the next fire, when known. */
  nextFireAt?: number;
  fired: number;
  resumable: boolean;
}

export interface TriggerControl {
  /** Add a trigger of a registered kind; its options are checked by that kind (a bad one rejects with the reason). */
  add(kind: string, options: Record<string, unknown>, settings?: { name?: string }): Promise<TriggerSummary>;
  /** Stop and forget one. False when there is no trigger with that id. */
  remove(id: string): Promise<boolean>;
  list(): TriggerSummary[];
  /** The creature's name: its direct channel is named after it. */
  readonly creature: string;
  /** Channels the creature can listen on. */
  channels(): string[];
  /** The creature's clock (epoch ms): next fire times are on it, so "in 10m" is measured from it. */
  now?(): number;
}

/** The creature's interaction hub as tools see it. */
export interface QuestionPort {
  readonly available: boolean;
  /** Ask and wait; rejects when nobody can answer or the signal fires. */
  request(kind: 'approval' | 'ask' | 'confirm' | 'select', payload: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
}
