import type {} from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors.ts';
import type { ServerMessage } from '../protocol/messages.ts';
import type { SpeakingSessions } from '../session/sessions.ts';

export interface SpeakingRoutesOptions {
  sessions: SpeakingSessions;
  /** Counts a refused stream (bad ticket, busy session…) by code. */
  onRefused?: (code: string) => void;
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
} as const;

const ticketSchema = {
  type: 'object',
  properties: {
    sessionId: { type: 'string' },
    ticket: { type: 'string' },
    ticketExpiresAt: { type: 'string', format: 'date-time' },
    streamPath: { type: 'string' },
  },
  required: ['sessionId', 'ticket', 'ticketExpiresAt', 'streamPath'],
} as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
  required: ['id'],
} as const;

const candidateBody = {
  // A POST without a body is the same as `{}`.
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    // Until accounts land, a local candidate id stands in for the logged-in user.
    candidateId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:@-]+$' },
    seed: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

type CandidateBody = { candidateId?: string; seed?: string };

/** A second of 32 ms frames; a client that sends more before it is admitted loses the rest. */
const MAX_EARLY_FRAMES = 64;

const streamPath = (id: string, ticket: string) =>
  `/v1/speaking/sessions/${id}/stream?ticket=${encodeURIComponent(ticket)}`;

/** The speaking test's HTTP and WebSocket routes. */
export const speakingRoutes: FastifyPluginAsync<SpeakingRoutesOptions> = async (app, options) => {
  const { sessions } = options;

  app.post<{ Body: CandidateBody }>(
    '/v1/speaking/sessions',
    { schema: { body: candidateBody, response: { 201: ticketSchema, 400: errorSchema } } },
    async (request, reply) => {
      const body = request.body ?? {};
      const created = await sessions.create(body.candidateId ?? 'local-candidate', body.seed);
      reply.code(201);
      return {
        sessionId: created.sessionId,
        ticket: created.ticket,
        ticketExpiresAt: new Date(created.ticketExpiresAt).toISOString(),
        streamPath: streamPath(created.sessionId, created.ticket),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: CandidateBody }>(
    '/v1/speaking/sessions/:id/tickets',
    {
      schema: {
        params: idParams,
        body: candidateBody,
        response: { 201: ticketSchema, 404: errorSchema, 410: errorSchema },
      },
    },
    async (request, reply) => {
      const candidateId = request.body?.candidateId ?? 'local-candidate';
      const { ticket, ticketExpiresAt } = await sessions.reissue(request.params.id, candidateId);
      reply.code(201);
      return {
        sessionId: request.params.id,
        ticket,
        ticketExpiresAt: new Date(ticketExpiresAt).toISOString(),
        streamPath: streamPath(request.params.id, ticket),
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { ticket?: string } }>(
    '/v1/speaking/sessions/:id/stream',
    {
      websocket: true,
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } },
        querystring: {
          type: 'object',
          properties: { ticket: { type: 'string', maxLength: 128 } },
        },
      },
    },
    (socket, request) => {
      // Frames sent while the node admits the socket (Redis, a lease, maybe a restore) must not
      // be lost: handlers are attached now and the frames replayed once the session is ready.
      const early: Array<{ data: Buffer; isBinary: boolean }> = [];
      const hold = (data: Buffer, isBinary: boolean) => {
        if (early.length < MAX_EARLY_FRAMES) early.push({ data, isBinary });
      };
      socket.on('message', hold);
      sessions.admit(request.params.id, request.query.ticket).then(
        ({ live, resumeTicket }) => {
          socket.off('message', hold);
          live.attach(socket, { resumeTicket, early });
        },
        (error: unknown) => {
          socket.off('message', hold);
          const known = error instanceof AppError;
          const message: ServerMessage = {
            type: 'error',
            code: known ? error.code : 'INTERNAL',
            message: known ? error.message : 'internal error',
          };
          if (known) request.log.warn({ code: message.code }, 'stream refused');
          else request.log.error({ err: error }, 'stream admission failed');
          options.onRefused?.(message.code);
          socket.send(JSON.stringify(message));
          // 4000 + HTTP status: a close code clients can act on without parsing the message.
          socket.close(4000 + (known ? error.status : 500), message.code);
        },
      );
    },
  );
};
