import type { FastifyPluginAsync } from 'fastify';

export interface HealthOptions {
  region: string;
  version: string;
  /** Each dependency's check resolves when it answers and rejects when it does not. */
  checks: Record<string, () => Promise<void>>;
  timeoutMs?: number;
}

type Status = 'ok' | 'unreachable';

const healthResponse = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    region: { type: 'string' },
    version: { type: 'string' },
    dependencies: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['status', 'region', 'version', 'dependencies'],
} as const;

/** `GET /health`: the region, the version and whether each dependency answers. */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  const timeoutMs = options.timeoutMs ?? 2000;
  app.get(
    '/health',
    { schema: { response: { 200: healthResponse, 503: healthResponse } } },
    async (_request, reply) => {
      const entries = await Promise.all(
        Object.entries(options.checks).map(async ([name, check]): Promise<[string, Status]> => {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          });
          try {
            await Promise.race([check(), timeout]);
            return [name, 'ok'];
          } catch {
            return [name, 'unreachable'];
          } finally {
            clearTimeout(timer);
          }
        }),
      );
      const dependencies = Object.fromEntries(entries);
      const healthy = entries.every(([, status]) => status === 'ok');
      reply.code(healthy ? 200 : 503);
      return {
        status: healthy ? 'ok' : 'degraded',
        region: options.region,
        version: options.version,
        dependencies,
      };
    },
  );
};
