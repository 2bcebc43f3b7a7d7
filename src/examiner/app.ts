import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { InspectionEvent } from 'xstate';
import { healthRoutes } from '../../services/health/plugin.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import type { AssessmentStore } from '../domain/ports/assessment-store.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { Scorer } from '../domain/ports/scorer.ts';
import type { SpeechEngine } from '../domain/ports/speech-engine.ts';
import { selectTestPlan } from '../domain/question-bank/index.ts';
import { OFFICIAL_TIMINGS } from '../domain/timings.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { createExaminerMetrics, type ExaminerMetrics } from './metrics.ts';
import { speakingRoutes } from './routes/speaking.ts';
import { buildScript } from './session/build-script.ts';
import { LiveSession } from './session/live-session.ts';
import { SpeakingSessions } from './session/sessions.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  engine: SpeechEngine;
  scorer: Scorer;
  store: AssessmentStore;
  checkpoints: CheckpointStore;
  metrics?: ExaminerMetrics;
  inspect?: (event: InspectionEvent) => void;
  healthChecks?: Record<string, () => Promise<void>>;
  version?: string;
}

export interface ExaminerApp {
  app: FastifyInstance;
  sessions: SpeakingSessions;
  metrics: ExaminerMetrics;
}

/** Builds the examiner service without listening, so tests drive it in-process. */
export async function buildApp(deps: AppDeps): Promise<ExaminerApp> {
  const { config } = deps;
  const metrics = deps.metrics ?? createExaminerMetrics();
  let sessionsRef: SpeakingSessions | null = null;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request lines would carry stream tickets in query strings; routes log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify's default strips unknown properties; `additionalProperties: false` must refuse them.
    ajv: { customOptions: { removeAdditional: false } },
  }) as unknown as FastifyInstance;
  // ws enforces a hard ceiling; frames between the protocol limit and this one get a typed error.
  await app.register(websocket, {
    options: { maxPayload: 1024 * 1024 },
    // Shutdown: every live test checkpointed, its candidate told to reconnect and its lease given
    // up, before any socket closes; then any other socket is told why it is dropped.
    preClose: async () => {
      await Promise.all(sessionsRef?.all().map((live) => live.drain()) ?? []);
      for (const client of app.websocketServer.clients) {
        client.close(1001, 'server shutting down');
      }
    },
  });

  app.setErrorHandler((error: Error, request, reply) => {
    if (error instanceof AppError) {
      return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if ((error as { validation?: unknown }).validation || status === 400) {
      return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(status >= 400 && status < 500 ? status : 500)
      .send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  app.addHook('onResponse', async (request, reply) => {
    metrics.httpSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(healthRoutes, {
    region: config.AWS_REGION,
    version: deps.version ?? '0.1.0',
    checks: deps.healthChecks ?? {},
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  const timings = { ...OFFICIAL_TIMINGS, suspendGraceMs: config.SUSPEND_GRACE_MS };
  sessionsRef = new SpeakingSessions({
    store: deps.checkpoints,
    nodeId: config.NODE_ID,
    ticketTtlMs: config.STREAM_TICKET_TTL_MS,
    // A resume ticket must outlive the grace period a candidate has to come back in.
    resumeTicketTtlMs: config.SESSION_TTL_MS,
    leaseTtlMs: config.LEASE_TTL_MS,
    sessionTtlMs: config.SESSION_TTL_MS,
    log: deps.logger,
    makeLive: (record, ownership) =>
      new LiveSession(
        {
          clock: deps.clock,
          engine: deps.engine,
          scorer: deps.scorer,
          store: deps.store,
          checkpoints: deps.checkpoints,
          nodeId: config.NODE_ID,
          leaseTtlMs: config.LEASE_TTL_MS,
          endedTtlMs: config.ENDED_TTL_MS,
          metrics,
          logger: deps.logger,
          timings,
          maxTextFrameBytes: config.MAX_TEXT_FRAME_BYTES,
          inspect: deps.inspect,
          onGone: (id) => sessionsRef?.remove(id),
        },
        {
          sessionId: record.sessionId,
          candidateId: record.candidateId,
          script: buildScript(selectTestPlan(config.QUESTION_SEED || record.seed)),
        },
        ownership,
      ),
  });
  const sessions = sessionsRef;
  await app.register(speakingRoutes, {
    sessions,
    onRefused: (code) => metrics.protocolErrors.inc({ code }),
  });

  return { app, sessions, metrics };
}
