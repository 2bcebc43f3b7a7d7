import type { Redis } from 'ioredis';
import {
  type Checkpoint,
  CheckpointCorruptError,
  type CheckpointData,
  type CheckpointStore,
  type SessionRecord,
  type TranscriptEntry,
  type WriteResult,
} from '../../domain/ports/checkpoint-store.ts';
import { AppError } from '../../errors.ts';
import { type CheckpointScripts, defineCheckpointScripts } from './lua.ts';

export interface RedisCheckpointStoreOptions {
  /** First segment of every key (default `exam`). */
  prefix?: string;
}

const statuses: readonly SessionRecord['status'][] = ['created', 'live', 'ended'];

/**
 * The CheckpointStore on one Redis (or one cluster slot per session: all keys of a session share
 * the hash tag `{sessionId}`, which the Lua scripts need). Ownership checks and fenced writes run
 * as scripts, so a stale owner can never overwrite a newer owner's checkpoint. close() closes the
 * client it was given.
 */
export class RedisCheckpointStore implements CheckpointStore {
  private readonly prefix: string;
  private readonly scripts: CheckpointScripts;

  constructor(
    private readonly redis: Redis,
    options: RedisCheckpointStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'exam';
    this.scripts = defineCheckpointScripts(redis);
  }

  async createSession(record: SessionRecord, ttlMs: number): Promise<void> {
    const key = this.key(record.sessionId, 'session');
    const ms = positiveMs(ttlMs);
    const fields: Record<keyof SessionRecord, string | number> = { ...record };
    const replies = await this.call(() =>
      this.redis.multi().hset(key, fields).pexpire(key, ms).exec(),
    );
    for (const [error] of replies ?? []) if (error) throw unavailable(error);
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    const hash = await this.call(() => this.redis.hgetall(this.key(sessionId, 'session')));
    if (Object.keys(hash).length === 0) return null;
    const status = text(hash, 'status') as SessionRecord['status'];
    if (!statuses.includes(status)) throw new CheckpointCorruptError(`bad status ${status}`);
    return {
      sessionId: text(hash, 'sessionId'),
      candidateId: text(hash, 'candidateId'),
      seed: text(hash, 'seed'),
      createdAt: num(hash, 'createdAt'),
      ticketHash: text(hash, 'ticketHash'),
      ticketExpiresAt: num(hash, 'ticketExpiresAt'),
      status,
    };
  }

  async consumeTicket(
    sessionId: string,
    expectedHash: string,
    next: { hash: string; expiresAt: number },
    now: number,
  ): Promise<boolean> {
    const swapped = await this.call(() =>
      this.scripts.consumeTicket(
        this.key(sessionId, 'session'),
        expectedHash,
        now,
        next.hash,
        next.expiresAt,
      ),
    );
    return swapped === 1;
  }

  async setTicket(sessionId: string, next: { hash: string; expiresAt: number }): Promise<void> {
    await this.updateSession(sessionId, [
      'ticketHash',
      next.hash,
      'ticketExpiresAt',
      next.expiresAt,
    ]);
  }

  async setStatus(sessionId: string, status: SessionRecord['status']): Promise<void> {
    await this.updateSession(sessionId, ['status', status]);
  }

  async expireSession(sessionId: string, ttlMs: number): Promise<void> {
    const ms = positiveMs(ttlMs);
    // The lease keeps its own short TTL: stretching it would block a takeover after a crash.
    const replies = await this.call(() =>
      this.redis
        .multi()
        .pexpire(this.key(sessionId, 'session'), ms)
        .pexpire(this.key(sessionId, 'snap'), ms)
        .pexpire(this.key(sessionId, 'fence'), ms)
        .exec(),
    );
    for (const [error] of replies ?? []) if (error) throw unavailable(error);
  }

  async acquire(sessionId: string, nodeId: string, ttlMs: number): Promise<number | null> {
    const ms = positiveMs(ttlMs);
    const fence = await this.call(() =>
      this.scripts.acquire(
        this.key(sessionId, 'lease'),
        this.key(sessionId, 'fence'),
        this.key(sessionId, 'session'),
        this.key(sessionId, 'handoff'),
        nodeId,
        ms,
      ),
    );
    return typeof fence === 'number' && fence > 0 ? fence : null;
  }

  async renew(sessionId: string, nodeId: string, fence: number, ttlMs: number): Promise<boolean> {
    const ms = positiveMs(ttlMs);
    const renewed = await this.call(() =>
      this.scripts.renew(
        this.key(sessionId, 'lease'),
        this.key(sessionId, 'snap'),
        this.key(sessionId, 'session'),
        token(nodeId, fence),
        ms,
        Date.now(),
      ),
    );
    return renewed === 1;
  }

