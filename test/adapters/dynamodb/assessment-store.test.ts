import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssessmentStore } from '../../../src/adapters/dynamodb/assessment-store.ts';
import { createDocumentClient } from '../../../src/adapters/dynamodb/client.ts';
import {
  ensureTables,
  type LocalDynamo,
  startLocalDynamo,
} from '../../../src/adapters/dynamodb/local-dynamodb.ts';
import { assessmentsTable } from '../../../src/adapters/dynamodb/tables.ts';
import type { StoredAssessment } from '../../../src/domain/ports/assessment-store.ts';
import type { SpeakingResult } from '../../../src/domain/ports/scorer.ts';
import { AppError } from '../../../src/errors.ts';

const settings = { DYNAMODB_ASSESSMENTS_TABLE: 'test-assessments' };

function speakingResult(overall: number | null): SpeakingResult {
  return {
    kind: 'speaking',
    estimate: true,
    overall,
    rawMean: overall === null ? null : overall + 0.125,
    criteria: {
      FC: {
        band: 6,
        feedback: 'Speaks at length with some hesitation when searching for words.',
        evidence: ['4.1 pauses per minute', 'mean run 3.2 s'],
      },
      LR: {
        band: 6.5,
        feedback: 'A range of topic vocabulary.',
        evidence: ['"commute", "hectic"'],
      },
      GRA: { band: 6, feedback: 'Mix of simple and complex sentences.', evidence: [] },
      P: { band: null, feedback: 'Pronunciation is not measured offline.', evidence: [] },
    },
    basis: ['FC', 'LR', 'GRA'],
    notMeasured: ['P'],
    measures: {
      speakingTimeMs: 612_400,
      turns: 14,
      pausesPerMinute: 4.1,
      meanPauseMs: 820,
      meanLengthOfRunMs: 3200,
      transcribedTurns: 12,
    },
    engine: 'offline',
    scorerVersion: 'offline-1.0.0',
  };
}

function assessment(
  assessmentId: string,
  candidateId: string,
  createdAt: string,
  overall: number | null = 6,
): StoredAssessment {
  return {
    assessmentId,
    candidateId,
    kind: 'speaking',
    createdAt,
    result: speakingResult(overall),
  };
}

/** A port that was just free and is now closed, so connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DynamoAssessmentStore against dynalite', () => {
  let local: LocalDynamo;
  let client: DynamoDBDocumentClient;
  let store: DynamoAssessmentStore;

  beforeAll(async () => {
    local = await startLocalDynamo(0);
    client = createDocumentClient({ region: 'us-east-1', endpoint: local.endpoint });
    await ensureTables(client, [assessmentsTable], settings);
    store = new DynamoAssessmentStore(client, settings.DYNAMODB_ASSESSMENTS_TABLE);
  });

  afterAll(async () => {
    client?.destroy();
    await local?.close();
  });

  it('reads back what it wrote', async () => {
    const written = assessment('sess-roundtrip', 'cand-1', '2025-03-01T10:00:00.000Z', null);
    expect(await store.put(written)).toEqual({ created: true });
    expect(await store.get('sess-roundtrip')).toEqual(written);
  });

  it('keeps the first write when the same id is written again', async () => {
    const first = assessment('sess-twice', 'cand-2', '2025-03-01T10:00:00.000Z', 6);
    const second = assessment('sess-twice', 'cand-2', '2025-03-01T10:05:00.000Z', 7.5);
    expect(await store.put(first)).toEqual({ created: true });
    expect(await store.put(second)).toEqual({ created: false });
    expect(await store.get('sess-twice')).toEqual(first);
  });

  it('returns null for an unknown id', async () => {
    expect(await store.get('sess-does-not-exist')).toBeNull();
  });

  it('lists one candidate newest first', async () => {
    await store.put(assessment('sess-a1', 'cand-list', '2025-04-01T09:00:00.000Z'));
    await store.put(assessment('sess-a3', 'cand-list', '2025-04-03T09:00:00.000Z'));
    await store.put(assessment('sess-a2', 'cand-list', '2025-04-02T09:00:00.000Z'));
    await store.put(assessment('sess-other', 'cand-other', '2025-04-04T09:00:00.000Z'));

    const all = await store.listByCandidate('cand-list', 10);
    expect(all.map((a) => a.assessmentId)).toEqual(['sess-a3', 'sess-a2', 'sess-a1']);
    expect(all.every((a) => a.candidateId === 'cand-list')).toBe(true);

    const newest = await store.listByCandidate('cand-list', 2);
    expect(newest.map((a) => a.assessmentId)).toEqual(['sess-a3', 'sess-a2']);
  });

  it('fails with STORE_FAILED when DynamoDB is unreachable', async () => {
    const port = await closedPort();
    const downClient = createDocumentClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 1,
      timeoutMs: 500,
    });
    const down = new DynamoAssessmentStore(downClient, settings.DYNAMODB_ASSESSMENTS_TABLE);
    try {
      for (const attempt of [
        () => down.get('sess-x'),
        () => down.put(assessment('sess-x', 'cand-x', '2025-05-01T00:00:00.000Z')),
        () => down.listByCandidate('cand-x', 5),
      ]) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('STORE_FAILED');
        expect((error as AppError).cause).toBeDefined();
      }
    } finally {
      downClient.destroy();
    }
  });

  it('treats ensureTables on existing tables as a no-op', async () => {
    await ensureTables(client, [assessmentsTable], settings);
    const { Table } = await client.send(
      new DescribeTableCommand({ TableName: settings.DYNAMODB_ASSESSMENTS_TABLE }),
    );
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byCandidate']);
    expect(await store.get('sess-roundtrip')).not.toBeNull();
  });
});
