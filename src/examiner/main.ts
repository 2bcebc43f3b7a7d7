import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoAssessmentStore } from '../adapters/dynamodb/assessment-store.ts';
import { createDocumentClient } from '../adapters/dynamodb/client.ts';
import {
  ensureTables,
  type LocalDynamo,
  startLocalDynamo,
} from '../adapters/dynamodb/local-dynamodb.ts';
import { allTables, assessmentsTable, tableName } from '../adapters/dynamodb/tables.ts';
import { RedisCheckpointStore } from '../adapters/redis/checkpoint-store.ts';
import { createRedisClient, redisReady } from '../adapters/redis/client.ts';
import { pingRedis } from '../adapters/redis/ping.ts';
import { OfflineSpeakingScorer } from '../adapters/scorer-local/offline-speaking-scorer.ts';
import { type Config, inspectionEnabled, loadConfig } from '../config.ts';
import { type Clock, ScaledClock, systemClock } from '../domain/clock.ts';
import type { AssessmentStore } from '../domain/ports/assessment-store.ts';
import { createLogger, type Logger } from '../log.ts';
import { buildApp } from './app.ts';
import { type Inspection, startInspection } from './inspect.ts';
import { createExaminerMetrics } from './metrics.ts';
import { createSpeechEngine, EngineConfigError } from './speech-engines.ts';

export interface RunningServer {
  url: string;
  store: AssessmentStore;
  close(): Promise<void>;
}

/** Wires the real adapters from the configuration and listens. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // The engine first: a bad Bedrock setting must stop start-up before anything else runs.
  const metrics = createExaminerMetrics({ defaults: true });
  const speech = await createSpeechEngine(config, logger, metrics);
  let local: LocalDynamo | null = null;
  let endpoint = config.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    local = await startLocalDynamo(config.DYNAMODB_LOCAL_PORT);
    endpoint = local.endpoint;
    logger.info({ endpoint }, 'local dynamodb started');
  }
  const dynamo = createDocumentClient({ region: config.AWS_REGION, endpoint });
  await ensureTables(dynamo, allTables, config);
  const assessments = tableName(config, assessmentsTable);

  const clock: Clock = config.TIME_SCALE === 1 ? systemClock : new ScaledClock(config.TIME_SCALE);
  const inspection: Inspection | null = inspectionEnabled(config)
    ? await startInspection(config.XSTATE_INSPECT_PORT, logger)
    : null;

  const store = new DynamoAssessmentStore(dynamo, assessments);
  const redis = createRedisClient(config.REDIS_URL, { connectionName: config.NODE_ID });
  // A node starts without Redis (it reconnects on its own); tests then wait for it to return.
  redis.on('error', () => {});
  redis.on('ready', () => metrics.redisAvailable.set(1));
  redis.on('close', () => metrics.redisAvailable.set(0));
  if (!(await redisReady(redis))) logger.warn('redis unreachable at start; sessions wait for it');
  const checkpoints = new RedisCheckpointStore(redis);
  const { app } = await buildApp({
    config,
    logger,
    clock,
    engine: speech.engine,
    scorer: new OfflineSpeakingScorer(),
    store,
    checkpoints,
    metrics,
    ...(inspection ? { inspect: inspection.inspect } : {}),
    healthChecks: {
      dynamodb: async () => {
        await dynamo.send(new DescribeTableCommand({ TableName: assessments }));
      },
      redis: () => pingRedis(config.REDIS_URL),
    },
  });
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info(
    { address, node: config.NODE_ID, timeScale: config.TIME_SCALE },
    'examiner listening',
  );
  return {
    url: address,
    store,
    async close() {
      await app.close();
      inspection?.stop();
      speech.close();
      await checkpoints.close();
      dynamo.destroy();
      await local?.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const logger = createLogger({ level: config.LOG_LEVEL, nodeId: config.NODE_ID });
  let server: RunningServer;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    if (error instanceof EngineConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // The 10 s cap keeps a stuck dependency from holding a deploy hostage.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // aws-sdk-js-v3#7706: a throttled bidirectional stream can throw these outside every handler.
  // The engine already re-opens the stream, so they must not take every other test down.
  process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
    if (
      error.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
      error.code === 'ERR_STREAM_WRITE_AFTER_END'
    ) {
      logger.warn({ code: error.code }, 'stray stream error ignored');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
