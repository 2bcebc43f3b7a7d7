import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerPart } from '../../bench/demo/answers.ts';
import { type Answer, prepareAnswers, runCandidate } from '../../bench/demo/candidate.ts';
import {
  counterValue,
  type ExaminerNode,
  scrapeMetrics,
  startNode,
} from '../../bench/failover/nodes.ts';
import { type LocalDynamo, startLocalDynamo } from '../../src/adapters/dynamodb/local-dynamodb.ts';
import { RedisCheckpointStore } from '../../src/adapters/redis/checkpoint-store.ts';
import { createRedisClient, redisReady } from '../../src/adapters/redis/client.ts';

const FAST = 20;

// Two real server processes on one Redis (the default key prefix, as nodes of one fleet share it)
// and one dynalite; node A is SIGKILLed, so nothing of its shutdown path helps the takeover.
describe('failover: node A dies mid Part 2 and node B carries the test on', () => {
  let dynamo: LocalDynamo;
  let answers: Record<AnswerPart, Answer[]>;
  let a: ExaminerNode;
  let b: ExaminerNode;

  beforeAll(async () => {
    dynamo = await startLocalDynamo(0);
    // Ended tests need not stay in the shared Redis for the default day.
    const env = { ENDED_TTL_MS: '60000' };
    const settings = { dynamoEndpoint: dynamo.endpoint, timeScale: FAST, env };
    [answers, a, b] = await Promise.all([
      prepareAnswers(),
      startNode('node-a', settings),
      startNode('node-b', settings),
    ]);
  }, 45_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dynamo?.close();
  });

  it('resumes on B from Part 2 with every earlier turn, and completes there', async () => {
    let killedAt = 0;
    const report = await runCandidate({
      baseUrl: a.url,
      fast: FAST,
      answers,
      reconnect: { urls: [a.url, b.url] },
      onState: (state) => {
        if (state === 'part2.speaking' && !killedAt) {
          killedAt = Date.now();
          a.kill();
        }
      },
    });
    expect(killedAt).toBeGreaterThan(0);
    expect(report.result?.overall).not.toBeNull();
    expect(report.reconnects).toBe(1);
    const resume = report.resumes?.[0];
    expect(resume?.url).toBe(b.url);
    expect(report.errors).toEqual([]);

    // Resumed where it was: Part 2, then onwards; never the start of the test again.
    // (A restore shows nothing until it resumes: never `suspended`, never a replay.)
    const after = report.statesAfter ?? [];
    expect(after[0]).toMatch(/^part2\./);
    expect(after).not.toContain('suspended');
    expect(after).not.toContain('intro');
    expect(after).not.toContain('part1');
    expect(after).toContain('part3');
    expect(after.at(-1)).toBe('done');

    // Kill → first examiner audio from B.
    expect(resume?.audioAt).not.toBeNull();
    expect((resume?.audioAt ?? Number.POSITIVE_INFINITY) - killedAt).toBeLessThan(5000);

    // Every turn the candidate saw end before the crash is in the final transcript, and the
    // turns B heard carry on from them.
    const before = report.turnsBefore ?? [];
    expect(before.length).toBeGreaterThanOrEqual(5);
    const redis = createRedisClient('redis://127.0.0.1:6379');
    const store = new RedisCheckpointStore(redis);
    try {
      expect(await redisReady(redis)).toBe(true);
      const checkpoint = await store.read(report.sessionId as string);
      const stored = (checkpoint?.transcript ?? []).flatMap((e) => e.turn?.turnId ?? []);
      expect(stored).toEqual(expect.arrayContaining([...before, ...(report.turnsAfter ?? [])]));
      expect(Math.min(...(report.turnsAfter ?? []))).toBeGreaterThan(Math.max(...before));
    } finally {
      await store.close();
    }

    const metrics = await scrapeMetrics(b.url);
    expect(counterValue(metrics, 'examiner_sessions_ended_total', '{outcome="completed"}')).toBe(1);
  }, 60_000);
});
