/**
 * Prompt history: Up/Down recall, Ctrl+R search, and a file that keeps it
 * between runs (where is the caller's choice — one per project).
 *
 * The file holds one JSON string per line, appended as prompts are
 * submitted, so two kt windows on the same project both keep their
 * prompts. History is a convenience: a corrupt line is skipped and a file
 * that cannot be read or written leaves history in memory only — never an
 * error in the user's way.
 */
import { readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { appendPrivateFile, ensurePrivateDir, writePrivateFile } from '../../engine/home.js';

export interface HistoryMatch {
  readonly entry: string;
  readonly index: number;
}

export class PromptHistory {
  /** Oldest first. */
  private items: string[] = [];
  /** Position while recalling; `items.length` means "at the draft". */
  private cursor = 0;
  /** What was typed before recalling started, given back by `next()` past the newest entry. */
  private draft = '';
  /** Lines in the file as far as this instance knows; compaction is due past `limit`. */
  private fileLines = 0;
  /** The last file problem, for a UI that wants to mention it. */
  lastError: string | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly limit = 500,
  ) {}

  get entries(): readonly string[] {
    return this.items;
  }

  /** Read the file (a missing one is empty history). */
  load(): void {
    const lines = this.readLines();
    this.fileLines = lines.length;
    this.items = dedupeConsecutive(lines.flatMap(parseLine)).slice(-this.limit);
    this.reset();
  }

  /** Remember a submitted prompt; blank prompts and repeats of the newest are not kept twice. */
  add(entry: string): void {
    this.reset();
    if (!entry.trim() || this.items.at(-1) === entry) return;
    this.items.push(entry);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    this.cursor = this.items.length;
    this.persist(entry);
  }

  /** The next older entry, saving `current` as the draft on the first step; undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.cursor === this.items.length) this.draft = current;
    if (this.cursor === 0) return undefined;
    this.cursor--;
    return this.items[this.cursor];
  }

  /** The next newer entry, then the saved draft; undefined when not recalling. */
  next(): string | undefined {
    if (this.cursor >= this.items.length) return undefined;
    this.cursor++;
    return this.cursor === this.items.length ? this.draft : this.items[this.cursor];
  }

  /** Stop recalling: the next `previous` starts from the newest entry again. */
  reset(): void {
    this.cursor = this.items.length;
    this.draft = '';
  }

  /**
   * The newest entry at or before index `from` containing `query`
   * (case-insensitive). Ctrl+R again continues with `from: match.index - 1`.
   */
  search(query: string, from = this.items.length - 1): HistoryMatch | undefined {
    const needle = query.toLowerCase();
    for (let index = Math.min(from, this.items.length - 1); index >= 0; index--) {
      const entry = this.items[index] as string;
      if (entry.toLowerCase().includes(needle)) return { entry, index };
    }
    return undefined;
  }

  private readLines(): string[] {
    if (!this.file) return [];
    try {
      return readFileSync(this.file, 'utf8').split('\n').filter((line) => line.trim());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.lastError = (error as Error).message;
      return [];
    }
  }

  private persist(entry: string): void {
    if (!this.file) return;
    try {
      // Prompts are private: the folder is created 0700, the file 0600.
      ensurePrivateDir(dirname(this.file));
      appendPrivateFile(this.file, `${JSON.stringify(entry)}\n`);
      this.fileLines++;
      if (this.fileLines > this.limit) this.compact();
    } catch (error) {
      this.lastError = (error as Error).message;
    }
  }

  /**
   * Rewrite the file with its newest `limit` entries. Re-read first so
   * prompts another window appended are kept; write-then-rename so a crash
   * leaves the old file, not half a new one.
   */
  private compact(): void {
    const file = this.file as string;
    const kept = dedupeConsecutive(this.readLines().flatMap(parseLine)).slice(-this.limit);
    const temporary = `${file}.${process.pid}.tmp`;
    writePrivateFile(temporary, kept.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    renameSync(temporary, file);
    this.fileLines = kept.length;
  }
}

/** A line's entry, or nothing for a corrupt line. */
function parseLine(line: string): string[] {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'string' && value.trim() ? [value] : [];
  } catch {
    return [];
  }
}

function dedupeConsecutive(entries: string[]): string[] {
  return entries.filter((entry, index) => entry !== entries[index - 1]);
}
