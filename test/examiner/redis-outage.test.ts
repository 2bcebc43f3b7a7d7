import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicStateName } from '../../machines/examiner/index.ts';
import { RedisCheckpointStore } from '../../src/adapters/redis/checkpoint-store.ts';
import { createRedisClient, redisReady } from '../../src/adapters/redis/client.ts';
import type { Checkpoint } from '../../src/domain/ports/checkpoint-store.ts';
import { startMicrophone } from '../support/microphone.ts';
import { type RedisProcess, startRedisProcess } from '../support/redis-process.ts';
import {
  createSession,
  type MessageOf,
  openStream,
  startTestServer,
  type TestServer,
  type TestStream,
} from '../support/server-harness.ts';

const OUTAGE_MS = 10_000;

async function metric(server: TestServer, sample: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

/** What the candidate has seen so far, in the terms a checkpoint can be compared with. */
function clientView(stream: TestStream) {
  const states = stream.messages.filter((m) => m.type === 'state');
  return {
    state: states.at(-1)?.state,
    lines: stream.messages.filter((m) => m.type === 'caption').length,
    turns: stream.messages.filter((m) => m.type === 'turn' && m.event === 'stopped').length,
  };
}

function checkpointView(checkpoint: Checkpoint | null) {
  if (!checkpoint) return null;
  const snapshot = checkpoint.snapshot as Parameters<typeof publicStateName>[0];
  return {
    state: publicStateName(snapshot),
    lines: checkpoint.transcript.filter((e) => e.speaker === 'examiner').length,
    turns: checkpoint.transcript.filter((e) => e.speaker === 'candidate').length,
  };
}

// SIGSTOP, not kill-and-restart: a frozen Redis keeps its data and its sockets but answers
// nothing, as in a partition or a stalled host. The node must notice through its own command
// timeout, and the lease lapses meanwhile (Redis expires keys by wall clock once it runs again).
// A restarted empty Redis would also drop the session record, which is a different failure.
describe('a live test while its Redis is frozen for 10 s (SIGSTOP), clocks 10x', () => {
  let redis: RedisProcess;
  let server: TestServer;
  let reader: RedisCheckpointStore;

  beforeAll(async () => {
    redis = await startRedisProcess();
    server = await startTestServer({ REDIS_URL: redis.url, TIME_SCALE: 10, LEASE_TTL_MS: 2000 });
    const client = createRedisClient(redis.url);
    await redisReady(client);
    reader = new RedisCheckpointStore(client, { prefix: server.prefix });
  });

  afterAll(async () => {
    redis?.thaw();
    await server?.close();
    await reader?.close();
    await redis?.stop();
  });

  it('goes on without Redis, catches the checkpoint up within 1 s, then completes', async () => {
    const session = await createSession(server);
    const stream = openStream(server, session.streamPath);
    await stream.next('ready');
    stream.sendJson({ type: 'start' });
    const mic = startMicrophone(stream.ws, { fast: 10 });
    try {
      // Part 2 changes state several times within 10 s of wall time (preparation is 6 s here).
      await stream.next('state', 10_000);
      let entered: MessageOf<'state'> | null = null;
      for (let i = 0; i < 20 && entered?.state !== 'part2.cueCard'; i++) {
        entered = await stream.next('state', 30_000);
      }
      expect(entered?.state).toBe('part2.cueCard');
      const before = await reader.read(session.sessionId);
      expect(before).not.toBeNull();
      const failuresBefore = await metric(server, 'examiner_checkpoint_write_failures_total');

      redis.freeze();
      const frozenAt = stream.messages.length;
      await sleep(OUTAGE_MS - 1500);
      // Checked while still away: the node knows Redis is gone and the test has not noticed.
      expect(await metric(server, 'examiner_redis_available')).toBe(0);
      await sleep(1500);
      const away = stream.messages.slice(frozenAt);
      redis.thaw();
      const thawedAt = Date.now();

      expect(away.filter((m) => m.type === 'state').map((m) => m.state)).toContain(
        'part2.preparing',
      );
      expect(away.some((m) => m.type === 'caption')).toBe(true);
      expect(stream.messages.filter((m) => m.type === 'error')).toEqual([]);
      expect(stream.ws.readyState).toBe(stream.ws.OPEN);

      // The newest state lands as soon as Redis answers again: the same state, every line and
      // turn the candidate has seen, and a later write than before the outage.
      let caughtUp: ReturnType<typeof checkpointView> = null;
      let latest: Checkpoint | null = null;
      let seen = clientView(stream);
      while (Date.now() - thawedAt < 1000) {
        latest = await reader.read(session.sessionId).catch(() => null);
        seen = clientView(stream);
        caughtUp = checkpointView(latest);
        if (JSON.stringify(caughtUp) === JSON.stringify(seen)) break;
        await sleep(20);
      }
      expect(caughtUp).toEqual(seen);
      expect(latest?.seq).toBeGreaterThan(before?.seq ?? Number.POSITIVE_INFINITY);
      expect(latest?.fence).toBeGreaterThanOrEqual(before?.fence ?? Number.POSITIVE_INFINITY);

      expect(await metric(server, 'examiner_checkpoint_write_failures_total')).toBeGreaterThan(
        failuresBefore,
      );
      expect(await metric(server, 'examiner_redis_available')).toBe(1);
      expect(await metric(server, 'examiner_leases_lost_total')).toBe(0);

      const result = await stream.next('result', 60_000);
      expect(result.assessmentId).toBe(session.sessionId);
      expect(await stream.closed).toEqual({ code: 1000, reason: 'completed' });
      expect(stream.messages.filter((m) => m.type === 'error')).toEqual([]);
      const states = stream.messages.filter((m) => m.type === 'state').map((m) => m.state);
      expect(states).toEqual(expect.arrayContaining(['part2.speaking', 'part3', 'done']));
    } finally {
      mic.stop();
    }
    const logged = (msg: string) => server.logs.some((l) => l.msg === msg);
    expect(logged('redis unreachable; the test goes on in memory')).toBe(true);
    expect(logged('redis reachable again')).toBe(true);
    expect(server.logs.filter((l) => l.level >= 50)).toEqual([]);
  }, 120_000);

  it('refuses new sessions and streams with CHECKPOINT_UNAVAILABLE while away, then admits', async () => {
    const session = await createSession(server);
    redis.freeze();
    try {
      const created = await fetch(`${server.url}/v1/speaking/sessions`, { method: 'POST' });
      expect(created.status).toBe(503);
      expect(await created.json()).toMatchObject({ error: { code: 'CHECKPOINT_UNAVAILABLE' } });
      const refused = openStream(server, session.streamPath);
      expect(await refused.next('error', 10_000)).toMatchObject({ code: 'CHECKPOINT_UNAVAILABLE' });
      expect(await refused.closed).toEqual({ code: 4503, reason: 'CHECKPOINT_UNAVAILABLE' });
    } finally {
      redis.thaw();
    }
    // The refusal spent nothing: the same ticket admits the socket once Redis answers.
    const stream = openStream(server, session.streamPath);
    expect(await stream.next('ready', 10_000)).toMatchObject({ resumed: false });
    stream.ws.close(1000);
    await stream.closed;
  }, 30_000);
});
