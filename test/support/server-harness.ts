import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import { DynamoAssessmentStore } from '../../src/adapters/dynamodb/assessment-store.ts';
import { createDocumentClient } from '../../src/adapters/dynamodb/client.ts';
import { ensureTables, startLocalDynamo } from '../../src/adapters/dynamodb/local-dynamodb.ts';
import { allTables, assessmentsTable, tableName } from '../../src/adapters/dynamodb/tables.ts';
import { RedisCheckpointStore } from '../../src/adapters/redis/checkpoint-store.ts';
import { createRedisClient, redisReady } from '../../src/adapters/redis/client.ts';
import { OfflineSpeakingScorer } from '../../src/adapters/scorer-local/offline-speaking-scorer.ts';
import { OfflineSpeechEngine } from '../../src/adapters/speech-local/offline-engine.ts';
import { detectRecogniser } from '../../src/adapters/speech-local/pocketsphinx-recogniser.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type Clock, ScaledClock, systemClock } from '../../src/domain/clock.ts';
import { buildApp } from '../../src/examiner/app.ts';
import { createExaminerMetrics, type ExaminerMetrics } from '../../src/examiner/metrics.ts';
import type { ServerMessage } from '../../src/examiner/protocol/messages.ts';
import type { SpeakingSessions } from '../../src/examiner/session/sessions.ts';

