/**
 * A terrarium's session file: one store for the team, owned (and locked) by
 * the terrarium, that every member is built on (`sharedSession`). Besides
 * the members' own events it keeps what a resume needs to rebuild the team:
 * the channel messages (`channel.message`, under the sender's name), the
 * topology after every change (state `terrarium:topology`) and how each
 * member was made (state `terrarium:members`). Nothing is ever deleted: a
 * removed member's history stays in the file.
 */
import { randomHex } from '../util/random-id.js';
import { join } from 'node:path';
import type { ChannelMessage } from '../channels/hub.js';
import type { CreatureDefinition } from '../config/loader.js';
import { configSnapshot } from '../config/snapshot.js';
import type { SharedSessionFile } from '../session/shared-file.js';
import type { TopologyData } from './topology.js';

import { MEMBERS_KEY, RECIPE_KEY, TOPOLOGY_KEY } from '../session/team-state.js';

export { MEMBERS_KEY, RECIPE_KEY, TOPOLOGY_KEY };

/** How a member was made: enough to build it again when the recipe does not name it. */
export interface MemberSpec {
  /** The reference it was added with, when it was a string (a folder, file or `@package`). */
  ref?: string;
  /** Its merged config (the session keeps it for when `ref` is gone). */
  config: Record<string, unknown>;
  privileged: boolean;
  parent?: string;
  /** Its working directory. */
  pwd: string;
  /** The model it was given by name, when it was. */
  llm?: string;
}

/** Where the recipe came from, for the file's meta and a resume. */
export interface RecipeRef {
  ref: string;
  file?: string;
  inline?: Record<string, unknown>;
}

/** `<dir>/<team>-<8 hex>.kohakutr`: the random part keeps two teams of one name apart; creation is exclusive anyway. */
export function teamSessionPath(dir: string, team: string): string {
  return join(dir, `${team.replace(/[^A-Za-z0-9._-]+/g, '-')}-${randomHex(4)}.kohakutr`);
}

export class TeamSession {
  readonly specs = new Map<string, MemberSpec>();
  /** The recipe the team was built from, written to the file with the first topology saved after it is known. */
  private recipe: RecipeRef | undefined;
  private recipeSaved = false;

  constructor(readonly file: SharedSessionFile) {}

  /** How a member was made, kept with the topology so a resume can build it again. */
  remember(name: string, of: { ref: unknown; definition: CreatureDefinition; privileged: boolean; parent: string | undefined; pwd: string; llm: unknown }): void {
    this.specs.set(name, {
      ...(typeof of.ref === 'string' ? { ref: of.ref } : {}),
      config: configSnapshot(of.definition),
      privileged: of.privileged,
      ...(of.parent ? { parent: of.parent } : {}),
      pwd: of.pwd,
      // A Provider object cannot be saved: a resume uses the team's model for it.
      ...(typeof of.llm === 'string' ? { llm: of.llm } : {}),
    });
  }

  get path(): string {
    return this.file.path;
  }

  /** A channel message, logged under its sender (a member's id when the sender is one) and committed at once. */
  logMessage(message: ChannelMessage, senderId: string | undefined): void {
    const store = this.file.store;
    if (!store) return;
    store.append(
      {
        type: 'channel.message',
        // Not the sender's bus numbering: 0 keeps its `lastSeq` (max) untouched.
        seq: 0,
        ts: message.ts,
        sessionId: this.file.sessionId,
        creatureId: senderId ?? '',
        turnId: null,
        agentPath: [message.sender],
        channel: message.channel,
        sender: message.sender,
        content: message.content,
        messageId: message.id,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      },
      { turn: null, branch: null },
    );
    store.flush();
  }

  /** The graph and the members' specs, after every change (once the file exists). */
  saveTopology(topology: TopologyData): void {
    const store = this.file.store;
    if (!store) return;
    if (this.recipe && !this.recipeSaved) {
      store.updateMeta({ configRef: this.recipe.ref, ...(this.recipe.file ? { configPath: this.recipe.file } : {}) });
      if (this.recipe.inline) store.setState(RECIPE_KEY, this.recipe.inline);
      this.recipeSaved = true;
    }
    store.setState(TOPOLOGY_KEY, topology);
    store.setState(MEMBERS_KEY, Object.fromEntries(this.specs));
  }

  /** Remember where the recipe came from (kept with the next topology save; a resumed file has it already). */
  noteRecipe(recipe: RecipeRef, saved = false): void {
    this.recipe = recipe;
    this.recipeSaved = saved;
  }

  get recipeRef(): string | undefined {
    return this.recipe?.ref;
  }

  close(): void {
    this.file.close();
  }
}
