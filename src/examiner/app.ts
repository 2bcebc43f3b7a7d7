import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { InspectionEvent } from 'xstate';
import { healthRoutes } from '../../services/health/plugin.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import type { AssessmentStore } from '../domain/ports/assessment-store.ts';
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
import { SessionRegistry } from './session/registry.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  engine: SpeechEngine;
  scorer: Scorer;
  store: AssessmentStore;
  metrics?: ExaminerMetrics;
  inspect?: (event: InspectionEvent) => void;
  healthChecks?: Record<string, () => Promise<void>>;
  version?: string;
}

export interface ExaminerApp {
  app: FastifyInstance;
  registry: SessionRegistry;
  metrics: ExaminerMetrics;
}

/** Builds the examiner service without listening, so tests drive it in-process. */
export async function buildApp(deps: AppDeps): Promise<ExaminerApp> {
  const { config } = deps;
  const metrics = deps.metrics ?? createExaminerMetrics();
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
    // Tell connected candidates why they are dropped, so clients reconnect rather than fail.
    preClose: async () => {
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

  const registry = new SessionRegistry(config.STREAM_TICKET_TTL_MS);
  await app.register(speakingRoutes, {
    registry,
    onRefused: (code) => metrics.protocolErrors.inc({ code }),
    createSession: ({ candidateId, seed }) =>
      registry.create(candidateId, (sessionId) => {
        const plan = selectTestPlan(seed ?? (config.QUESTION_SEED || sessionId));
        return new LiveSession(
          {
            clock: deps.clock,
            engine: deps.engine,
            scorer: deps.scorer,
            store: deps.store,
            metrics,
            logger: deps.logger,
            timings: { ...OFFICIAL_TIMINGS, suspendGraceMs: config.SUSPEND_GRACE_MS },
            maxTextFrameBytes: config.MAX_TEXT_FRAME_BYTES,
            inspect: deps.inspect,
            // Ended tests keep their result in the store; the registry keeps them a minute for
            // late reconnects to get a clear SESSION_ENDED rather than SESSION_NOT_FOUND.
            onEnded: (id) => setTimeout(() => registry.remove(id), 60_000).unref(),
          },
          { sessionId, candidateId, script: buildScript(plan) },
        );
      }),
  });

  app.addHook('onClose', async () => {
    await Promise.all(registry.all().map((live) => live.dispose()));
  });

  return { app, registry, metrics };
}