/** One parsed pino line: `level`, `msg` and the bound fields (`sessionId`, `code`, ...). */
export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export interface TestServer {
  url: string;
  wsUrl: string;
  config: Config;
  app: FastifyInstance;
  sessions: SpeakingSessions;
  checkpoints: RedisCheckpointStore;
  /** First segment of this server's Redis keys. */
  prefix: string;
  metrics: ExaminerMetrics;
  /** Every log line the service wrote, oldest first. */
  logs: LogLine[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * Redis key prefix. Servers given the same one share sessions as nodes of one fleet do; `exam`
   * is the one a real node uses. Default: a prefix of this server's own.
   */
  prefix?: string;
}

/**
 * The examiner with its real local adapters on a loopback port. Overrides go through
 * loadConfig, so they are validated exactly as environment settings would be.
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const env = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, String(v)]));
  const config: Config = { ...loadConfig(env), HOST: '127.0.0.1', PORT: 0 };

  const logs: LogLine[] = [];
  // Same redaction as createLogger, so tests see what production would write.
  const logger = pino(
    {
      level: config.LOG_LEVEL,
      base: { node: config.NODE_ID },
      redact: { paths: ['pii', 'pii.*', '*.pii', '*.pii.*'], censor: '[redacted]' },
    },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );

  const local = await startLocalDynamo(0);
  const dynamo = createDocumentClient({ region: config.AWS_REGION, endpoint: local.endpoint });
  try {
    await ensureTables(dynamo, allTables, config);
  } catch (error) {
    dynamo.destroy();
    await local.close();
    throw error;
  }

  // Recognition is slow and machine-dependent; only a test that names a recogniser gets one.
  const recogniser = overrides.RECOGNISER ? detectRecogniser(config.RECOGNISER) : null;
  const clock: Clock =
    overrides.TIME_SCALE !== undefined ? new ScaledClock(config.TIME_SCALE) : systemClock;
  const metrics = createExaminerMetrics();
  // Real Redis, with keys of this server's own unless told otherwise, so parallel test files
  // never meet.
  const redis = createRedisClient(config.REDIS_URL);
  await redisReady(redis);
  const prefix = options.prefix ?? `test-${randomUUID()}`;
  const checkpoints = new RedisCheckpointStore(redis, { prefix });
  const { app, sessions } = await buildApp({
    config,
    logger,
    clock,
    engine: new OfflineSpeechEngine({ endOfTurnMs: config.END_OF_TURN_MS, recogniser, logger }),
    scorer: new OfflineSpeakingScorer(),
    store: new DynamoAssessmentStore(dynamo, tableName(config, assessmentsTable)),
    checkpoints,
    metrics,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    config,
    app,
    sessions,
    checkpoints,
    prefix,
    metrics,
    logs,
    close() {
      closing ??= (async () => {
        await app.close();
        await checkpoints.close();
        dynamo.destroy();
        await local.close();
      })();
      return closing;
    },
  };
}

export interface CreatedSession {
  sessionId: string;
  ticket: string;
  ticketExpiresAt: string;
  streamPath: string;
}

/** POST /v1/speaking/sessions; throws unless the service answers 201. */
export async function createSession(
  server: Pick<TestServer, 'url'>,
  body: Record<string, unknown> = {},
): Promise<CreatedSession> {
  const response = await fetch(`${server.url}/v1/speaking/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`create session: HTTP ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as CreatedSession;
}

/** POST /v1/speaking/sessions/:id/tickets; throws unless the service answers 201. */
export async function reissueTicket(
  server: Pick<TestServer, 'url'>,
  sessionId: string,
  body: Record<string, unknown> = {},
): Promise<CreatedSession> {
  const response = await fetch(`${server.url}/v1/speaking/sessions/${sessionId}/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`reissue ticket: HTTP ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as CreatedSession;
}

export type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export interface TestStream {
  ws: WebSocket;
  /** Every JSON message received so far, in order, whether or not `next` consumed it. */
  messages: ServerMessage[];
  /** Binary frames (examiner audio) received so far. */
  audioFrames: number;
  /** Resolves with the oldest not yet consumed message of `type`, waiting up to `timeoutMs`. */
  next<T extends ServerMessage['type']>(type: T, timeoutMs?: number): Promise<MessageOf<T>>;
  /** Received but not yet consumed by `next`. */
  unconsumed(type?: ServerMessage['type']): ServerMessage[];
  /** Resolves once the socket has opened; rejects if the upgrade is refused. */
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  sendJson(value: unknown): void;
}

interface Waiter {
  type: string;
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Opens a socket on `path` and starts collecting at once, so `ready` is never missed. */
export function openStream(server: Pick<TestServer, 'wsUrl'>, path: string): TestStream {
  const ws = new WebSocket(`${server.wsUrl}${path}`);
  const messages: ServerMessage[] = [];
  const pending: ServerMessage[] = [];
  const waiters: Waiter[] = [];
  let isClosed = false;

  const stream: TestStream = {
    ws,
    messages,
    audioFrames: 0,
    next(type, timeoutMs = 5000) {
      const index = pending.findIndex((m) => m.type === type);
      if (index >= 0) {
        const [message] = pending.splice(index, 1);
        return Promise.resolve(message as MessageOf<typeof type>);
      }
      if (isClosed) {
        return Promise.reject(new Error(`socket closed before a ${type} message; ${seen()}`));
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          type,
          resolve: resolve as (message: ServerMessage) => void,
          reject,
          timer: setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(`no ${type} message within ${timeoutMs} ms; ${seen()}`));
          }, timeoutMs),
        };
        waiters.push(waiter);
      });
    },
    unconsumed: (type) => pending.filter((m) => type === undefined || m.type === type),
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)),
      );
      ws.once('error', reject);
    }),
    closed: new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        isClosed = true;
        for (const waiter of waiters.splice(0)) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`socket closed (${code}) before a ${waiter.type} message`));
        }
        resolve({ code, reason: reason.toString('utf8') });
      });
    }),
    sendJson: (value) => ws.send(JSON.stringify(value)),
  };
  // A refused upgrade is reported through `opened`; this keeps it from being unhandled too.
  stream.opened.catch(() => {});
  ws.on('error', () => {});

  const seen = () => `received: ${messages.map((m) => m.type).join(', ') || 'nothing'}`;

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      stream.audioFrames += 1;
      return;
    }
    const message = JSON.parse(data.toString()) as ServerMessage;
    messages.push(message);
    const waiter = waiters.find((w) => w.type === message.type);
    if (!waiter) {
      pending.push(message);
      return;
    }
    waiters.splice(waiters.indexOf(waiter), 1);
    clearTimeout(waiter.timer);
    waiter.resolve(message);
  });
  return stream;
}

/** Resolves when `predicate` holds for a log line written from now on (or already written). */
export function waitForLog(
  server: Pick<TestServer, 'logs'>,
  predicate: (line: LogLine) => boolean,
  timeoutMs = 5000,
): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const found = server.logs.find(predicate);
      if (found) resolve(found);
      else if (Date.now() > deadline) reject(new Error(`no matching log line in ${timeoutMs} ms`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}
