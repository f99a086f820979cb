/**
 * The server's accounts file (`<config home>/server/auth.json`, mode 0600):
 * the admin password's hash, users with roles and password hashes, and
 * pending invitations (stored hashed: the code is shown once). Shared by the
 * server and `kt admin`. Writes are atomic (temp file + rename).
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configHome, ConfigError, UsageError, type Env } from '../../index.js';
import { NotFoundError } from '../studio/errors.js';
import { hashPassword, verifyPassword } from './passwords.js';

export type Role = 'admin' | 'user';
export interface Account {
  name: string;
  role: Role;
  hash: string;
  createdAt: number;
}
interface Invitation {
  codeHash: string;
  role: Role;
  expiresAt: number;
}
interface AuthFile {
  adminHash?: string;
  users: Account[];
  invitations: Invitation[];
}

export function accountsPath(env: Env = process.env): string {
  return join(configHome(env), 'server', 'auth.json');
}

const digest = (code: string) => createHash('sha256').update(code).digest('hex');
const INVITE_TTL_MS = 7 * 24 * 3600_000;
export const MIN_PASSWORD = 8;

export class Accounts {
  constructor(readonly file: string) {}

  private read(): AuthFile {
    if (!existsSync(this.file)) return { users: [], invitations: [] };
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<AuthFile>;
      return { ...(data.adminHash ? { adminHash: data.adminHash } : {}), users: data.users ?? [], invitations: data.invitations ?? [] };
    } catch (error) {
      throw new ConfigError(`cannot read the server accounts: ${(error as Error).message}`, { file: this.file });
    }
  }

  private write(data: AuthFile): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  get hasAdminPassword(): boolean {
    return Boolean(this.read().adminHash);
  }

  async setAdminPassword(password: string): Promise<void> {
    checkPassword(password);
    const data = this.read();
    this.write({ ...data, adminHash: await hashPassword(password) });
  }

  async verifyAdmin(password: string): Promise<boolean> {
    const hash = this.read().adminHash;
    return hash ? verifyPassword(password, hash) : false;
  }

  list(): Array<Omit<Account, 'hash'>> {
    return this.read().users.map(({ name, role, createdAt }) => ({ name, role, createdAt }));
  }

  async add(name: string, password: string, role: Role): Promise<Omit<Account, 'hash'>> {
    checkPassword(password);
    const hash = await hashPassword(password);
    const data = this.read();
    if (data.users.some((u) => u.name === name)) throw new UsageError(`user '${name}' already exists`);
    const account = { name, role, hash, createdAt: Date.now() };
    this.write({ ...data, users: [...data.users, account] });
    return { name, role, createdAt: account.createdAt };
  }

  remove(name: string): void {
    const data = this.read();
    if (!data.users.some((u) => u.name === name)) throw new NotFoundError(`user '${name}'`);
    this.write({ ...data, users: data.users.filter((u) => u.name !== name) });
  }

  async resetPassword(name: string, password: string): Promise<void> {
    checkPassword(password);
    const hash = await hashPassword(password);
    const data = this.read();
    const user = data.users.find((u) => u.name === name);
    if (!user) throw new NotFoundError(`user '${name}'`);
    user.hash = hash;
    this.write(data);
  }

  /** The account when the password matches. A missing user costs a hash too, so timing does not tell names apart. */
  async verify(name: string, password: string): Promise<Omit<Account, 'hash'> | undefined> {
    const user = this.read().users.find((u) => u.name === name);
    const ok = await verifyPassword(password, user?.hash ?? DUMMY_HASH);
    return user && ok ? { name: user.name, role: user.role, createdAt: user.createdAt } : undefined;
  }

  invite(role: Role): { code: string; role: Role; expiresAt: number } {
    const code = randomBytes(18).toString('base64url');
    const data = this.read();
    const expiresAt = Date.now() + INVITE_TTL_MS;
    this.write({ ...data, invitations: [...data.invitations.filter((i) => i.expiresAt > Date.now()), { codeHash: digest(code), role, expiresAt }] });
    return { code, role, expiresAt };
  }

  /** Redeem an invitation once: it creates the account and is gone. */
  async accept(code: string, name: string, password: string): Promise<Omit<Account, 'hash'>> {
    const data = this.read();
    const invitation = data.invitations.find((i) => i.codeHash === digest(code) && i.expiresAt > Date.now());
    if (!invitation) throw new NotFoundError('invitation');
    this.write({ ...data, invitations: data.invitations.filter((i) => i !== invitation) });
    return this.add(name, password, invitation.role);
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new UsageError(`a password needs at least ${MIN_PASSWORD} characters`);
}

// A valid argon2id hash of a random string, verified against when the user does not exist.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0lJ9mSqKwzRkV1x8v8b3m0yqQxIu5Bk3Hq2b1y8pXkM';
