import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_VERSION } from '../../machines/examiner/index.ts';
import { RedisCheckpointStore } from '../../src/adapters/redis/checkpoint-store.ts';
import { createRedisClient, redisReady } from '../../src/adapters/redis/client.ts';
import type { CheckpointData } from '../../src/domain/ports/checkpoint-store.ts';
import type { ServerMessage } from '../../src/examiner/protocol/messages.ts';
import {
  createSession,
  openStream,
  reissueTicket,
  startTestServer,
  type TestServer,
  type TestStream,
  waitForLog,
} from '../support/server-harness.ts';

// Two nodes of one fleet: the same Redis and key prefix, each with its own sessions in memory.
const PREFIX = `test-abuse-${randomUUID()}`;
let nodeA: TestServer;
let nodeB: TestServer;
let admin: Redis;
/** Writes as a node of its own, the way an older examiner would have. */
let store: RedisCheckpointStore;

const key = (sessionId: string, part: string) => `${PREFIX}:{${sessionId}}:${part}`;
const streamPath = (sessionId: string, ticket: string) =>
  `/v1/speaking/sessions/${sessionId}/stream?ticket=${encodeURIComponent(ticket)}`;

beforeAll(async () => {
  const overrides = { LEASE_TTL_MS: 1000 };
  nodeA = await startTestServer({ ...overrides, NODE_ID: 'abuse-a' }, { prefix: PREFIX });
  nodeB = await startTestServer({ ...overrides, NODE_ID: 'abuse-b' }, { prefix: PREFIX });
  admin = createRedisClient(nodeA.config.REDIS_URL);
  await redisReady(admin);
  store = new RedisCheckpointStore(admin, { prefix: PREFIX });
});

afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  const keys = await admin.keys(`${PREFIX}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await store?.close();
});

/** The first message of a stream: `ready` when admitted, else the refusal. */
async function firstMessage(stream: TestStream, timeoutMs = 10_000): Promise<ServerMessage> {
  const deadline = Date.now() + timeoutMs;
  while (stream.messages.length === 0 && Date.now() < deadline) await sleep(5);
  const first = stream.messages[0];
  if (!first) throw new Error(`no message within ${timeoutMs} ms`);
  return first;
}

async function expectRefused(stream: TestStream, code: string, closeCode: number) {
  expect(await firstMessage(stream)).toEqual({ type: 'error', code, message: expect.any(String) });
  expect(await stream.closed).toEqual({ code: closeCode, reason: code });
}

async function closeClient(stream: TestStream): Promise<void> {
  stream.ws.close(1000);
  await stream.closed;
}

/** A test started on `node`, its candidate gone: suspended there, lease held, checkpointed. */
async function suspendedTest(node: TestServer, body: Record<string, unknown> = {}) {
  const session = await createSession(node, body);
  const stream = openStream(node, session.streamPath);
  const ready = await stream.next('ready');
  stream.sendJson({ type: 'start' });
  await stream.next('state', 10_000);
  await closeClient(stream);
  await waitForLog(
    node,
    (l) =>
      l.sessionId === session.sessionId &&
      l.msg === 'examiner state changed' &&
      l.to === 'suspended',
  );
  return { sessionId: session.sessionId, resumeTicket: ready.resumeTicket };
}

const leaseHolder = (sessionId: string) => admin.get(key(sessionId, 'lease'));

describe('resume tickets', () => {
  it('refuses a wrong ticket on either node and leaves the owner and the real ticket alone', async () => {
    const { sessionId, resumeTicket } = await suspendedTest(nodeA);
    const holder = await leaseHolder(sessionId);
    expect(holder).toMatch(/^abuse-a:\d+$/);
    for (const node of [nodeA, nodeB]) {
      await expectRefused(
        openStream(node, streamPath(sessionId, 'not-the-ticket')),
        'TICKET_INVALID',
        4401,
      );
    }
    expect(await leaseHolder(sessionId)).toBe(holder);
    const back = openStream(nodeA, streamPath(sessionId, resumeTicket));
    expect(await back.next('ready')).toMatchObject({ sessionId, resumed: true });
    await closeClient(back);
  });

  it('refuses a spent resume ticket everywhere; the one it was swapped for resumes on node B', async () => {
    const { sessionId, resumeTicket: spent } = await suspendedTest(nodeA);
    const again = openStream(nodeA, streamPath(sessionId, spent));
    const ready = await again.next('ready');
    expect(ready.resumed).toBe(true);
    await closeClient(again);
    for (const node of [nodeA, nodeB]) {
      await expectRefused(openStream(node, streamPath(sessionId, spent)), 'TICKET_INVALID', 4401);
    }
    expect(await leaseHolder(sessionId)).toMatch(/^abuse-a:\d+$/);
    // Node A hands the test over, since its candidate is gone.
    const moved = openStream(nodeB, streamPath(sessionId, ready.resumeTicket));
    expect(await moved.next('ready', 10_000)).toMatchObject({ sessionId, resumed: true });
    let state = await moved.next('state', 10_000);
    // The restore shows `suspended` first (pinned below); the test then goes on where it was.
    if (state.state === 'suspended') state = await moved.next('state', 10_000);
    expect(state).toMatchObject({ state: 'intro' });
    expect(await leaseHolder(sessionId)).toMatch(/^abuse-b:\d+$/);
    await closeClient(moved);
  });

  // Known bug: a restore from a checkpoint sends the restored actor's `state` messages, including
  // `suspended`, which the protocol says no client sees. Drop `.fails` once the restore is quiet.
  it('shows a test resumed on another node in its own state, never `suspended`', async () => {
    const { sessionId, resumeTicket } = await suspendedTest(nodeA);
    const moved = openStream(nodeB, streamPath(sessionId, resumeTicket));
    expect(await moved.next('ready', 10_000)).toMatchObject({ resumed: true });
    await moved.next('caption', 10_000);
    const states = moved.messages.filter((m) => m.type === 'state').map((m) => m.state);
    await closeClient(moved);
    expect(states).toEqual(['intro']);
  });

  it("refuses one candidate's ticket on another candidate's session", async () => {
    const mine = await suspendedTest(nodeA, { candidateId: 'cand-mine' });
    const theirs = await suspendedTest(nodeB, { candidateId: 'cand-theirs' });
    const theirHolder = await leaseHolder(theirs.sessionId);
    for (const node of [nodeA, nodeB]) {
      const stream = openStream(node, streamPath(theirs.sessionId, mine.resumeTicket));
      const refusal = await firstMessage(stream);
      expect(refusal).toMatchObject({ type: 'error' });
      const { code } = refusal as { code: string };
      expect(['TICKET_INVALID', 'SESSION_NOT_FOUND']).toContain(code);
      expect((await stream.closed).code).toBe(code === 'TICKET_INVALID' ? 4401 : 4404);
    }
    expect(await leaseHolder(theirs.sessionId)).toBe(theirHolder);
    // Neither ticket was spent by the attempts.
    for (const { sessionId, resumeTicket } of [mine, theirs]) {
      const back = openStream(nodeA, streamPath(sessionId, resumeTicket));
      expect(await back.next('ready', 10_000)).toMatchObject({ sessionId, resumed: true });
      await closeClient(back);
    }
  });
});

describe('checkpoints a node must not restore', () => {
  /** A created session (never started, lease free) holding a checkpoint from somewhere else. */
  async function sessionWithCheckpoint(data: CheckpointData) {
    const session = await createSession(nodeA);
    const fence = await store.acquire(session.sessionId, 'older-node', 5000);
    if (fence === null) throw new Error('lease not free');
    expect(await store.write(session.sessionId, 'older-node', fence, data)).toBe('ok');
    await store.release(session.sessionId, 'older-node', fence);
    return session;
  }

  async function expectUntouched(sessionId: string, attempt: () => Promise<void>) {
    const snap = await admin.hgetall(key(sessionId, 'snap'));
    const record = await admin.hgetall(key(sessionId, 'session'));
    await attempt();
    expect(await admin.hgetall(key(sessionId, 'snap'))).toEqual(snap);
    // Not even the ticket was spent: a refused admission changes nothing.
    expect(await admin.hgetall(key(sessionId, 'session'))).toEqual(record);
    expect(await store.leaseTtl(sessionId)).toBe(0);
    expect(nodeA.sessions.all().some((s) => s.sessionId === sessionId)).toBe(false);
    expect(nodeB.sessions.all().some((s) => s.sessionId === sessionId)).toBe(false);
  }

  const oldCheckpoint: CheckpointData = {
    machineVersion: 0,
    snapshot: { status: 'active', value: { active: 'intro' }, context: {} },
    transcript: [{ speaker: 'examiner', part: 'intro', at: 1, text: 'Good morning.' }],
  };

  it('refuses a checkpoint from an older examiner with CHECKPOINT_INCOMPATIBLE (4409)', async () => {
    const session = await sessionWithCheckpoint(oldCheckpoint);
    const before = await store.read(session.sessionId);
    expect(before?.machineVersion).toBe(0);
    await expectUntouched(session.sessionId, async () => {
      for (const node of [nodeA, nodeB]) {
        const stream = openStream(node, session.streamPath);
        await expectRefused(stream, 'CHECKPOINT_INCOMPATIBLE', 4409);
      }
    });
    expect(await store.read(session.sessionId)).toEqual(before);
  });

  const garbage: Array<[string, Record<string, string>]> = [
    ['a snapshot that is not JSON', { snapshot: '{"value": {"active"' }],
    ['a transcript that is not a list', { transcript: '{"speaker":"examiner"}' }],
    ['a sequence number that is not a number', { seq: 'seven' }],
    ['binary junk', { fence: '\u0000\u00ff', machineVersion: '\ufffd' }],
  ];

  it.each(garbage)('refuses %s with CHECKPOINT_CORRUPT (4500)', async (_name, fields) => {
    const session = await sessionWithCheckpoint({
      ...oldCheckpoint,
      machineVersion: MACHINE_VERSION,
    });
    await admin.hset(key(session.sessionId, 'snap'), fields);
    await expect(store.read(session.sessionId)).rejects.toThrow();
    await expectUntouched(session.sessionId, async () => {
      for (const node of [nodeA, nodeB]) {
        await expectRefused(openStream(node, session.streamPath), 'CHECKPOINT_CORRUPT', 4500);
      }
    });
  });

  it('refuses a snap hash with no checkpoint fields but junk as CHECKPOINT_CORRUPT', async () => {
    const session = await createSession(nodeA);
    await admin.hset(key(session.sessionId, 'snap'), { junk: 'x' });
    await expectUntouched(session.sessionId, async () => {
      await expectRefused(openStream(nodeB, session.streamPath), 'CHECKPOINT_CORRUPT', 4500);
    });
  });
});

describe('two nodes racing to admit one session', () => {
  type Outcome = { node: 'a' | 'b'; stream: TestStream; first: ServerMessage };

  async function race(sessionId: string, ticketA: string, delayMs: number): Promise<Outcome[]> {
    const onA = openStream(nodeA, streamPath(sessionId, ticketA));
    await sleep(delayMs);
    // The reissue lands while node A may still be admitting: both tickets were valid when used.
    const reissued = await reissueTicket(nodeB, sessionId);
    const onB = openStream(nodeB, reissued.streamPath);
    const [a, b] = await Promise.all([firstMessage(onA), firstMessage(onB)]);
    return [
      { node: 'a', stream: onA, first: a },
      { node: 'b', stream: onB, first: b },
    ];
  }

  async function expectOneWinner(sessionId: string, outcomes: Outcome[]) {
    const winners = outcomes.filter((o) => o.first.type === 'ready');
    expect(winners, JSON.stringify(outcomes.map((o) => o.first))).toHaveLength(1);
    const [winner] = winners as [Outcome];
    const loser = outcomes.find((o) => o !== winner) as Outcome;
    const { code } = loser.first as { code: string };
    expect(['SESSION_BUSY', 'TICKET_INVALID']).toContain(code);
    expect((await loser.stream.closed).code).toBe(code === 'SESSION_BUSY' ? 4409 : 4401);
    expect(await leaseHolder(sessionId)).toMatch(new RegExp(`^abuse-${winner.node}:\\d+$`));
    expect(winner.stream.ws.readyState).toBe(winner.stream.ws.OPEN);
    await closeClient(winner.stream);
  }

  it.each([0, 2, 10, 50])(
    'admits a suspended test on exactly one node (reissue %i ms after node A is asked)',
    async (delayMs) => {
      const { sessionId, resumeTicket } = await suspendedTest(nodeA);
      await expectOneWinner(sessionId, await race(sessionId, resumeTicket, delayMs));
    },
  );

  it.each([0, 2, 10, 50])(
    'admits a new session on exactly one node (reissue %i ms after node A is asked)',
    async (delayMs) => {
      const session = await createSession(nodeA);
      await expectOneWinner(
        session.sessionId,
        await race(session.sessionId, session.ticket, delayMs),
      );
    },
  );
});
