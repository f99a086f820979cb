/**
 * The skills one creature knows, with their on/off state. The state lives
 * in sets the caller owns (and persists, e.g. in the scratchpad), so the
 * registry itself can be rebuilt from disk at any time without losing it.
 */
import type { SkillView } from '../tools/runtime.js';
import { compareNames, renderSkillForModel, type Skill } from './skill.js';

export interface SkillToggles {
  /** Names switched on. Mutated by `enable`/`disable`. */
  enabled?: Set<string>;
  /** Names switched off; wins over `enabled`. Mutated by `enable`/`disable`. */
  disabled?: Set<string>;
  /**
   * Whether a skill named in neither set is on. Default: every skill is on.
   * (Package skills, for instance, start off until named.)
   */
  defaultEnabled?: (skill: Skill) => boolean;
}

export class SkillRegistry {
  private readonly skills: ReadonlyMap<string, Skill>;
  private readonly enabledNames: Set<string>;
  private readonly disabledNames: Set<string>;
  private readonly defaultEnabled: (skill: Skill) => boolean;

  /** Later skills with a name already seen replace earlier ones. */
  constructor(skills: Iterable<Skill> = [], toggles: SkillToggles = {}) {
    const byName = new Map<string, Skill>();
    for (const skill of skills) byName.set(skill.name, skill);
    this.skills = new Map([...byName.entries()].sort((a, b) => compareNames(a[0], b[0])));
    this.enabledNames = toggles.enabled ?? new Set();
    this.disabledNames = toggles.disabled ?? new Set();
    this.defaultEnabled = toggles.defaultEnabled ?? (() => true);
  }

  /** Every skill name, on or off, sorted. */
  names(): string[] {
    return [...this.skills.keys()];
  }

  get(name: string): Skill | undefined {
    return this.skills.get(name);
  }

  /** Every skill, sorted by name. */
  all(): Skill[] {
    return [...this.skills.values()];
  }

  isEnabled(name: string): boolean {
    const skill = this.skills.get(name);
    if (!skill || this.disabledNames.has(name)) return false;
    return this.enabledNames.has(name) || this.defaultEnabled(skill);
  }

  /** Skills that are on: what the user may invoke. */
  enabled(): Skill[] {
    return this.all().filter((skill) => this.isEnabled(skill.name));
  }

  /** Skills that are on and open to the model (not `disable-model-invocation`). */
  invocable(): Skill[] {
    return this.enabled().filter((skill) => !skill.disableModelInvocation);
  }

  /** Switch a skill on. False when there is no such skill. */
  enable(name: string): boolean {
    if (!this.skills.has(name)) return false;
    this.disabledNames.delete(name);
    this.enabledNames.add(name);
    return true;
  }

  /** Switch a skill off. False when there is no such skill. */
  disable(name: string): boolean {
    if (!this.skills.has(name)) return false;
    this.enabledNames.delete(name);
    this.disabledNames.add(name);
    return true;
  }

  /** The toggles as sorted lists, for persisting. */
  toggles(): { enabled: string[]; disabled: string[] } {
    return { enabled: [...this.enabledNames].sort(compareNames), disabled: [...this.disabledNames].sort(compareNames) };
  }

  /**
   * What tools see (`ctx.runtime.skills`): the invocable skills, and for each
   * the text the model gets (header with the skill's folder, then the body).
   * Reads the registry live, so toggles apply at once.
   */
  view(): SkillView {
    return {
      names: () => this.invocable().map((skill) => skill.name),
      body: (name) => {
        const skill = this.skills.get(name);
        return skill && this.isEnabled(name) && !skill.disableModelInvocation ? renderSkillForModel(skill) : undefined;
      },
    };
  }
}
