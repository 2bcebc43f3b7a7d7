import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Every examiner metric, on a registry of its own so tests and several apps never collide. */
export function createExaminerMetrics(options: { defaults?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    liveSessions: new Gauge({
      name: 'examiner_live_sessions',
      help: 'Speaking tests running on this node, by examiner state',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    transitions: new Counter({
      name: 'examiner_transitions_total',
      help: 'Examiner state transitions',
      labelNames: ['from', 'to'] as const,
      registers: [registry],
    }),
    turnLatency: new Histogram({
      name: 'examiner_turn_latency_seconds',
      help: 'From the candidate stopping to the first examiner audio byte sent',
      buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8],
      registers: [registry],
    }),
    sessionsStarted: new Counter({
      name: 'examiner_sessions_started_total',
      help: 'Speaking tests started',
      registers: [registry],
    }),
    sessionsEnded: new Counter({
      name: 'examiner_sessions_ended_total',
      help: 'Speaking tests ended, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    protocolErrors: new Counter({
      name: 'examiner_protocol_errors_total',
      help: 'Bad client input refused, by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    engineStreams: new Counter({
      name: 'speech_engine_stream_opens_total',
      help: 'Speech engine streams opened, by why (start, rotate, reconnect)',
      labelNames: ['engine', 'reason'] as const,
      registers: [registry],
    }),
    engineErrors: new Counter({
      name: 'speech_engine_errors_total',
      help: 'Speech engine failures, by error name',
      labelNames: ['engine', 'error'] as const,
      registers: [registry],
    }),
    scoringSeconds: new Histogram({
      name: 'examiner_scoring_seconds',
      help: 'Time to score a finished test and store its result',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    checkpointWriteSeconds: new Histogram({
      name: 'examiner_checkpoint_write_seconds',
      help: 'Checkpoint writes to Redis that completed',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    checkpointWriteFailures: new Counter({
      name: 'examiner_checkpoint_write_failures_total',
      help: 'Checkpoint writes that failed (Redis away); each is retried with the newest state',
      registers: [registry],
    }),
    redisAvailable: new Gauge({
      name: 'examiner_redis_available',
      help: '1 while checkpoint writes reach Redis, 0 while they fail',
      registers: [registry],
    }),
    leasesLost: new Counter({
      name: 'examiner_leases_lost_total',
      help: 'Live tests this node stopped because another node took them over',
      registers: [registry],
    }),
    resumes: new Counter({
      name: 'examiner_resumes_total',
      help: 'Reconnections to a suspended or orphaned test, by where it came from and outcome',
      labelNames: ['from', 'outcome'] as const,
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type ExaminerMetrics = ReturnType<typeof createExaminerMetrics>;