  async release(sessionId: string, nodeId: string, fence: number): Promise<void> {
    await this.call(() =>
      this.scripts.release(
        this.key(sessionId, 'lease'),
        this.key(sessionId, 'handoff'),
        token(nodeId, fence),
      ),
    );
  }

  async requestHandoff(sessionId: string, ttlMs: number): Promise<void> {
    const ms = positiveMs(ttlMs);
    await this.call(() => this.redis.set(this.key(sessionId, 'handoff'), '1', 'PX', ms));
  }

  async handoffRequested(sessionId: string): Promise<boolean> {
    return (await this.call(() => this.redis.exists(this.key(sessionId, 'handoff')))) === 1;
  }

  async leaseTtl(sessionId: string): Promise<number> {
    const ttl = await this.call(() => this.redis.pttl(this.key(sessionId, 'lease')));
    if (ttl === -2) return 0;
    // -1 (a lease with no expiry) cannot come from this store, but it is held, not free.
    if (ttl === -1) return Number.POSITIVE_INFINITY;
    // PTTL says 0 in the last millisecond, while the lease is still held.
    return Math.max(ttl, 1);
  }

  async write(
    sessionId: string,
    nodeId: string,
    fence: number,
    data: CheckpointData,
  ): Promise<WriteResult> {
    const snapshot = JSON.stringify(data.snapshot) ?? 'null';
    const transcript = JSON.stringify(data.transcript);
    const written = await this.call(() =>
      this.scripts.write(
        this.key(sessionId, 'lease'),
        this.key(sessionId, 'snap'),
        this.key(sessionId, 'session'),
        token(nodeId, fence),
        fence,
        data.machineVersion,
        snapshot,
        transcript,
        Date.now(),
      ),
    );
    return written === 1 ? 'ok' : 'lost';
  }

  async read(sessionId: string): Promise<Checkpoint | null> {
    const hash = await this.call(() => this.redis.hgetall(this.key(sessionId, 'snap')));
    // renew() records aliveAt before the first write; that heartbeat alone is not a checkpoint.
    if (Object.keys(hash).every((field) => field === 'aliveAt')) return null;
    return {
      fence: num(hash, 'fence'),
      seq: num(hash, 'seq'),
      machineVersion: num(hash, 'machineVersion'),
      snapshot: json(hash, 'snapshot'),
      transcript: transcriptOf(json(hash, 'transcript')),
      updatedAt: num(hash, 'updatedAt'),
      aliveAt: hash.aliveAt === undefined ? 0 : num(hash, 'aliveAt'),
    };
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch {
        // Redis went away mid-quit; dropping the socket below is all that is left to do.
      }
    }
    this.redis.disconnect();
  }

  private key(sessionId: string, part: 'session' | 'lease' | 'fence' | 'snap' | 'handoff'): string {
    return `${this.prefix}:{${sessionId}}:${part}`;
  }

  private async updateSession(sessionId: string, fieldsAndValues: (string | number)[]) {
    // A session that has expired stays gone rather than coming back as a partial record.
    await this.call(() =>
      this.scripts.updateSession(this.key(sessionId, 'session'), ...fieldsAndValues),
    );
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function token(nodeId: string, fence: number): string {
  return `${nodeId}:${fence}`;
}

function positiveMs(ms: number): number {
  // Redis rejects PX 0 and fractions with an error that would look like an outage.
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`bad TTL ${ms} ms`);
  return ms;
}

function unavailable(cause: unknown): AppError {
  return new AppError('STORE_FAILED', 'checkpoint store unavailable', { cause });
}

function text(hash: Record<string, string>, field: string): string {
  const value = hash[field];
  if (value === undefined) throw new CheckpointCorruptError(`missing field ${field}`);
  return value;
}

function num(hash: Record<string, string>, field: string): number {
  const raw = text(hash, field);
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new CheckpointCorruptError(`field ${field} is not a number`);
  }
  return value;
}

function json(hash: Record<string, string>, field: string): unknown {
  const raw = text(hash, field);
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new CheckpointCorruptError(`field ${field} is not JSON`, { cause: error });
  }
}

function transcriptOf(value: unknown): TranscriptEntry[] {
  if (!Array.isArray(value)) throw new CheckpointCorruptError('transcript is not a list');
  return value as TranscriptEntry[];
}
