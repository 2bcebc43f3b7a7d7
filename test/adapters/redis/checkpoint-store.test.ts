import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCheckpointStore } from '../../../src/adapters/redis/checkpoint-store.ts';
import { createRedisClient } from '../../../src/adapters/redis/client.ts';
import { pingRedis } from '../../../src/adapters/redis/ping.ts';
import {
  CheckpointCorruptError,
  type CheckpointData,
  type SessionRecord,
} from '../../../src/domain/ports/checkpoint-store.ts';
import { AppError } from '../../../src/errors.ts';
import { freePort } from '../../support/redis-process.ts';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Test files run in parallel against one Redis; a prefix per run keeps their keys apart.
const prefix = `test-checkpoint-${randomUUID()}`;

const clients: Redis[] = [];
let admin: Redis;
let store: RedisCheckpointStore;
let other: RedisCheckpointStore;

// The offline queue is off, so a command sent before the connection is ready rejects.
async function readyClient(at = url): Promise<Redis> {
  const client = createRedisClient(at);
  clients.push(client);
  await once(client, 'ready');
  return client;
}

const key = (sessionId: string, part: string) => `${prefix}:{${sessionId}}:${part}`;

function record(sessionId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId,
    candidateId: 'cand-1',
    seed: 'seed-1',
    createdAt: 1_700_000_000_123,
    ticketHash: 'a'.repeat(64),
    ticketExpiresAt: 1_700_000_060_000,
    status: 'created',
    ...overrides,
  };
}

function data(label: string): CheckpointData {
  return {
    machineVersion: 3,
    snapshot: { value: { part1: 'asking' }, context: { label } },
    transcript: [
      { speaker: 'examiner', part: 'part1', at: 1, text: `hello ${label}` },
      {
        speaker: 'candidate',
        part: 'part1',
        at: 2,
        text: null,
        turn: { turnId: 1, speechMs: 900, pauseCount: 1, pauseMs: 300, runsMs: [400, 500] },
      },
    ],
  };
}

async function newSession(s = store): Promise<string> {
  const sid = randomUUID();
  await s.createSession(record(sid), 60_000);
  return sid;
}

async function take(s: RedisCheckpointStore, sid: string, node: string, ttlMs = 10_000) {
  const fence = await s.acquire(sid, node, ttlMs);
  if (fence === null) throw new Error(`${node} could not acquire ${sid}`);
  return fence;
}

async function untilLeaseFree(s: RedisCheckpointStore, sessionId: string): Promise<void> {
  while ((await s.leaseTtl(sessionId)) > 0) await sleep(10);
}

beforeAll(async () => {
  admin = await readyClient();
  store = new RedisCheckpointStore(await readyClient(), { prefix });
  other = new RedisCheckpointStore(await readyClient(), { prefix });
});

afterAll(async () => {
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  for (const client of clients) client.disconnect();
});

