import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicStateName } from '../../machines/examiner/index.ts';
import { RedisCheckpointStore } from '../../src/adapters/redis/checkpoint-store.ts';
import { createRedisClient, redisReady } from '../../src/adapters/redis/client.ts';
import type { Checkpoint } from '../../src/domain/ports/checkpoint-store.ts';
import { type Microphone, startMicrophone } from '../support/microphone.ts';
import {
  createSession,
  type LogLine,
  openStream,
  startTestServer,
  type TestServer,
  type TestStream,
} from '../support/server-harness.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The prefix a real node uses; the second node must share it to find the session. */
const PREFIX = 'exam';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/examiner/main.ts', import.meta.url));

interface Node {
  child: ChildProcess;
  url: string;
  logs: LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `src/examiner/main.ts` in a process of its own, on a port of its choosing. */
async function startNode(env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const parsed = JSON.parse(line) as LogLine;
      logs.push(parsed);
      if (parsed.msg === 'examiner listening') {
        clearTimeout(timer);
        resolve(parsed.address as string);
      }
    });
    void exited.then(() => reject(new Error(`node exited at start: ${stderr}`)));
  });
  return { child, url: await listening, logs, exited };
}

function clientView(stream: TestStream) {
  return {
    state: stream.messages.filter((m) => m.type === 'state').at(-1)?.state,
    lines: stream.messages.filter((m) => m.type === 'caption').length,
    turns: stream.messages.filter((m) => m.type === 'turn' && m.event === 'stopped').length,
  };
}

function checkpointView(checkpoint: Checkpoint | null) {
  if (!checkpoint) return null;
  return {
    state: publicStateName(checkpoint.snapshot as Parameters<typeof publicStateName>[0]),
    lines: checkpoint.transcript.filter((e) => e.speaker === 'examiner').length,
    turns: checkpoint.transcript.filter((e) => e.speaker === 'candidate').length,
  };
}

describe('SIGTERM on a node with a live test: drained, then resumed on another node', () => {
  let nodeA: Node;
  let nodeB: TestServer | undefined;
  let admin: Redis;
  let store: RedisCheckpointStore;
  let mic: Microphone | undefined;
  let sessionId: string | undefined;

  beforeAll(async () => {
    admin = createRedisClient(REDIS_URL);
    await redisReady(admin);
    store = new RedisCheckpointStore(admin, { prefix: PREFIX });
    nodeA = await startNode({
      PORT: '0',
      NODE_ID: 'drain-node-a',
      REDIS_URL,
      TIME_SCALE: '10',
      SPEECH_ENGINE: 'offline',
      RECOGNISER: 'none',
      DYNAMODB_ENDPOINT: '',
      QUESTION_SEED: '',
      LOG_LEVEL: 'info',
    });
  });

  afterAll(async () => {
    mic?.stop();
    if (nodeA?.child.exitCode === null && nodeA.child.signalCode === null) {
      nodeA.child.kill('SIGKILL');
      await nodeA.exited;
    }
    await nodeB?.close();
    // The shared prefix is a real node's: remove exactly this test's keys, nothing else.
    if (sessionId) {
      const parts = ['session', 'lease', 'fence', 'snap', 'handoff'];
      await admin.del(...parts.map((part) => `${PREFIX}:{${sessionId}}:${part}`));
    }
    await store?.close();
  });

  it('tells the candidate to reconnect, exits 0, frees the lease and hands over', async () => {
    const session = await createSession({ url: nodeA.url });
    sessionId = session.sessionId;
    const first = openStream({ wsUrl: nodeA.url.replace(/^http/, 'ws') }, session.streamPath);
    const ready = await first.next('ready');
    first.sendJson({ type: 'start' });
    mic = startMicrophone(first.ws, { fast: 10 });
    // Mid-test: in Part 1, after the candidate has answered at least once there.
    await first.next('state', 10_000);
    for (let i = 0; i < 10 && clientView(first).state !== 'part1'; i++) {
      await first.next('state', 15_000);
    }
    expect(clientView(first).state).toBe('part1');
    await first.next('turn', 10_000);
    await first.next('turn', 10_000);
    expect(await store.leaseTtl(session.sessionId)).toBeGreaterThan(0);

    const signalledAt = Date.now();
    nodeA.child.kill('SIGTERM');
    const closed = await first.closed;
    expect(closed).toEqual({ code: 1001, reason: 'server shutting down' });
    const types = first.messages.map((m) => m.type);
    expect(first.messages.filter((m) => m.type === 'reconnect')).toEqual([
      { type: 'reconnect', reason: expect.any(String) },
    ]);
    expect(types).not.toContain('error');

    const exit = await Promise.race([
      nodeA.exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(nodeA.logs.filter((l) => l.level >= 50)).toEqual([]);

    expect(await store.leaseTtl(session.sessionId)).toBe(0);
    expect(await admin.exists(`${PREFIX}:{${session.sessionId}}:lease`)).toBe(0);
    const saved = await store.read(session.sessionId);
    const seen = clientView(first);
    expect(checkpointView(saved)).toEqual(seen);

    // Another node, sharing the store, admits the resume ticket from `ready` at once.
    nodeB = await startTestServer(
      { REDIS_URL, TIME_SCALE: 10, NODE_ID: 'drain-node-b' },
      { prefix: PREFIX },
    );
    const ticket = encodeURIComponent(ready.resumeTicket);
    const second = openStream(
      nodeB,
      `/v1/speaking/sessions/${session.sessionId}/stream?ticket=${ticket}`,
    );
    mic.attach(second.ws);
    expect(await second.next('ready')).toMatchObject({
      sessionId: session.sessionId,
      resumed: true,
    });
    expect(await second.next('state', 10_000)).toMatchObject({ state: seen.state });
    expect(await second.next('caption', 10_000)).toMatchObject({ type: 'caption' });
    // The test goes on from there on the new node, to its result.
    expect(await second.next('result', 60_000)).toMatchObject({
      assessmentId: session.sessionId,
    });
    expect(await second.closed).toEqual({ code: 1000, reason: 'completed' });
    expect(second.messages.filter((m) => m.type === 'error')).toEqual([]);
    const turnsAfter = second.messages.filter((m) => m.type === 'turn' && m.event === 'stopped');
    expect(turnsAfter.length).toBeGreaterThan(0);
    expect(nodeB.logs.some((l) => l.msg === 'test restored from checkpoint')).toBe(true);
  }, 120_000);
});
