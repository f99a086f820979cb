/**
 * The daemon's log file: appended to, and rotated when it passes `maxBytes`
 * (server.log → server.log.1 → ... → server.log.<keep>, the oldest dropped),
 * so a long-running server never fills the disk.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

export class RotatingLog extends Writable {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly keep = 3,
  ) {
    super();
    this.fd = openSync(file, 'a', 0o600);
    this.size = existsSync(file) ? statSync(file).size : 0;
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    try {
      if (this.size + chunk.length > this.maxBytes && this.size > 0) this.rotate();
      writeSync(this.fd, chunk);
      this.size += chunk.length;
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    closeSync(this.fd);
    done();
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a', 0o600);
    this.size = 0;
  }
}