describe('sessions', () => {
  it('round-trips a record with numbers typed, and sets its TTL', async () => {
    const sid = await newSession();
    expect(await store.getSession(sid)).toStrictEqual(record(sid));
    const ttl = await admin.pttl(key(sid, 'session'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await store.getSession(randomUUID())).toBeNull();
  });

  it('admits a ticket once, and refuses a reused, wrong or expired one', async () => {
    const sid = randomUUID();
    const first = record(sid);
    await store.createSession(first, 60_000);
    const next = { hash: 'b'.repeat(64), expiresAt: first.ticketExpiresAt + 60_000 };
    const now = first.ticketExpiresAt - 1;

    expect(await store.consumeTicket(sid, 'c'.repeat(64), next, now)).toBe(false);
    expect(await store.consumeTicket(sid, first.ticketHash, next, now)).toBe(true);
    expect(await store.consumeTicket(sid, first.ticketHash, next, now)).toBe(false);
    const after = await store.getSession(sid);
    expect(after?.ticketHash).toBe(next.hash);
    expect(after?.ticketExpiresAt).toBe(next.expiresAt);

    const later = { hash: 'd'.repeat(64), expiresAt: next.expiresAt + 1 };
    expect(await store.consumeTicket(sid, next.hash, later, next.expiresAt + 1)).toBe(false);
    expect(await store.consumeTicket(sid, next.hash, later, next.expiresAt)).toBe(true);
    expect(await store.consumeTicket(randomUUID(), next.hash, later, 0)).toBe(false);
  });

  it('reissues tickets and sets status, but never revives a missing session', async () => {
    const sid = await newSession();
    await store.setTicket(sid, { hash: 'e'.repeat(64), expiresAt: 42 });
    await store.setStatus(sid, 'live');
    expect(await store.getSession(sid)).toStrictEqual(
      record(sid, { ticketHash: 'e'.repeat(64), ticketExpiresAt: 42, status: 'live' }),
    );

    const missing = randomUUID();
    await store.setStatus(missing, 'ended');
    await store.setTicket(missing, { hash: 'e'.repeat(64), expiresAt: 42 });
    expect(await admin.exists(key(missing, 'session'))).toBe(0);
  });

  it('expireSession sets the TTL of every key but the lease', async () => {
    const sid = await newSession();
    const fence = await take(store, sid, 'node-a', 30_000);
    expect(await store.write(sid, 'node-a', fence, data('x'))).toBe('ok');
    await store.expireSession(sid, 5_000);
    for (const part of ['session', 'snap', 'fence']) {
      const ttl = await admin.pttl(key(sid, part));
      expect(ttl, part).toBeGreaterThan(0);
      expect(ttl, part).toBeLessThanOrEqual(5_000);
    }
    expect(await admin.pttl(key(sid, 'lease'))).toBeGreaterThan(5_000);
  });
});

describe('lease', () => {
  it('gives the lease to one node; a second node gets null', async () => {
    const sid = await newSession();
    expect(await store.acquire(sid, 'node-a', 10_000)).toBe(1);
    expect(await other.acquire(sid, 'node-b', 10_000)).toBeNull();
    expect(await store.acquire(sid, 'node-a', 10_000)).toBeNull();
    const ttl = await store.leaseTtl(sid);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
    // The fence counter lives exactly as long as the session it guards.
    expect(await admin.pttl(key(sid, 'fence'))).toBeGreaterThan(10_000);
  });

  it('lets another node take an expired lease; renews for the owner only', async () => {
    const sid = await newSession();
    const stale = await take(store, sid, 'node-a', 100);
    await untilLeaseFree(store, sid);
    const fence = await take(other, sid, 'node-b');
    expect([stale, fence]).toStrictEqual([1, 2]);

    expect(await store.renew(sid, 'node-a', stale, 10_000)).toBe(false);
    const before = Date.now();
    expect(await other.renew(sid, 'node-b', fence, 20_000)).toBe(true);
    expect(await other.leaseTtl(sid)).toBeGreaterThan(10_000);
    // A heartbeat before the first write is not a checkpoint.
    expect(await other.read(sid)).toBeNull();

    await other.write(sid, 'node-b', fence, data('b'));
    await other.renew(sid, 'node-b', fence, 20_000);
    const checkpoint = await store.read(sid);
    expect(checkpoint?.aliveAt).toBeGreaterThanOrEqual(before);
    expect(checkpoint?.aliveAt).toBeLessThanOrEqual(Date.now());
  });

  it('ignores a release by a non-owner and frees the lease for the owner', async () => {
    const sid = await newSession();
    const fence = await take(store, sid, 'node-a');
    await other.release(sid, 'node-b', fence);
    await other.release(sid, 'node-a', fence + 1);
    expect(await store.leaseTtl(sid)).toBeGreaterThan(0);
    await store.release(sid, 'node-a', fence);
    expect(await store.leaseTtl(sid)).toBe(0);
    expect(await other.acquire(sid, 'node-b', 10_000)).toBe(fence + 1);
  });

  it('hands out exactly one fence per round when two nodes race', async () => {
    for (let round = 0; round < 50; round++) {
      const sid = randomUUID();
      const results = await Promise.all([
        store.acquire(sid, 'node-a', 10_000),
        other.acquire(sid, 'node-b', 10_000),
      ]);
      expect(results.filter((fence) => fence !== null)).toStrictEqual([1]);
    }
  });
});

describe('checkpoints', () => {
  it('writes for the owner, counting seq up, and reads back typed', async () => {
    const sid = await newSession();
    expect(await store.read(sid)).toBeNull();
    const fence = await take(store, sid, 'node-a');
    const before = Date.now();
    expect(await store.write(sid, 'node-a', fence, data('one'))).toBe('ok');
    expect(await store.write(sid, 'node-a', fence, data('two'))).toBe('ok');
    const checkpoint = await other.read(sid);
    expect(checkpoint).toStrictEqual({
      ...data('two'),
      fence,
      seq: 2,
      aliveAt: 0,
      updatedAt: expect.any(Number),
    });
    expect(checkpoint?.updatedAt).toBeGreaterThanOrEqual(before);
    expect(await other.write(sid, 'node-b', fence, data('intruder'))).toBe('lost');
  });

  it("refuses a stale owner's writes after a takeover, whatever fence it claims", async () => {
    const sid = await newSession();
    const stale = await take(store, sid, 'node-a', 100);
    expect(await store.write(sid, 'node-a', stale, data('old'))).toBe('ok');
    await untilLeaseFree(store, sid);
    // Lease gone and nobody else holding it yet: still not the owner.
    expect(await store.write(sid, 'node-a', stale, data('old-2'))).toBe('lost');

    const fence = await take(other, sid, 'node-b');
    expect(await other.write(sid, 'node-b', fence, data('new'))).toBe('ok');
    expect(await store.write(sid, 'node-a', stale, data('old-3'))).toBe('lost');
    expect(await store.write(sid, 'node-a', fence + 1000, data('old-4'))).toBe('lost');
    expect(await store.write(sid, 'node-a', fence, data('old-5'))).toBe('lost');
    expect(await store.renew(sid, 'node-a', fence + 1000, 10_000)).toBe(false);

    const checkpoint = await store.read(sid);
    expect(checkpoint?.snapshot).toStrictEqual(data('new').snapshot);
    expect(checkpoint?.fence).toBe(fence);
    expect(checkpoint?.seq).toBe(2);
  });

  it('refuses a fence below the one that last wrote (a counter that was lost)', async () => {
    const sid = await newSession();
    await admin.set(key(sid, 'fence'), 6);
    const seven = await take(store, sid, 'node-a');
    expect(await store.write(sid, 'node-a', seven, data('seven'))).toBe('ok');
    await store.release(sid, 'node-a', seven);
    await admin.del(key(sid, 'fence'));
    const low = await take(other, sid, 'node-b');
    expect(low).toBe(1);
    expect(await other.write(sid, 'node-b', low, data('one'))).toBe('lost');
    expect((await store.read(sid))?.fence).toBe(seven);
  });

  it('throws CheckpointCorruptError for a checkpoint that does not parse', async () => {
    const sid = await newSession();
    const fence = await take(store, sid, 'node-a');
    await store.write(sid, 'node-a', fence, data('x'));
    const snap = key(sid, 'snap');

    await admin.hset(snap, 'snapshot', '{"value": ');
    await expect(store.read(sid)).rejects.toBeInstanceOf(CheckpointCorruptError);
    await admin.hset(snap, 'snapshot', '{}', 'transcript', '{"not":"a list"}');
    await expect(store.read(sid)).rejects.toBeInstanceOf(CheckpointCorruptError);
    await admin.hset(snap, 'transcript', '[]', 'seq', 'many');
    await expect(store.read(sid)).rejects.toBeInstanceOf(CheckpointCorruptError);
    await admin.hdel(snap, 'seq');
    await expect(store.read(sid)).rejects.toBeInstanceOf(CheckpointCorruptError);
  });
});

describe('handoff', () => {
  it('flags a request for the owner until it releases or a new owner acquires', async () => {
    const sid = await newSession();
    const fence = await take(store, sid, 'node-a');
    expect(await store.handoffRequested(sid)).toBe(false);
    await other.requestHandoff(sid, 10_000);
    expect(await store.handoffRequested(sid)).toBe(true);
    await other.release(sid, 'node-b', fence);
    expect(await store.handoffRequested(sid)).toBe(true);
    await store.release(sid, 'node-a', fence);
    expect(await store.handoffRequested(sid)).toBe(false);

    // A request left over from the previous owner must not send the new one away at once.
    await other.requestHandoff(sid, 10_000);
    await take(other, sid, 'node-b');
    expect(await other.handoffRequested(sid)).toBe(false);
  });
});

async function startRedis(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await pingRedis(`redis://127.0.0.1:${port}`, 200);
      return child;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) throw error;
      await sleep(20);
    }
  }
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

