/** Persistence of users: plain SQL over @shop/db. Uniqueness of emails is the database's job, not a pre-check's. */
import { systemClock, type Clock } from '@shop/clock';
import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@shop/contracts';
import { isUniqueViolation, type Database, type Queryable } from '@shop/db';
import type { Address, User } from './domain/user';

export class EmailAlreadyRegisteredError extends Error {
  constructor(readonly email: string) {
    super(`A user with email ${email} is already registered`);
    this.name = 'EmailAlreadyRegisteredError';
  }
}

export interface NewUser {
  email: string;
  name: string;
  shippingAddress: Address;
  passwordHash: string;
}

export interface ProfileChanges {
  name?: string;
  shippingAddress?: Address;
}

export interface UserPage {
  users: User[];
  nextCursor: string | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  shipping_address: Address;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, email, name, shipping_address, version, created_at, updated_at';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    shippingAddress: row.shipping_address,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Opaque pagination cursor: the (createdAt, id) of the last user on the page. */
const encodeCursor = (user: User) => Buffer.from(JSON.stringify([user.createdAt, user.id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through: an unreadable cursor is the caller's mistake
  }
  return undefined;
}

export class InvalidCursorError extends Error {}

/**
 * Hooks run inside the transaction of a change: the outgoing events are recorded there (transactional outbox), so
 * the change and its event commit together. `afterCommit` runs once the transaction has committed (wake the relay).
 */
export interface UserChangeHooks {
  onRegistered?(tx: Queryable, user: User, metadata: EventMetadata): Promise<void>;
  onUpdated?(tx: Queryable, user: User, metadata: EventMetadata): Promise<void>;
  afterCommit?(): void;
}

export class UserStore {
  constructor(
    private readonly db: Database,
    private readonly hooks: UserChangeHooks = {},
    private readonly clock: Clock = systemClock,
  ) {}

  /** Wall time from the injected clock, as the Date the SQL and the events take (a function: it is passed on). */
  private readonly now = (): Date => new Date(this.clock.now());

  async register(input: NewUser, metadata: EventMetadata): Promise<User> {
    const now = this.now();
    try {
      const registered = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<UserRow>(
          `INSERT INTO users (id, email, name, shipping_address, password_hash, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${COLUMNS}`,
          [randomUUID(), input.email, input.name, JSON.stringify(input.shippingAddress), input.passwordHash, now],
        );
        const user = toUser(rows[0]!);
        await this.hooks.onRegistered?.(tx, user, metadata);
        return user;
      });
      this.hooks.afterCommit?.();
      return registered;
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailAlreadyRegisteredError(input.email);
      throw error;
    }
  }

  async findById(id: string): Promise<User | undefined> {
    const { rows } = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] && toUser(rows[0]);
  }

  /** Swaps the hash only if it is still `current`: a concurrent change (another login upgrading it) wins. */
  async replacePasswordHash(id: string, current: string, replacement: string): Promise<void> {
    await this.db.query('UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2', [
      id,
      current,
      replacement,
    ]);
  }

  async findCredentials(email: string): Promise<{ id: string; passwordHash: string } | undefined> {
    const { rows } = await this.db.query<{ id: string; password_hash: string }>(
      'SELECT id, password_hash FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    return rows[0] && { id: rows[0].id, passwordHash: rows[0].password_hash };
  }

  async updateProfile(id: string, changes: ProfileChanges, metadata: EventMetadata): Promise<User | undefined> {
    const updated = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<UserRow>(
        `UPDATE users SET
           name = COALESCE($2, name),
           shipping_address = COALESCE($3::jsonb, shipping_address),
           version = version + 1,
           updated_at = $4
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          changes.name ?? null,
          changes.shippingAddress ? JSON.stringify(changes.shippingAddress) : null,
          this.now(),
        ],
      );
      if (!rows[0]) return undefined;
      const user = toUser(rows[0]);
      await this.hooks.onUpdated?.(tx, user, metadata);
      return user;
    });
    if (updated) this.hooks.afterCommit?.();
    return updated;
  }

  async list({ limit, cursor }: { limit: number; cursor?: string }): Promise<UserPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !after) throw new InvalidCursorError('cursor is not one this API issued');
    const { rows } = after
      ? await this.db.query<UserRow>(
          `SELECT ${COLUMNS} FROM users WHERE (created_at, id) > ($1::timestamptz, $2::uuid)
           ORDER BY created_at, id LIMIT $3`,
          [after[0], after[1], limit + 1],
        )
      : await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY created_at, id LIMIT $1`, [limit + 1]);
    const users = rows.slice(0, limit).map(toUser);
    return { users, nextCursor: rows.length > limit ? encodeCursor(users[users.length - 1]!) : null };
  }
}
