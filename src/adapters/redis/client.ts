import { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** Gives up on one connection attempt after this long (default 1000 ms). */
  connectTimeoutMs?: number;
  /** Rejects a command that gets no reply in time (default 2000 ms). */
  commandTimeoutMs?: number;
  /** Upper bound on the wait between reconnection attempts (default 500 ms). */
  maxReconnectDelayMs?: number;
  connectionName?: string;
}

/**
 * A client for checkpoints and leases, which are worthless late: while Redis is down every call
 * rejects at once (the caller decides what a lost checkpoint means) instead of waiting in a queue,
 * and the client keeps reconnecting so it is usable again within about a second of Redis
 * returning.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 500;
  return new Redis(url, {
    connectTimeout: options.connectTimeoutMs ?? 1000,
    // A peer that vanishes without closing the socket (a network partition) would otherwise
    // leave calls hanging until TCP keep-alive notices, long after the lease has expired.
    commandTimeout: options.commandTimeoutMs ?? 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Returning a number on every attempt means never giving up.
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 10), maxDelay),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  });
}

/**
 * Waits until the client has connected (calls fail at once before that, by design); resolves
 * false after `timeoutMs` so a node can still start while Redis is away.
 */
export function redisReady(redis: Redis, timeoutMs = 3000): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', ready);
      resolve(false);
    }, timeoutMs);
    const ready = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', ready);
  });
}