describe('Redis outage', () => {
  let server: ChildProcess | undefined;
  afterAll(() => stopRedis(server));

  it('rejects fast while Redis is down and writes again soon after it returns', async () => {
    const port = await freePort();
    server = await startRedis(port);
    const own = new RedisCheckpointStore(await readyClient(`redis://127.0.0.1:${port}`), {
      prefix,
    });
    const sid = await newSession(own);
    const fence = await take(own, sid, 'node-a');
    expect(await own.write(sid, 'node-a', fence, data('before'))).toBe('ok');

    await stopRedis(server);
    let started = performance.now();
    await expect(own.write(sid, 'node-a', fence, data('down'))).rejects.toBeInstanceOf(AppError);
    await expect(own.acquire(sid, 'node-a', 10_000)).rejects.toBeInstanceOf(AppError);
    expect(performance.now() - started).toBeLessThan(2_000);
    // Long enough for the reconnect backoff to reach its cap.
    await sleep(1_500);

    server = await startRedis(port);
    started = performance.now();
    let result: string | undefined;
    while (result === undefined) {
      result = await own.write(sid, 'node-a', fence, data('after')).catch(() => undefined);
      if (result === undefined) await sleep(20);
    }
    // The restarted server kept nothing (no persistence): lease, fence counter, checkpoint and
    // session record are all gone. The old fence's write is refused, acquiring starts the counter
    // over, and the node's next write puts back the checkpoint it kept in memory. Nothing puts
    // the session record back, so the candidate's ticket no longer admits a socket.
    expect(result).toBe('lost');
    const again = await take(own, sid, 'node-a');
    expect(again).toBe(1);
    expect(await own.write(sid, 'node-a', again, data('after'))).toBe('ok');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect((await own.read(sid))?.seq).toBe(1);
    expect(await own.getSession(sid)).toBeNull();
    await own.close();
  });
});
